/**
 * The least budget at which chain-dp finds a schedule, for `infeasible` answers. Feasibility is
 * monotone in the budget (a larger budget gives a unit at least as large, hence sizes in slots no
 * larger, and the same S slots; and the all-chain shortcut is exact), so a bisection over whole bytes
 * between the exact least peak of the class (no rounding) and the all-chain peak finds it.
 * Each probe is one O(L^3) feasibility pass.
 *
 * @see ../../proofs/chain-dp.md, "Feasibility edge"
 */
import type { ChainView } from "./chain-view.js";
import { byteSizes, discretize } from "./discretize.js";
import { segmentEdges } from "./feasibility.js";

/** Whether chain-dp at `budgetBytes` and `slots` has a schedule, besides the all-chain shortcut. */
export function slotFeasible(
  view: ChainView,
  fixedBytes: number,
  budgetBytes: number,
  slots: number,
): boolean {
  const chain = discretize(view, budgetBytes, fixedBytes, slots);
  if (chain === undefined) return false;
  const edges = segmentEdges(chain.sizes, view.recomputable, view.length);
  return chain.topSlots >= (edges.need[view.length - 1] as number);
}

/**
 * The least budget (bytes, fixedBytes included) at which chain-dp answers with a schedule.
 * @param allChainPeakBytes a budget always enough (the lesser of the all-chain and store-all peaks)
 */
export function leastBudgetBytes(
  view: ChainView,
  fixedBytes: number,
  slots: number,
  allChainPeakBytes: number,
): number {
  const exact = segmentEdges(byteSizes(view), view.recomputable, view.length);
  let low = fixedBytes + (view.x[0] as number) + (exact.need[view.length - 1] as number);
  let high = allChainPeakBytes;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (slotFeasible(view, fixedBytes, mid, slots)) high = mid;
    else low = mid + 1;
  }
  return high;
}
