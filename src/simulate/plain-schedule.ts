/** Plain backpropagation as a schedule: the store-all schedule (every forward once, then every backward). */
import type { Instance } from "../instance/types.js";
import { checkpointSchedule } from "../schedule/checkpoint-schedule.js";
import type { Schedule } from "../schedule/types.js";

/** The store-all schedule of `instance`, built as solvers/baselines/store-all.ts builds it (src/ never imports solvers/). */
export function plainSchedule(instance: Instance): Schedule {
  return checkpointSchedule(
    instance,
    instance.nodes.map((_, index) => index),
    { policy: "segments", tapeKept: true, forwardPhase: true },
  );
}
