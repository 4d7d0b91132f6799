/**
 * A literal transcription of rotor's persistent recurrence (Beaumont, Eyraud-Dubois, Herrmann, Joly,
 * Shilova, "Optimal checkpointing for heterogeneous chains", 2019, section 4), used only as a test oracle: a full
 * bottom-up table C[m][s][t] over m = 0..mMax, 0 <= s <= t <= L (stage L is rotor's loss stage).
 * Arrays (in slots): uf[0..L] (uf[L] = 0), ub[0..L], x[0..L+1], xbar[0..L+1], of[0..L], ob[0..L].
 */
import { type ChainView, chainView } from "../../solvers/chain/chain-view.js";
import type { ChainSizes, SlotChain } from "../../solvers/chain/discretize.js";
import type { Instance } from "../../src/instance/types.js";

/** rotor's chain: L layers plus the loss stage L. */
export interface RotorChain {
  readonly L: number;
  readonly uf: readonly number[];
  readonly ub: readonly number[];
  readonly x: readonly number[];
  readonly xbar: readonly number[];
  readonly of: readonly number[];
  readonly ob: readonly number[];
}

/**
 * The rotor chain of a remat chain under the DESIGN.md mapping (stage l computes v_{l+1}), sizes in
 * the slots of `slots`, with a zero-cost loss stage L after the last node (rotor's loss reads a_L and
 * makes delta_L, of size x[L]).
 */
export function rotorChainOf(instance: Instance, slots: SlotChain): RotorChain {
  const view = chainView(instance);
  const L = view.length;
  const { sizes } = slots;
  const at = (values: Float64Array, k: number) => values[k] as number;
  return {
    L,
    uf: [...view.uf, 0],
    ub: [...view.ub, 0],
    x: [...Array.from({ length: L + 1 }, (_, k) => at(sizes.x, k)), 0],
    xbar: [...Array.from({ length: L + 1 }, (_, k) => at(sizes.xbar, k)), 0],
    of: [...sizes.of, 0],
    ob: [...sizes.ob, 0],
  };
}

/** rotor's optimal makespan C[mMax][0][L] (top call: mMax = S - x[0]); Infinity when infeasible. */
export function rotorOptimum(chain: RotorChain, mMax: number): number {
  const { L, uf, ub, x, xbar, of, ob } = chain;
  const n = (k: number, values: readonly number[]) => values[k] as number;
  const C: Float64Array[][] = Array.from({ length: mMax + 1 }, () =>
    Array.from({ length: L + 1 }, () => new Float64Array(L + 1).fill(Number.POSITIVE_INFINITY)),
  );
  const get = (m: number, s: number, t: number) =>
    m < 0 ? Number.POSITIVE_INFINITY : (((C[m] as Float64Array[])[s] as Float64Array)[t] as number);
  const set = (m: number, s: number, t: number, value: number) => {
    ((C[m] as Float64Array[])[s] as Float64Array)[t] = value;
  };
  for (let s = 0; s <= L; s++) {
    const limit = Math.max(
      n(s + 1, x) + n(s + 1, xbar) + n(s, of),
      n(s, x) + n(s + 1, x) + n(s + 1, xbar) + n(s, ob),
    );
    for (let m = limit; m <= mMax; m++) set(m, s, s, n(s, uf) + n(s, ub));
  }
  for (let d = 1; d <= L; d++) {
    for (let s = 0; s + d <= L; s++) {
      const t = s + d;
      let mEmpty = n(t + 1, x) + n(s + 1, x) + n(s, of);
      for (let j = s + 1; j < t; j++)
        mEmpty = Math.max(mEmpty, n(t + 1, x) + n(j, x) + n(j + 1, x) + n(j, of));
      for (let m = mEmpty; m <= mMax; m++) {
        let best = Number.POSITIVE_INFINITY;
        let sweep = 0;
        for (let j = s + 1; j <= t; j++) {
          sweep += n(j - 1, uf);
          if (m >= n(j, x)) best = Math.min(best, sweep + get(m - n(j, x), j, t) + get(m, s, j - 1));
        }
        if (m >= n(s + 1, xbar)) best = Math.min(best, get(m, s, s) + get(m - n(s + 1, xbar), s + 1, t));
        set(m, s, t, best);
      }
    }
  }
  return mMax < 0 ? Number.POSITIVE_INFINITY : get(mMax, 0, L);
}

/**
 * rotor's discretization, literally (Beaumont et al. 2019, section 5; chain-dp's own, before it moved to
 * the unit A / S of solvers/chain/discretize.ts): `unit = max(1, floor(A / S))` bytes for the activation budget `A`, every size rounded
 * up to whole units, the budget `min(S, floor(A / unit))` slots. undefined when `A < 0`.
 */
export function rotorDiscretize(
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
  return { unit, sizes, budgetSlots, topSlots: budgetSlots - (sizes.x[0] as number) };
}
