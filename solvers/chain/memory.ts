/**
 * Memory needs of the persistent class's moves in remat's cost model (the terms of the recurrence in
 * proofs/chain-dp.md, "Memory of each move"). Inside a segment (s, t) the budget m counts everything
 * but the segment's start `a_s`: it counts `delta_{t+1}` and all the segment creates.
 * These are the only places that say what a move costs in memory; each is one moment of the
 * evaluator's timeline for the emitted instructions.
 */

/** The sizes the needs read, in one unit (slots or bytes), indexed as in ChainView. */
export interface SizeArrays {
  readonly x: ArrayLike<number>;
  readonly xbar: ArrayLike<number>;
  readonly delta: ArrayLike<number>;
  readonly of: ArrayLike<number>;
  readonly ob: ArrayLike<number>;
}

/**
 * Memory for the chain move at s in segment (s, t): `F v_{s+1} tape` with `delta_{t+1}` held (during:
 * `delta_{t+1} + xbar_{s+1} + o_f[s]`), and later `B v_{s+1}` with `xbar_{s+1}`, `delta_{s+1}`, the new
 * `delta_s` and `o_b[s]`. Rotor's base case `C[m][s][s]` is this with t = s.
 */
export function chainNeed(sizes: SizeArrays, s: number, t: number): number {
  const { xbar, delta, of, ob } = sizes;
  return (
    (xbar[s + 1] as number) +
    Math.max(
      (delta[t + 1] as number) + (of[s] as number),
      (delta[s + 1] as number) + (delta[s] as number) + (ob[s] as number),
    )
  );
}

/**
 * Memory while stage k runs forward without tape in a leaf sweep of segment (s, t): `delta_{t+1}`, the
 * previous activation `a_k` (unless k = s, whose input is the uncounted start), the new `a_{k+1}` and
 * `o_f[k]`. rotor's m_empty(s, t) is the max of this over s <= k < t.
 */
export function sweepNeed(sizes: SizeArrays, s: number, t: number, k: number): number {
  const { x, delta, of } = sizes;
  return (delta[t + 1] as number) + (k > s ? (x[k] as number) : 0) + (x[k + 1] as number) + (of[k] as number);
}
