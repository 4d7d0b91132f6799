/**
 * The end of every heuristic that chooses a set for the timing routine: place the chosen set, and when
 * no set fits (the budget is below C(S)'s least peak for S = every offloadable activation) but the
 * class's least peak does, answer the class's least-peak schedule; below that, `infeasible`.
 */

import { InternalError } from "../../src/errors.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import type { Bound } from "../../src/optimality.js";
import type { SolverAnswer, SolverOptions } from "../../src/solver.js";
import { infeasibleAnswer, placedAnswer } from "./answers.js";
import { classLeastPeak, leastPeakSchedule, setLeastPeak } from "./least-peak.js";
import type { OffloadOrder } from "./order.js";
import type { PlacedSet } from "./set-search.js";
import { offloadableBySize } from "./set-search.js";

/**
 * The answer for `placed` (the heuristic's best set, or undefined when none fits).
 * @param bound the heuristic's proven time bound, if any
 */
export function heuristicAnswer(
  order: OffloadOrder,
  options: SolverOptions,
  placed: PlacedSet | undefined,
  bound?: Bound,
  counters?: Readonly<Record<string, number>>,
): SolverAnswer {
  const instance = order.instance;
  if (placed !== undefined) {
    const extra = { ...counters, offloaded: placed.set.length };
    return placedAnswer(instance, placed.schedule, placed.evaluation, bound, extra);
  }
  const least = classLeastPeak(order);
  if (least > options.budgetBytes) return infeasibleAnswer(order, options, least);
  const schedule = leastPeakSchedule(order);
  const evaluation = evaluate(instance, schedule);
  if (!evaluation.valid || evaluation.peakBytes > options.budgetBytes)
    throw new InternalError("offload: the least-peak schedule is invalid or above its own peak");
  return placedAnswer(instance, schedule, evaluation, bound, { ...counters, leastPeakFallback: 1 });
}

/** C(S)'s least peak for S = every offloadable activation (what the set heuristics reach at best). */
export function everySetLeastPeak(order: OffloadOrder): number {
  return setLeastPeak(order, offloadableBySize(order));
}
