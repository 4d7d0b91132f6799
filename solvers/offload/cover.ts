/**
 * Rounding and repair shared by the relaxation heuristics: a greedy cover that, step by step, adds
 * whole activations (in the order a relaxation prefers) until each step's excess over the budget can
 * be absent in the timing routine's class C(S) (so the routine finds room exactly when the cover ends:
 * proofs/offload-timing.md, claim 2); then a bounded pass that drops activations while the routine's
 * makespan improves. Work is counted (MAX_DROP_TRIALS placements), never timed.
 */
import type { Deadline } from "../../src/time-limit.js";
import { absentUntil } from "./least-peak.js";
import type { OffloadOrder } from "./order.js";
import { placeOffloads } from "./placement.js";
import type { PlacedSet } from "./set-search.js";

/** Placements the drop pass tries at most. */
export const MAX_DROP_TRIALS = 64;

/**
 * The whole activations a cover adds, in order: `start` first (kept as given), then at each step
 * still above the budget the candidates absent there in C(S), by `priority` (lowest first, ties by index).
 * Undefined when some step cannot be covered.
 */
export function greedyCover(
  order: OffloadOrder,
  budgetBytes: number,
  start: readonly number[],
  priority: (u: number, step: number) => number,
): number[] | undefined {
  const { g } = order;
  const K = order.steps.length;
  const saved = new Float64Array(K);
  const inSet = new Uint8Array(g.size);
  const chosen: number[] = [];
  const add = (u: number) => {
    inSet[u] = 1;
    chosen.push(u);
    for (let s = (order.lastForwardRead[u] as number) + 1; s <= absentUntil(order, u); s++)
      saved[s] = (saved[s] as number) + (g.bytes[u] as number);
  };
  for (const u of start) if (inSet[u] === 0 && g.offloadable[u] === 1) add(u);
  const over = (j: number) => (order.storeAllDuring[j] as number) - (saved[j] as number) > budgetBytes;
  for (let j = 0; j < K; j++) {
    if (!over(j)) continue;
    for (const u of candidatesOf(order, inSet, j, priority)) {
      if (!over(j)) break;
      add(u);
    }
    if (over(j)) return undefined;
  }
  return chosen;
}

/** The activations not yet chosen that C(S) would keep absent at step `j`, by `priority`. */
function candidatesOf(
  order: OffloadOrder,
  inSet: Uint8Array,
  j: number,
  priority: (u: number, step: number) => number,
): number[] {
  const candidates: number[] = [];
  for (let u = 0; u < order.g.size; u++)
    if (inSet[u] === 0 && order.g.offloadable[u] === 1 && absentIn(order, u, j)) candidates.push(u);
  return candidates.sort((a, b) => priority(a, j) - priority(b, j) || a - b);
}

/** Whether `u` is absent at step `j` in C(S) when offloaded (and of positive size). */
function absentIn(order: OffloadOrder, u: number, j: number): boolean {
  return (
    (order.g.bytes[u] as number) > 0 && (order.lastForwardRead[u] as number) < j && j <= absentUntil(order, u)
  );
}

/**
 * Places `set`, then tries dropping its members, last added first (at most MAX_DROP_TRIALS tries),
 * keeping each drop that still fits and is faster. Undefined when `set` itself does not fit.
 */
export function placeAndPrune(
  order: OffloadOrder,
  set: readonly number[],
  budgetBytes: number,
  deadline: Deadline,
): { placed: PlacedSet | undefined; trials: number } {
  const first = placeOffloads(order, set, budgetBytes);
  if (!first.fits) return { placed: undefined, trials: 1 };
  let best: PlacedSet = { set, schedule: first.schedule, evaluation: first.evaluation };
  let trials = 1;
  for (let k = set.length - 1; k >= 0 && trials < MAX_DROP_TRIALS; k--) {
    deadline.check("dropping offloads");
    const u = set[k] as number;
    const smaller = best.set.filter((w) => w !== u);
    const placement = placeOffloads(order, smaller, budgetBytes);
    trials++;
    if (placement.fits && placement.evaluation.makespanMs < best.evaluation.makespanMs)
      best = { set: smaller, schedule: placement.schedule, evaluation: placement.evaluation };
  }
  return { placed: best, trials };
}

/** The faster of two placed sets (the first on ties; either may be missing). */
export function faster(a: PlacedSet | undefined, b: PlacedSet | undefined): PlacedSet | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b.evaluation.makespanMs < a.evaluation.makespanMs ? b : a;
}
