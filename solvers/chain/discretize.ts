/**
 * Memory discretization (Beaumont et al. 2019, section 5, rounds sizes up to slots as here; the unit
 * differs). With the activation budget `A = floor(budget - fixedBytes)` bytes and `S` slots:
 *
 * - `A <= S`: one byte per slot, sizes exact, budget `A` slots (no rounding at all);
 * - `A > S`: the unit is the fraction `u = A / S` bytes; a size of `b` bytes takes `ceil(b S / A)` slots
 *   (computed exactly in integers, with BigInt where `b S` passes 2^53) and the budget is exactly `S`
 *   slots, that is `A` bytes: all of it is usable.
 *
 * A schedule that fits in slots fits in bytes: each resident tensor of `b` bytes takes `k` slots with
 * `b <= u k`, so a moment's bytes are at most `u` times its slots, at most `u S = A`. Never worse than
 * rotor's unit `floor(A / S)` at the same S: `S / A <= 1 / floor(A / S)`, so every size takes at most as
 * many slots as under rotor's unit, and the budget is S slots under both.
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
  /** Bytes per slot: `A / S` when the activation budget A exceeds S, else 1 (may be fractional). */
  readonly unit: number;
  readonly sizes: ChainSizes;
  /** The activation budget in slots: S when A > S, else A (then a slot is a byte). */
  readonly budgetSlots: number;
  /** Budget of the top call in slots: all slots but the input's (rotor's `C[S - x_0][0][L]`). */
  readonly topSlots: number;
}

/** The sizes of `view` in bytes (unit 1): the DP over them is exact, without rounding. */
export function byteSizes(view: ChainView): ChainSizes {
  return { x: view.x, xbar: view.xbar, delta: view.delta, of: view.of, ob: view.ob };
}

/**
 * `ceil(bytes * slots / activationBytes)`, exactly: in doubles while the product is a safe integer
 * (then `%` and the division by a divisor of the numerator are exact), in BigInt beyond.
 * @param bytes a non-negative integer (every size of a parsed instance is one)
 */
export function slotsOf(bytes: number, slots: number, activationBytes: number): number {
  const product = bytes * slots;
  if (product <= Number.MAX_SAFE_INTEGER) {
    const rest = product % activationBytes;
    return (product - rest) / activationBytes + (rest > 0 ? 1 : 0);
  }
  const a = BigInt(activationBytes);
  return Number((BigInt(bytes) * BigInt(slots) + a - 1n) / a);
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
  if (activationBytes <= slots) {
    const sizes = byteSizes(view);
    return {
      unit: 1,
      sizes,
      budgetSlots: activationBytes,
      topSlots: activationBytes - (view.x[0] as number),
    };
  }
  const up = (values: Float64Array) => values.map((bytes) => slotsOf(bytes, slots, activationBytes));
  const sizes: ChainSizes = {
    x: up(view.x),
    xbar: up(view.xbar),
    delta: up(view.delta),
    of: up(view.of),
    ob: up(view.ob),
  };
  return {
    unit: activationBytes / slots,
    sizes,
    budgetSlots: slots,
    topSlots: slots - (sizes.x[0] as number),
  };
}
