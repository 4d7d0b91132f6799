/**
 * pipeline-dp: contiguous partition by dynamic programming, each stage running chain-dp's optimum
 * under the memory its in-flight count leaves (MadPipe, Beaumont, Eyraud-Dubois, Shilova 2022;
 * PipeDream's and Alpa's stage DPs, Narayanan et al. 2019, Zheng et al. 2022). For every stage count
 * S = 1..min(P, L), dp.ts finds the partition of least period, then least latency, exactly over
 * contiguous partitions whose stages use their menus (stage-menu.ts); the pipeline evaluator then
 * picks, among these at most P plans, the least step time. Statuses: `optimal` when that step time
 * meets the lower bound, `feasible` otherwise, `infeasible` when no stage count has a partition whose
 * every stage fits, `timeout` (with the best plan found so far, if any).
 * Cost: O(L^2) stage menus plus O(P^2 L^2) menu look-ups.
 * @see ../../proofs/pipeline-dp.md
 */
import type {
  PipelinePlan,
  PipelineProblem,
  PipelineSolver,
  PipelineSolverAnswer,
  PipelineSolverOptions,
} from "../../src/pipeline/types.js";
import { pipelineUnits } from "../../src/pipeline/units.js";
import { Deadline, TimeLimitReached } from "../../src/time-limit.js";
import { answerOf } from "./answer.js";
import { assemble } from "./assemble.js";
import { bestPartition } from "./dp.js";
import { menuFor } from "./menus.js";

function solve(problem: PipelineProblem, options: PipelineSolverOptions): PipelineSolverAnswer {
  const deadline = new Deadline(options.timeLimitSec);
  const menu = menuFor(problem, options, deadline);
  const L = pipelineUnits(problem.instance).count;
  const plans: PipelinePlan[] = [];
  let periodMs = Number.POSITIVE_INFINITY;
  try {
    for (let stages = 1; stages <= Math.min(problem.devices, L); stages++) {
      const choice = bestPartition(problem, menu, stages, deadline);
      if (choice === undefined) continue;
      const built = assemble(problem, menu, choice.ends);
      if ("plan" in built) plans.push(built.plan);
      periodMs = Math.min(periodMs, choice.periodMs);
    }
  } catch (error) {
    if (!(error instanceof TimeLimitReached)) throw error;
    const partial = answerOf(problem, plans, "", { chainDpSolves: menu.solves });
    return {
      ...partial,
      status: "timeout",
      reason: `${error.message}; the best plan of the stage counts done so far`,
    };
  }
  return answerOf(
    problem,
    plans,
    `no contiguous partition into at most ${problem.devices} stages has every stage within ${problem.memoryBytes} bytes with its in-flight micro-batches`,
    {
      chainDpSolves: menu.solves,
      stageCounts: plans.length,
      leastPeriodMs: Number.isFinite(periodMs) ? periodMs : 0,
    },
  );
}

/** The pipeline-dp solver. */
export const pipelineDp: PipelineSolver = {
  name: "pipeline-dp",
  guarantee:
    "per stage count, the least period then latency over contiguous partitions with chain-dp stage schedules (proofs/pipeline-dp.md); the step time is optimal only when it meets the lower bound",
  reference:
    "MadPipe (Beaumont, Eyraud-Dubois, Shilova 2022); PipeDream (Narayanan et al. 2019); Alpa (Zheng et al. 2022)",
  solve,
};
