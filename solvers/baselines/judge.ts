/**
 * Shared verdict for baselines that build one fixed schedule: feasible when the evaluator's peak is
 * within the budget, infeasible otherwise (reporting that peak as the least budget for this schedule).
 */

import { InternalError } from "../../src/errors.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import type { Instance } from "../../src/instance/types.js";
import type { Schedule } from "../../src/schedule/types.js";
import type { SolverAnswer, SolverOptions } from "../../src/solver.js";
import { makespanLowerBound } from "./lower-bound.js";

/**
 * Judges one schedule against the budget. `optimal` only when its makespan equals the no-recomputation
 * lower bound (then no schedule can be faster).
 */
export function judgeFixedSchedule(
  instance: Instance,
  schedule: Schedule,
  options: SolverOptions,
): SolverAnswer {
  const evaluation = evaluate(instance, schedule);
  if (!evaluation.valid)
    throw new InternalError(
      `baseline built an invalid schedule: ${evaluation.error.reason} at ${evaluation.error.index}`,
    );
  const lowerBoundMs = makespanLowerBound(instance);
  if (evaluation.peakBytes > options.budgetBytes) {
    return {
      status: "infeasible",
      minFeasibleBudgetBytes: evaluation.peakBytes,
      reason: `this schedule peaks at ${evaluation.peakBytes} bytes, above the budget of ${options.budgetBytes}`,
    };
  }
  return {
    status:
      options.objective === "time" && evaluation.makespanMs <= lowerBoundMs * (1 + 1e-12)
        ? "optimal"
        : "feasible",
    schedule,
    claimedMakespanMs: evaluation.makespanMs,
    claimedPeakBytes: evaluation.peakBytes,
    lowerBoundMs,
  };
}
