/**
 * Small searches over offloaded sets that several solvers share, each set placed by the timing routine
 * (placement.ts): the best of a list of sets, and the sets of the "largest first" rule.
 */
import type { ValidEvaluation } from "../../src/evaluate/evaluate.js";
import type { Schedule } from "../../src/schedule/types.js";
import type { Deadline } from "../../src/time-limit.js";
import { setLeastPeak } from "./least-peak.js";
import type { OffloadOrder } from "./order.js";
import { placeOffloads } from "./placement.js";

/** A placed set: the set, its schedule and the evaluator's verdict. */
export interface PlacedSet {
  readonly set: readonly number[];
  readonly schedule: Schedule;
  readonly evaluation: ValidEvaluation;
}

/** The offloadable activations, largest first (ties by index). */
export function offloadableBySize(order: OffloadOrder): number[] {
  const { g } = order;
  const list: number[] = [];
  for (let u = 0; u < g.size; u++) if (g.offloadable[u] === 1) list.push(u);
  return list.sort((a, b) => (g.bytes[b] as number) - (g.bytes[a] as number) || a - b);
}

/** The fastest of `sets` within the budget (the first of equals), or undefined when none fits. */
export function bestOfSets(
  order: OffloadOrder,
  sets: Iterable<readonly number[]>,
  budgetBytes: number,
  deadline?: Deadline,
): PlacedSet | undefined {
  let best: PlacedSet | undefined;
  for (const set of sets) {
    deadline?.check("placing offloaded sets");
    const placement = placeOffloads(order, set, budgetBytes);
    if (!placement.fits) continue;
    if (best === undefined || placement.evaluation.makespanMs < best.evaluation.makespanMs)
      best = { set, schedule: placement.schedule, evaluation: placement.evaluation };
  }
  return best;
}

/** The prefixes of the offloadable activations by size, from the empty set to all of them. */
export function largestFirstPrefixes(order: OffloadOrder): number[][] {
  const list = offloadableBySize(order);
  return Array.from({ length: list.length + 1 }, (_, k) => list.slice(0, k));
}

/**
 * offload-largest's set placed: the fewest largest activations whose C(S) least peak fits (bisection:
 * that peak only falls as S grows), or undefined when even all of them do not fit.
 */
export function largestFirstSet(order: OffloadOrder, budgetBytes: number): PlacedSet | undefined {
  const list = offloadableBySize(order);
  if (setLeastPeak(order, list) > budgetBytes) return undefined;
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (setLeastPeak(order, list.slice(0, middle)) <= budgetBytes) high = middle;
    else low = middle + 1;
  }
  const set = list.slice(0, high);
  const placement = placeOffloads(order, set, budgetBytes);
  return placement.fits ? { set, schedule: placement.schedule, evaluation: placement.evaluation } : undefined;
}
