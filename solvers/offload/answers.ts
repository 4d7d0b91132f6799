/**
 * The answers every offload solver shares: store-all's when it fits or when there is no link (then
 * nothing can be offloaded, and an offload solver answers exactly as store-all does), `infeasible`
 * with the class's least peak, and the verdict on a placed schedule (optimal only when it meets the
 * sum-of-times bound, which holds over all schedules).
 */
import { makespanLowerBound, SUM_OF_TIMES, sumOfTimesBound } from "../../src/evaluate/bounds.js";
import type { ValidEvaluation } from "../../src/evaluate/evaluate.js";
import type { Instance } from "../../src/instance/types.js";
import type { Bound } from "../../src/optimality.js";
import { storeAllEvaluation, storeAllSchedule } from "../../src/schedule/builders.js";
import type { Schedule } from "../../src/schedule/types.js";
import type { SolverAnswer, SolverOptions } from "../../src/solver.js";
import { judgeFixedSchedule } from "../baselines/judge.js";
import { classLeastPeak } from "./least-peak.js";
import { type OffloadOrder, offloadOrder } from "./order.js";

/** Relative slack under which a makespan counts as meeting the sum-of-times bound (float sums). */
const MEETS_BOUND = 1e-12;

/** How the class's least peak is proven. */
export const LEAST_PEAK_METHOD = "least peak of the offload class, proofs/offload-timing.md";

/**
 * Store-all's answer when no offload solver can do better or differently: without a link (store-all
 * is then the only schedule of the class), or when store-all fits (it meets the sum-of-times bound).
 * Undefined otherwise.
 */
export function storeAllShortcut(instance: Instance, options: SolverOptions): SolverAnswer | undefined {
  const order = offloadOrder(instance);
  if (!order.hasLink || storeAllEvaluation(instance).peakBytes <= options.budgetBytes)
    return judgeFixedSchedule(instance, storeAllSchedule(instance), options);
  return undefined;
}

/** The class's least peak as a memory bound over the offload class. */
export function leastPeakBound(order: OffloadOrder): Bound {
  return { value: classLeastPeak(order), over: "offload", method: LEAST_PEAK_METHOD };
}

/**
 * `infeasible` for a budget below what the solver can reach: proven (the bound is above the budget)
 * when `reachableBytes` is the class's least peak, otherwise what this solver learned.
 * @param reachableBytes the least peak this solver reaches (> budget)
 */
export function infeasibleAnswer(
  order: OffloadOrder,
  options: SolverOptions,
  reachableBytes: number,
): SolverAnswer {
  const bound = leastPeakBound(order);
  const proven = bound.value > options.budgetBytes;
  return {
    status: "infeasible",
    minFeasibleBudgetBytes: reachableBytes,
    lowerBoundBytes: bound,
    reason: proven
      ? `no offload schedule fits: the least peak of the class is ${bound.value} bytes, above the budget of ${options.budgetBytes}`
      : `the least peak this solver reaches is ${reachableBytes} bytes, above the budget of ${options.budgetBytes} (the class's least peak is ${bound.value})`,
  };
}

/**
 * The answer for a schedule within the budget: `optimal` when it meets the sum-of-times bound,
 * otherwise `feasible`, with the best time bound known (`bound`, else the sum of times).
 */
export function placedAnswer(
  instance: Instance,
  schedule: Schedule,
  evaluation: ValidEvaluation,
  bound?: Bound,
  counters?: Readonly<Record<string, number>>,
): SolverAnswer {
  const sum = makespanLowerBound(instance);
  const claims = {
    schedule,
    claimedMakespanMs: evaluation.makespanMs,
    claimedPeakBytes: evaluation.peakBytes,
    lowerBoundMs: bound !== undefined && bound.value > sum ? bound : sumOfTimesBound(instance),
    ...(counters === undefined ? {} : { counters }),
  };
  if (evaluation.makespanMs <= sum * (1 + MEETS_BOUND))
    return {
      status: "optimal",
      ...claims,
      certificate: { kind: "meets-bound", over: "all", objective: "time", bound: SUM_OF_TIMES, value: sum },
    };
  return { status: "feasible", ...claims };
}
