/**
 * Worker thread for `remat batch`: solves one job (instance file, solver, budget and setting) per message, so the
 * batch can run jobs side by side and stop a solve that overruns its time limit by terminating the worker.
 */
import { parentPort } from "node:worker_threads";
import { solve } from "../../solvers/index.js";
import { stageGrid } from "../../solvers/milp/grid.js";
import { inStageGrid } from "../../solvers/milp/membership.js";
import { InputError } from "../errors.js";
import { choiceOf, type LinkSetting } from "../hardware/link.js";
import { loadInstance } from "../instance/load.js";
import { parseInstance } from "../instance/parse.js";
import type { Objective } from "../optimality.js";
import { parseSchedule } from "../schedule/text.js";

/** A job sent to the worker. */
export interface BatchJob {
  readonly file: string;
  readonly solver: string;
  readonly budget: string;
  readonly objective: Objective;
  /** Seconds (`Infinity` for none). */
  readonly timeLimitSec: number;
  /** Absent for solvers that do not read slots. */
  readonly slots?: number;
  readonly checkpoints?: readonly string[];
  readonly withSchedule: boolean;
  /** Add `inStageGrid` (`remat batch --bound`: whether the stage-grid bound record covers the answer). */
  readonly withGridMembership?: boolean;
  /** Solver switches (`--extra`). */
  readonly extra: Readonly<Record<string, unknown>>;
  /** The host link asked for; absent for the instance's own. */
  readonly hardware?: LinkSetting;
  /** The instance's JSON itself (a queue job carries it); absent to read `file`. */
  readonly instance?: unknown;
}

parentPort?.on("message", async (job: BatchJob) => {
  try {
    const instance =
      job.instance === undefined ? await loadInstance(job.file) : parseInstance(job.instance, job.file);
    const result = await solve(instance, {
      solver: job.solver,
      budget: job.budget,
      objective: job.objective,
      timeLimitSec: job.timeLimitSec,
      ...(job.slots === undefined ? {} : { slots: job.slots }),
      extra: job.extra,
      ...(job.checkpoints === undefined ? {} : { checkpoints: job.checkpoints }),
      ...(job.hardware === undefined ? {} : { hardware: choiceOf(job.hardware) }),
    });
    const { schedule, ...summary } = result;
    const membership =
      job.withGridMembership === true
        ? {
            inStageGrid:
              result.makespanMs !== null && inStageGrid(stageGrid(instance), parseSchedule(schedule)),
          }
        : {};
    parentPort?.postMessage({
      kind: "result",
      result: {
        ...(job.withSchedule ? result : { ...summary, instructions: schedule.length }),
        ...membership,
      },
    });
  } catch (error) {
    const kind = error instanceof InputError ? "rejected" : "error";
    parentPort?.postMessage({ kind, reason: (error as Error).message });
  }
});
