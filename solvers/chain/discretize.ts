/**
 * Memory discretization as rotor does it (Beaumont et al. 2019, section 5; research note 2.3): the
 * activation budget (the budget minus `fixedBytes`) is cut into `slots` units of
 * `unit = floor(activation budget / slots)` bytes; every size is rounded up to whole units and the
 * budget down to `slots` units. A schedule that fits in slots then fits in bytes:
 * `fixedBytes + unit * usedSlots <= fixedBytes + unit * slots <= budget`.
 *
 * When the activation budget is below `slots` bytes the unit is 1 byte and the budget is exact.
 *
 * @see ../../proofs/chain-dp.md, "Discretization"
 */
import type { ChainView } from "./chain-view.js";

/** The memory sizes the DP reads, in one unit (slots or bytes), indexed as in {@link ChainView}. */
export interface ChainSizes {
  readonly x: Float64Array;
  readonly xbar: Float64Array;
  readonly delta: Float64Array;
  readonly of: Float64Array;
  readonly ob: Float64Array;
}

/** A chain's sizes in slots, with the slot budget of the top call. */
export interface SlotChain {
  /** Bytes per slot. */
  readonly unit: number;
  readonly sizes: ChainSizes;
  /** Budget of the top call in slots: all slots but the input's (rotor's `C[S - x_0][0][L]`). */
  readonly topSlots: number;
}

/** The sizes of `view` in bytes (unit 1): the DP over them is exact, without rounding. */
export function byteSizes(view: ChainView): ChainSizes {
  return { x: view.x, xbar: view.xbar, delta: view.delta, of: view.of, ob: view.ob };
}

/**
 * Discretizes `view` for a budget.
 * @param budgetBytes the whole budget, fixedBytes included (finite)
 * @param fixedBytes bytes resident for the whole step
 * @param slots S, a positive integer
 * @returns undefined when the budget does not even cover fixedBytes
 */
export function discretize(
  view: ChainView,
  budgetBytes: number,
  fixedBytes: number,
  slots: number,
): SlotChain | undefined {
  const activationBytes = Math.floor(budgetBytes - fixedBytes);
  if (activationBytes < 0) return undefined;
  const unit = Math.max(1, Math.floor(activationBytes / slots));
  const budgetSlots = Math.min(slots, Math.floor(activationBytes / unit));
  const up = (values: Float64Array) => values.map((bytes) => Math.ceil(bytes / unit));
  const sizes: ChainSizes = {
    x: up(view.x),
    xbar: up(view.xbar),
    delta: up(view.delta),
    of: up(view.of),
    ob: up(view.ob),
  };
  return { unit, sizes, topSlots: budgetSlots - (sizes.x[0] as number) };
}
