/**
 * The least budget at which chain-dp finds a schedule, for `infeasible` answers. Feasibility is
 * monotone in the budget (proofs/chain-dp.md, "Discretization": a larger budget gives sizes in slots
 * no larger and a slot budget no smaller; and the all-chain shortcut is exact), so a bisection over
 * whole bytes finds it, between the budget just refused (plus one byte) or the exact least peak of the
 * class (no rounding: a lower bound), whichever is larger, and the no-recomputation peak (always
 * feasible). Each probe is one O(L^3) pass over need alone (feasibility.ts `topNeed`), in one reused
 * L^2 scratch table (8 bytes per pair of stages, and 8 more for feasibility.ts's copy by end).
 *
 * @see ../../proofs/chain-dp.md, "Feasibility edge"
 */
import { type Deadline, NO_DEADLINE, TimeLimitReached } from "../../src/time-limit.js";
import type { ChainView } from "./chain-view.js";
import { byteSizes, discretize } from "./discretize.js";
import { topNeed } from "./feasibility.js";

/** Whether chain-dp at `budgetBytes` and `slots` has a schedule, besides the all-chain shortcut. */
function slotFeasible(
  view: ChainView,
  fixedBytes: number,
  budgetBytes: number,
  slots: number,
  scratch: Float64Array,
  deadline: Deadline,
): boolean {
  const chain = discretize(view, budgetBytes, fixedBytes, slots);
  if (chain === undefined) return false;
  return chain.topSlots >= topNeed(chain.sizes, view.recomputable, view.length, scratch, deadline);
}

/** The least budget, or the interval known to hold it when the time limit passed first (bytes, fixedBytes included). */
export type LeastBudget =
  | { readonly found: true; readonly bytes: number }
  | {
      readonly found: false;
      readonly low: number;
      readonly high: number;
      readonly reached: TimeLimitReached;
    };

/**
 * The least budget (bytes, fixedBytes included) at which chain-dp answers with a schedule.
 * @param refusedBytes a budget at which it has none (the least is above it)
 * @param allChainPeakBytes a budget always enough (the lesser of the all-chain and store-all peaks)
 * @param deadline checked inside every probe; when it passes, the answer is the interval reached
 */
export function leastBudgetBytes(
  view: ChainView,
  fixedBytes: number,
  slots: number,
  refusedBytes: number,
  allChainPeakBytes: number,
  deadline: Deadline = NO_DEADLINE,
): LeastBudget {
  let low = Math.floor(refusedBytes) + 1;
  let high = allChainPeakBytes;
  try {
    const L = view.length;
    const scratch = new Float64Array(L * L);
    const exact = topNeed(byteSizes(view), view.recomputable, L, scratch, deadline);
    low = Math.max(low, fixedBytes + (view.x[0] as number) + exact);
    while (low < high) {
      const mid = low + Math.floor((high - low) / 2); // (low + high) would round above 2^53
      if (slotFeasible(view, fixedBytes, mid, slots, scratch, deadline)) high = mid;
      else low = mid + 1;
    }
    return { found: true, bytes: high };
  } catch (error: unknown) {
    if (!(error instanceof TimeLimitReached)) throw error;
    return { found: false, low, high, reached: error };
  }
}
