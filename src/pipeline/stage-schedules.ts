/**
 * The schedules one stage runs (proofs/pipeline-model.md, "Per micro-batch"): its `schedule` for every
 * micro-batch, or, when the plan gives `microbatchSchedules` (length m), micro-batch j's own. Each
 * distinct schedule is profiled once by the single-device evaluator (stage-profile.ts); the stage's
 * `schedule` is always profiled first (index 0), even when no micro-batch runs it. Schedules are the
 * same when they are the same array or hold the same instructions. O(sum of the schedules' lengths).
 */
import { describeValue, type InputIssue } from "../errors.js";
import type { Instance } from "../instance/types.js";
import type { Schedule } from "../schedule/types.js";
import { profileStage } from "./stage-profile.js";
import type { StagePlan, StageProfile } from "./types.js";

/** The distinct schedules' profiles and which one each micro-batch runs. */
export interface StageSchedules {
  /** profiles[0]: the stage's `schedule`; then each other distinct schedule, in micro-batch order. */
  readonly profiles: readonly StageProfile[];
  /** profileOf[j]: the index in `profiles` of the schedule micro-batch j runs (length m). */
  readonly profileOf: readonly number[];
}

/**
 * Profiles the schedules of `stage` (stage `s` of its plan) on its sub-instance `sub` for `m`
 * micro-batches; on a wrong `microbatchSchedules` (not a list of length m, an entry not a list or not a
 * valid schedule of `sub`) or an invalid `schedule`, pushes each issue with its path
 * (`stages[1].microbatchSchedules[3]`) and returns undefined.
 */
export function stageSchedules(
  sub: Instance,
  stage: StagePlan,
  s: number,
  m: number,
  issues: InputIssue[],
): StageSchedules | undefined {
  const before = issues.length;
  const profiles: StageProfile[] = [];
  const byReference = new Map<Schedule, number>();
  const byContent = new Map<string, number>();
  const indexOf = (schedule: Schedule, path: string): number => {
    const known = byReference.get(schedule) ?? byContent.get(JSON.stringify(schedule));
    if (known !== undefined) return known;
    const profiled = profileStage(sub, schedule);
    if (!profiled.valid) {
      issues.push({
        code: "structure",
        path,
        expected: `a valid schedule of ${sub.name}`,
        received: profiled.reason,
      });
      return -1;
    }
    profiles.push(profiled.profile);
    byReference.set(schedule, profiles.length - 1);
    byContent.set(JSON.stringify(schedule), profiles.length - 1);
    return profiles.length - 1;
  };
  const own = indexOf(stage.schedule, `stages[${s}].schedule`);
  const given = (stage as { microbatchSchedules?: unknown }).microbatchSchedules;
  let profileOf: number[] = new Array<number>(m).fill(own);
  if (given !== undefined) {
    if (!Array.isArray(given) || given.length !== m) {
      issues.push({
        code: "type",
        path: `stages[${s}].microbatchSchedules`,
        expected: `absent, or a list of ${m} schedules (one per micro-batch)`,
        received: Array.isArray(given) ? `a list of ${given.length}` : describeValue(given),
      });
      return undefined;
    }
    profileOf = given.map((schedule: unknown, j) => {
      const path = `stages[${s}].microbatchSchedules[${j}]`;
      if (Array.isArray(schedule)) return indexOf(schedule as Schedule, path);
      issues.push({
        code: "type",
        path,
        expected: "a list of instructions",
        received: describeValue(schedule),
      });
      return -1;
    });
  }
  return issues.length > before ? undefined : { profiles, profileOf };
}
