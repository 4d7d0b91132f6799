/**
 * Least memory of the persistent class, per segment: `need(s, t)` is the least m at which segment
 * (s, t) can be processed (the table's lower edge; below it C[m][s][t] = infinity), and `full(s, t)`
 * the m at which the all-chain schedule (no recomputation) fits (above it C = sum of u_f + u_b).
 * A min-max dynamic program over the same moves as the time table, without the m dimension:
 *
 *   need(s, s) = chainNeed(s, s)
 *   need(s, t) = min( max(chainNeed(s, t), xbar_{s+1} + need(s+1, t)),
 *                     min_{s<j<=t} max(max_{s<=k<j} sweepNeed(s, t, k), x_j + need(j, t), need(s, j-1)) )
 *
 * Leaves whose sweep would recompute a non-recomputable stage are left out.
 * Complexity: O(L^3) time, O(L^2) memory. Tables are indexed `s * L + t`, 0 <= s <= t < L.
 *
 * @see ../../proofs/chain-dp.md, "Feasibility edge"
 */
import type { ChainSizes } from "./discretize.js";
import { chainNeed, sweepNeed } from "./memory.js";

/** Per-segment memory edges of the persistent class. */
export interface SegmentEdges {
  readonly length: number;
  /** need[s*L+t]: least m for which (s, t) is feasible. */
  readonly need: Float64Array;
  /** full[s*L+t]: least m for which the all-chain schedule of (s, t) fits. */
  readonly full: Float64Array;
  /** choice[s*L+t]: the move attaining need, -1 for chain, j for a leaf at j (first on ties). */
  readonly choice: Int32Array;
}

/**
 * Computes the memory edges of every segment.
 * @param recomputable recomputable[l] = 0 forbids a leaf sweep through stage l
 */
export function segmentEdges(sizes: ChainSizes, recomputable: Uint8Array, length: number): SegmentEdges {
  const L = length;
  const need = new Float64Array(L * L);
  const full = new Float64Array(L * L);
  const choice = new Int32Array(L * L);
  for (let d = 0; d < L; d++) {
    for (let s = 0; s + d < L; s++) {
      const t = s + d;
      const p = s * L + t;
      const chain = chainNeed(sizes, s, t);
      if (d === 0) {
        need[p] = chain;
        full[p] = chain;
        choice[p] = -1;
        continue;
      }
      const xbarNext = sizes.xbar[s + 1] as number;
      full[p] = Math.max(chain, xbarNext + (full[p + L] as number));
      let best = Math.max(chain, xbarNext + (need[p + L] as number));
      let move = -1;
      let sweep = 0;
      for (let j = s + 1; j <= t; j++) {
        if (recomputable[j - 1] === 0) break;
        sweep = Math.max(sweep, sweepNeed(sizes, s, t, j - 1));
        const leaf = Math.max(
          sweep,
          (sizes.x[j] as number) + (need[j * L + t] as number),
          need[s * L + j - 1] as number,
        );
        if (leaf < best) {
          best = leaf;
          move = j;
        }
      }
      need[p] = best;
      choice[p] = move;
    }
  }
  return { length: L, need, full, choice };
}

/** full(0, L-1): the memory the all-chain (store-all) schedule needs on top of `a_0`, in O(L). */
export function allChainNeed(sizes: ChainSizes, length: number): number {
  let need = chainNeed(sizes, length - 1, length - 1);
  for (let s = length - 2; s >= 0; s--)
    need = Math.max(chainNeed(sizes, s, length - 1), (sizes.xbar[s + 1] as number) + need);
  return need;
}
