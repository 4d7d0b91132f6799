/**
 * Memory needs of pofo's moves on the spine (proofs/pofo.md, "Memory of each move"), in the units of
 * the sizes given (slots or bytes), beside those of rotor's moves (solvers/chain/memory.ts) that they
 * extend. A spine state (s, m, p) counts in m everything but `a_s`; `delta_L` is the gradient the
 * spine's end holds (0 in remat: `B loss` needs none). Each need is one moment of the evaluator's
 * timeline for the instructions plan.ts emits.
 */
import type { SizeArrays } from "../chain/memory.js";
import { sweepNeed } from "../chain/memory.js";

/** `F v_{s+1} tape` on the spine: `xbar_{s+1} + delta_L + o_f[s]` (an offload of `a_s` adds nothing). */
export function chainForwardNeed(sizes: SizeArrays, s: number, L: number): number {
  return (sizes.xbar[s + 1] as number) + (sizes.delta[L] as number) + (sizes.of[s] as number);
}

/**
 * `B v_{s+1}` on the spine: `xbar_{s+1}`, `delta_{s+1}`, the new `delta_s` and `o_b[s]`; a prefetch
 * overlapping it adds its activation's size.
 */
export function chainBackNeed(sizes: SizeArrays, s: number): number {
  return (
    (sizes.xbar[s + 1] as number) +
    (sizes.delta[s + 1] as number) +
    (sizes.delta[s] as number) +
    (sizes.ob[s] as number)
  );
}

/** Stage k of a leaf sweep from s on the spine (rotor's m_empty term with t = L - 1). */
export function sweepStageNeed(sizes: SizeArrays, s: number, L: number, k: number): number {
  return sweepNeed(sizes, s, L - 1, k);
}

/**
 * A prefetch of `a_p` issued after the move at s has finished its backward (serial): `delta_s` and
 * `a_p` resident in m.
 */
export function serialNeed(sizes: SizeArrays, s: number, p: number): number {
  return (sizes.delta[s] as number) + (sizes.x[p] as number);
}
