/**
 * Relaxing one segment's table with one leaf move (proofs/chain-dp.md, "Pruning is exact"): the
 * candidate `sum u_f[s..j-1] + C(m - x_j, j, t) + C(m, s, j-1)` against the current (time, forwards)
 * over a range of m, by branch and bound over intervals and a scan of short ones.
 */

/** Relative slack so that float rounding never prunes a candidate that could tie or win. */
export const LOWER = 1 - 1e-12;
/** Intervals shorter than this are scanned rather than split further (a bound costs two far reads). */
const SCAN_BELOW = 8;

/**
 * The leaf move being relaxed: the segment's row (T, N from offset `at`, also holding the left part
 * (s, j-1) at `atl`, clamped at `lastl`) and the right part (j, t) in the pool of j (Tr, Nr at `atr`,
 * clamped at `lastr`, with x_j folded in). One reused object, so that property reads stay monomorphic.
 */
export interface LeafScratch {
  T: Float64Array;
  N: Int32Array;
  at: number;
  Tr: Float64Array;
  Nr: Int32Array;
  atr: number;
  lastr: number;
  atl: number;
  lastl: number;
  sweepMs: number;
  moves: number;
}

/** The largest m in [from, to] with T[at + m] >= bound, given T[at + from] >= bound and T non-increasing. */
export function lastAtLeast(T: Float64Array, at: number, from: number, to: number, bound: number): number {
  let a = from;
  let b = to;
  while (a < b) {
    const mid = (a + b + 1) >> 1;
    if ((T[at + mid] as number) >= bound) a = mid;
    else b = mid - 1;
  }
  return a;
}

/**
 * Relaxes C(m, s, t) with the current leaf on m in [from, to] by branch and bound over intervals:
 * the leaf's candidate is non-increasing in m, so on [from, to] it is at least its value `atTo` at
 * `to`, while C is at most its value at `from`; when the first exceeds the second nothing in the
 * interval can change. Otherwise halve, down to short intervals scanned outright. Returns the
 * entries scanned.
 */
export function relaxRange(leaf: LeafScratch, from: number, to: number, atTo: number): number {
  const { T, at } = leaf;
  if ((T[at + from] as number) < atTo * LOWER) return 0;
  if (to - from < SCAN_BELOW) {
    relaxLeaf(leaf, from, to);
    return to - from + 1;
  }
  const mid = (from + to) >> 1;
  return relaxRange(leaf, from, mid, candidate(leaf, mid)) + relaxRange(leaf, mid + 1, to, atTo);
}

/** The leaf's candidate time at m: sweep + C(m - x_j, j, t) + C(m, s, j - 1). */
export function candidate(leaf: LeafScratch, m: number): number {
  return (
    leaf.sweepMs +
    (leaf.Tr[leaf.atr + Math.min(m, leaf.lastr)] as number) +
    (leaf.T[leaf.atl + Math.min(m, leaf.lastl)] as number)
  );
}

/**
 * The inner loop of a leaf move for m in [from, to]: the candidate against the current
 * (time, forwards) at m, in place (ties go to fewer forwards).
 */
function relaxLeaf(leaf: LeafScratch, from: number, to: number): void {
  const { T, N, at, Tr, Nr, atr, lastr, atl, lastl, sweepMs, moves } = leaf;
  for (let m = from; m <= to; m++) {
    const ir = atr + Math.min(m, lastr);
    const il = atl + Math.min(m, lastl);
    const c = sweepMs + (Tr[ir] as number) + (T[il] as number);
    const i = at + m;
    const current = T[i] as number;
    if (c < current) {
      T[i] = c;
      N[i] = moves + (Nr[ir] as number) + (N[il] as number);
    } else if (c === current) {
      const n = moves + (Nr[ir] as number) + (N[il] as number);
      if (n < (N[i] as number)) N[i] = n;
    }
  }
}
