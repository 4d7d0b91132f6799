/**
 * Shared verdict for baselines that build one fixed schedule: infeasible when the evaluator's peak is
 * above the budget (that peak is then the least budget for this schedule); optimal for the time
 * objective when its makespan meets the sum-of-times bound (no schedule can be faster); feasible otherwise.
 */

import { InternalError } from "../../src/errors.js";
import { makespanLowerBound, SUM_OF_TIMES, sumOfTimesBound } from "../../src/evaluate/bounds.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import type { Instance } from "../../src/instance/types.js";
import type { Schedule } from "../../src/schedule/types.js";
import type { SolverAnswer, SolverOptions } from "../../src/solver.js";
import type { Deadline } from "../../src/time-limit.js";

/** Relative slack under which a makespan counts as meeting the sum-of-times bound (float sums). */
const MEETS_BOUND = 1e-12;

/**
 * Judges one schedule against the budget.
 * @param deadline checked while the schedule is evaluated (for long ones)
 * @throws InternalError if the schedule is invalid (a bug in the baseline's builder)
 * @throws TimeLimitReached when `deadline` passes during the evaluation
 */
export function judgeFixedSchedule(
  instance: Instance,
  schedule: Schedule,
  options: SolverOptions,
  deadline?: Deadline,
): SolverAnswer {
  const evaluation = evaluate(instance, schedule, deadline === undefined ? {} : { deadline });
  if (!evaluation.valid)
    throw new InternalError(
      `baseline built an invalid schedule: ${evaluation.error.reason} at ${evaluation.error.index}`,
    );
  if (evaluation.peakBytes > options.budgetBytes)
    return {
      status: "infeasible",
      minFeasibleBudgetBytes: evaluation.peakBytes,
      reason: `this schedule peaks at ${evaluation.peakBytes} bytes, above the budget of ${options.budgetBytes}`,
    };
  const claims = {
    schedule,
    claimedMakespanMs: evaluation.makespanMs,
    claimedPeakBytes: evaluation.peakBytes,
    lowerBoundMs: sumOfTimesBound(instance),
  };
  const bound = makespanLowerBound(instance);
  if (options.objective === "time" && evaluation.makespanMs <= bound * (1 + MEETS_BOUND))
    return {
      status: "optimal",
      ...claims,
      certificate: { kind: "meets-bound", over: "all", objective: "time", bound: SUM_OF_TIMES, value: bound },
    };
  return { status: "feasible", ...claims };
}
