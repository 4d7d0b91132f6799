/**
 * Relaxing one segment's table with every leaf move (proofs/chain-dp.md, "Pruning is exact"): for
 * each j the candidate `sum u_f[s..j-1] + C(m - x_j, j, t) + C(m, s, j-1)` against the current
 * (time, forwards) over a range of m. The range is cut into aligned groups of 2^COARSE_SHIFT budgets
 * and blocks of BLOCK; a group or block is skipped when a lower bound of the candidate on it exceeds
 * the table at its first budget (both are non-increasing in m), and scanned otherwise.
 *
 * This is the solver's inner loop (O(S L^3) in the worst case), written for V8: one function, every
 * array a local typed array, no calls or property reads per candidate. Its cost is memory traffic:
 * the bounds read the left part (s, j-1), the coldest data, only through its coarse copy (which
 * stays in cache) until a block is likely to change.
 */

/** Relative slack so that float rounding never prunes a candidate that could tie or win. */
export const LOWER = 1 - 1e-12;
/** Budgets per block: a block is bounded with one exact candidate, then scanned. */
const BLOCK = 8;
/** log2 of the group size of the coarse copy (64 budgets). */
export const COARSE_SHIFT = 6;

/**
 * Everything the leaf relaxation reads. Segment p = s*L + t keeps C(m, s, t) for m in
 * [need[p], last[p]] at `time[base[p] + m]` (reads above last clamp to last).
 */
export interface LeafContext {
  readonly L: number;
  /** Every segment's entries, ms; and the forwards of each entry. */
  readonly time: Float64Array;
  readonly forwards: Int32Array;
  readonly base: Int32Array;
  /** Per segment p: need, last (-1 when infeasible within M) and least = C(last). */
  readonly need: Int32Array;
  readonly last: Int32Array;
  readonly least: Float64Array;
  /**
   * A coarse copy of every segment, for bounds that stay in cache: C(m, s, t) at the last m of each
   * aligned group of 2^COARSE_SHIFT budgets, m = (k + 1) 2^COARSE_SHIFT - 1 clamped to last, at
   * `coarse[coarseBase[p] + k]` for need >> COARSE_SHIFT <= k <= last >> COARSE_SHIFT. As C is
   * non-increasing, it is a lower bound of C over the group.
   */
  readonly coarse: Float64Array;
  readonly coarseBase: Int32Array;
  /**
   * The same facts about segment (j, t) laid out by end t (index t*L + j), so that the right parts
   * (j, t), j = s+1..t, of one segment's leaves are read contiguously: need, last, base at
   * 3*(t*L + j) + 0, 1, 2 in `byEnd`, least in `leastByEnd`.
   */
  readonly byEnd: Int32Array;
  readonly leastByEnd: Float64Array;
  /** Sizes in slots (x, delta, o_f), clamped to M + 1. */
  readonly x: Int32Array;
  readonly delta: Int32Array;
  readonly of: Int32Array;
  readonly recomputable: Uint8Array;
  /** prefixF[k] = sum_{i<k} u_f[i]. */
  readonly prefixF: Float64Array;
}

/**
 * Relaxes C(m, s, t), m in [need, mEnd], with every leaf move j = s+1..t, in place (ties go to fewer
 * forwards). `allChainMs` is sum_{k=s..t} (u_f[k] + u_b[k]). Returns the entries scanned.
 *
 * One function on purpose (the two lint exemptions below): split into a per-leaf, a per-group and a
 * per-block helper (same loops, same answers), solveChainDp on randomChain(1, 200) at S = 500 and 40%
 * of the store-all peak took 19-25% longer (fastest of 10 runs; five side-by-side runs, old and split
 * alternating in one process each, load average 0.9-1.7).
 */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: the chain DP's hot loop; split into helpers it ran 19-25% slower (measured, see above)
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: the chain DP's hot loop; split into helpers it ran 19-25% slower (measured, see above)
export function relaxLeaves(
  ctx: LeafContext,
  s: number,
  t: number,
  mEnd: number,
  allChainMs: number,
): number {
  const L = ctx.L | 0;
  const T = ctx.time;
  const N = ctx.forwards;
  const base = ctx.base;
  const need = ctx.need;
  const last = ctx.last;
  const least = ctx.least;
  const coarse = ctx.coarse;
  const coarseBase = ctx.coarseBase;
  const byEnd = ctx.byEnd;
  const leastByEnd = ctx.leastByEnd;
  const x = ctx.x;
  const of = ctx.of;
  const recomputable = ctx.recomputable;
  const prefixF = ctx.prefixF;
  const p = s * L + t;
  const lo = need[p] as number;
  const at = base[p] as number;
  const deltaOut = ctx.delta[t + 1] as number;
  const prefixS = prefixF[s] as number;
  const lower = LOWER;
  let scanned = 0;
  let sweep = 0;
  for (let j = s + 1; j <= t; j++) {
    const k = j - 1;
    if (recomputable[k] === 0) break;
    const sweepK = deltaOut + (k > s ? (x[k] as number) : 0) + (x[j] as number) + (of[k] as number);
    if (sweepK > sweep) sweep = sweepK;
    const sweepMs = (prefixF[j] as number) - prefixS;
    if ((sweepMs + allChainMs) * lower > (T[at + lo] as number)) break;
    const e = 3 * (t * L + j);
    const l = p - t + k;
    const lastr = byEnd[e + 1] as number;
    const lastl = last[l] as number;
    if (lastr < 0 || lastl < 0) continue;
    const xj = x[j] as number;
    let mStart = lo;
    if (sweep > mStart) mStart = sweep;
    const needR = xj + (byEnd[e] as number);
    if (needR > mStart) mStart = needR;
    const needL = need[l] as number;
    if (needL > mStart) mStart = needL;
    if (mStart > mEnd) continue;
    // compact lower bound (each part at its largest budget): only the prefix where C stays above it can change
    const floor = (sweepMs + (leastByEnd[t * L + j] as number) + (least[l] as number)) * lower;
    if ((T[at + mStart] as number) < floor) continue;
    // the right part (j, t) read at m - x_j, clamped at its last; the left part (s, j-1) at m
    const atr = (byEnd[e + 2] as number) - xj;
    const capr = lastr + xj;
    const atl = base[l] as number;
    const moves = j - s;
    const cbl = coarseBase[l] as number;
    const kLastL = lastl >> COARSE_SHIFT;
    const gLast = mEnd >> COARSE_SHIFT;
    for (let g = mStart >> COARSE_SHIFT; g <= gLast; g++) {
      // the group [ga, gb] of aligned budgets: C(m, s, j-1) >= coarse there
      let ga = g << COARSE_SHIFT;
      if (ga < mStart) ga = mStart;
      // C is non-increasing: once below floor, it stays there
      if ((T[at + ga] as number) < floor) break;
      let gb = ((g + 1) << COARSE_SHIFT) - 1;
      if (gb > mEnd) gb = mEnd;
      const coarseL = coarse[cbl + (g < kLastL ? g : kLastL)] as number;
      // on the group the candidate is at least groupBound (the right part at the group's end), and C is
      // non-increasing: once C is below it, no later block of the group can change
      const groupBound = (sweepMs + (T[atr + (gb < capr ? gb : capr)] as number) + coarseL) * lower;
      if ((T[at + ga] as number) < groupBound) continue;
      for (let a0 = ga; a0 <= gb; a0 += BLOCK) {
        let b0 = a0 + BLOCK - 1;
        if (b0 > gb) b0 = gb;
        // on [a0, b0] the candidate is at least its value at b0 and C at most T[a0]
        const ta = T[at + a0] as number;
        if (ta < groupBound) break;
        const rightB = sweepMs + (T[atr + (b0 < capr ? b0 : capr)] as number);
        if (ta < (rightB + coarseL) * lower) continue;
        if (ta < (rightB + (T[atl + (b0 < lastl ? b0 : lastl)] as number)) * lower) continue;
        scanned += b0 - a0 + 1;
        for (let m = a0; m <= b0; m++) {
          const ir = atr + (m < capr ? m : capr);
          const il = atl + (m < lastl ? m : lastl);
          const c = sweepMs + (T[ir] as number) + (T[il] as number);
          const i = at + m;
          const current = T[i] as number;
          if (c < current) {
            T[i] = c;
            N[i] = moves + (N[ir] as number) + (N[il] as number);
          } else if (c === current) {
            const n = moves + (N[ir] as number) + (N[il] as number);
            if (n < (N[i] as number)) N[i] = n;
          }
        }
      }
    }
  }
  return scanned;
}
