/**
 * The time table of the persistent DP (Beaumont et al. 2019, section 4, Theorem 1; research note
 * 2.3), adapted to remat's cost model. For a segment (s, t), 0 <= s <= t < L, and a budget of m slots
 * (counting everything but the start `a_s`, with `delta_{t+1}` counted):
 *
 *   C(m, s, t) = infinity                                  if m < need(s, t)
 *              = sum_{k=s..t} (u_f[k] + u_b[k])            if m >= full(s, t)   (all-chain fits)
 *              = min( u_f[s] + u_b[s] + C(m - xbar_{s+1}, s+1, t)       [chain, if m >= chainNeed]
 *                     min_{s<j<=t} (sum_{k=s}^{j-1} u_f[k]) + C(m - x_j, j, t) + C(m, s, j-1) )
 *                                                     [leaf at j, if m >= max sweepNeed(s, t, k<j)]
 *
 * ordered lexicographically by (time, number of forwards), so equal times go to fewer recomputations.
 * Filled by t ascending, s descending, so every read is of a finished segment.
 *
 * Storage: segment p = s*L + t keeps only m in [need(p), last(p)] with last(p) = min(full(p), M), in
 * one typed-array pool per start s (entry `base[p] + min(m, last[p])`); reads above last land on the
 * saturated entry when full <= M.
 *
 * Exact pruning (proofs/chain-dp.md, "Pruning is exact"): C and every candidate are non-increasing in
 * m. (i) A leaf at j costs at least sum u_f[s..j-1] + sum_{k=s..t}(u_f + u_b), which grows with j:
 * once that exceeds C at m = need, no larger j can help. (ii) A leaf's candidate is at least its value
 * with both parts at their largest budget, so only the prefix of m where C stays above that can change
 * (bisection). (iii) On an interval [a, b] the candidate is at least its value at b and C at most its
 * value at a: branch and bound over intervals, scanning short ones.
 *
 * Complexity: O(S L^3) time worst case, O(S L^2) memory.
 * @see ../../proofs/chain-dp.md, "The recurrence"
 */
import type { ChainView } from "./chain-view.js";
import type { SlotChain } from "./discretize.js";
import type { SegmentEdges } from "./feasibility.js";
import { candidate, type LeafScratch, LOWER, lastAtLeast, relaxRange } from "./leaf-relax.js";
import { chainNeed, type SizeArrays, sweepNeed } from "./memory.js";

/** Segments filled between two looks at the clock. */
const CLOCK_EVERY = 64;

/** Typed-array pools, one per start s, with per-segment offsets. */
export interface Pools {
  readonly time: readonly Float64Array[];
  readonly forwards: readonly Int32Array[];
  /** base[p]: C(m, s, t) sits at time[pool][base[p] + min(m, last[p])]. */
  readonly base: Int32Array;
}

/** The filled table. */
export interface TimeTable {
  readonly view: ChainView;
  readonly slots: SlotChain;
  readonly edges: SegmentEdges;
  /** M: the largest m ever asked for (the top budget). */
  readonly maxSlots: number;
  /** last[p] = min(full[p], M), or -1 when need[p] > M (segment infeasible within M). */
  readonly last: Int32Array;
  /** The pools by start s: C(m, s, t) at rows.time[s][rows.base[p] + min(m, last[p])], ms. */
  readonly rows: Pools;
  /** prefixF[k] = sum_{i<k} u_f[i]; prefixFB[k] = sum_{i<k} (u_f[i] + u_b[i]). */
  readonly prefixF: Float64Array;
  readonly prefixFB: Float64Array;
  /** Entries stored (once) and candidate evaluations made. */
  readonly counters: { readonly entries: number; readonly candidates: number };
}

/** Prefix sums of a per-stage array. */
function prefix(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length + 1);
  for (let k = 0; k < values.length; k++) out[k + 1] = (out[k] as number) + (values[k] as number);
  return out;
}

/** One pool per start s holding the entries [need, last] of every segment (s, t). */
function pools(L: number, need: Float64Array, last: Int32Array): Pools {
  const base = new Int32Array(L * L);
  const time: Float64Array[] = [];
  const forwards: Int32Array[] = [];
  for (let s = 0; s < L; s++) {
    let size = 0;
    for (let t = s; t < L; t++) {
      const p = s * L + t;
      if ((last[p] as number) < 0) continue;
      base[p] = size - (need[p] as number);
      size += (last[p] as number) - (need[p] as number) + 1;
    }
    time.push(new Float64Array(size).fill(Number.POSITIVE_INFINITY));
    forwards.push(new Int32Array(size));
  }
  return { time, forwards, base };
}

/** Everything the fill reads, gathered once. */
interface Fill {
  readonly view: ChainView;
  /** Sizes in slots as int32, clamped to M + 1 (anything larger never fits either way). */
  readonly sizes: SizeArrays;
  readonly L: number;
  readonly M: number;
  readonly need: Int32Array;
  readonly full: Int32Array;
  readonly last: Int32Array;
  readonly rows: Pools;
  readonly prefixF: Float64Array;
  readonly prefixFB: Float64Array;
  /** least[p] = C(last[p], s, t): the segment's least time within M, a compact lower bound. */
  readonly least: Float64Array;
  /**
   * The same facts about segment (j, t) laid out by end t (index t*L + j), so that the right parts
   * (j, t), j = s+1..t, of one segment's leaves are read contiguously: need, last, base at
   * 3*(t*L + j) + 0, 1, 2 in `byEnd`, least in `leastByEnd`.
   */
  readonly byEnd: Int32Array;
  readonly leastByEnd: Float64Array;
  readonly leaf: LeafScratch;
  candidates: number;
}

/** Fills the table up to budget M = slots.topSlots; returns undefined when `deadline` (performance.now() ms) passes. */
export function fillTimeTable(
  view: ChainView,
  slots: SlotChain,
  edges: SegmentEdges,
  deadline: number,
): TimeTable | undefined {
  const L = view.length;
  const M = slots.topSlots;
  const last = new Int32Array(L * L).fill(-1);
  let entries = 0;
  for (let p = 0; p < L * L; p++) {
    const lo = edges.need[p] as number;
    if (p % L < Math.floor(p / L) || lo > M) continue;
    last[p] = Math.min(edges.full[p] as number, M);
    entries += (last[p] as number) - lo + 1;
  }
  const clamp = (values: Float64Array) => Int32Array.from(values, (v) => Math.min(v, M + 1));
  const { x, xbar, delta, of, ob } = slots.sizes;
  const fill: Fill = {
    view,
    sizes: { x: clamp(x), xbar: clamp(xbar), delta: clamp(delta), of: clamp(of), ob: clamp(ob) },
    L,
    M,
    need: clamp(edges.need),
    full: clamp(edges.full),
    last,
    rows: pools(L, edges.need, last),
    prefixF: prefix(view.uf),
    prefixFB: prefix(view.uf.map((f, k) => f + (view.ub[k] as number))),
    least: new Float64Array(L * L),
    byEnd: new Int32Array(3 * L * L),
    leastByEnd: new Float64Array(L * L),
    leaf: {
      T: new Float64Array(0),
      N: new Int32Array(0),
      at: 0,
      Tr: new Float64Array(0),
      Nr: new Int32Array(0),
      atr: 0,
      lastr: 0,
      atl: 0,
      lastl: 0,
      sweepMs: 0,
      moves: 0,
    },
    candidates: 0,
  };
  for (let p = 0; p < L * L; p++) fill.byEnd[3 * ((p % L) * L + Math.floor(p / L)) + 1] = last[p] as number;
  let filled = 0;
  for (let t = 0; t < L; t++) {
    for (let s = t; s >= 0; s--) {
      if (++filled % CLOCK_EVERY === 0 && performance.now() > deadline) return undefined;
      if ((last[s * L + t] as number) >= 0) fillSegment(fill, s, t);
    }
  }
  return {
    view,
    slots,
    edges,
    maxSlots: M,
    last,
    rows: fill.rows,
    prefixF: fill.prefixF,
    prefixFB: fill.prefixFB,
    counters: { entries, candidates: fill.candidates },
  };
}

/** Computes C(m, s, t) for every stored m, in the pool of s. */
function fillSegment(fill: Fill, s: number, t: number): void {
  const { L, M, need, full, last, rows, view, sizes } = fill;
  const p = s * L + t;
  const lo = need[p] as number;
  const top = last[p] as number;
  const T = rows.time[s] as Float64Array;
  const N = rows.forwards[s] as Int32Array;
  const at = rows.base[p] as number;
  const allChainMs = (fill.prefixFB[t + 1] as number) - (fill.prefixFB[s] as number);
  let mEnd = M;
  if ((full[p] as number) <= M) {
    T[at + top] = allChainMs;
    N[at + top] = t - s + 1;
    mEnd = top - 1;
  }
  if (mEnd >= lo) {
    // chain move: F_all^s, segment (s+1, t) with m - xbar_{s+1}, B^s
    const q = p + L;
    if (s < t && (last[q] as number) >= 0) {
      const Tq = rows.time[s + 1] as Float64Array;
      const Nq = rows.forwards[s + 1] as Int32Array;
      const xb = sizes.xbar[s + 1] as number;
      const lastq = last[q] as number;
      const atq = rows.base[q] as number;
      const stageMs = (view.uf[s] as number) + (view.ub[s] as number);
      for (let m = Math.max(lo, chainNeed(sizes, s, t), xb + (need[q] as number)); m <= mEnd; m++) {
        const iq = atq + Math.min(m - xb, lastq);
        T[at + m] = stageMs + (Tq[iq] as number);
        N[at + m] = 1 + (Nq[iq] as number);
      }
    }
    leafMoves(fill, s, t, mEnd, allChainMs);
  }
  fill.least[p] = T[at + top] as number;
  const e = t * L + s;
  fill.byEnd[3 * e] = lo;
  fill.byEnd[3 * e + 2] = at;
  fill.leastByEnd[e] = T[at + top] as number;
}

/** Relaxes C(m, s, t), m in [need, mEnd], with every leaf move j = s+1..t. */
function leafMoves(fill: Fill, s: number, t: number, mEnd: number, allChainMs: number): void {
  const { L, need, last, rows, view, sizes, prefixF, least, byEnd, leastByEnd } = fill;
  const p = s * L + t;
  const lo = need[p] as number;
  const T = rows.time[s] as Float64Array;
  const at = rows.base[p] as number;
  const leaf = fill.leaf;
  leaf.T = T;
  leaf.N = rows.forwards[s] as Int32Array;
  leaf.at = at | 0;
  let sweep = 0;
  for (let j = s + 1; j <= t; j++) {
    if (view.recomputable[j - 1] === 0) break;
    sweep = Math.max(sweep, sweepNeed(sizes, s, t, j - 1));
    const sweepMs = (prefixF[j] as number) - (prefixF[s] as number);
    if ((sweepMs + allChainMs) * LOWER > (T[at + lo] as number)) break;
    const e = 3 * (t * L + j);
    const l = p - t + j - 1;
    const lastr = byEnd[e + 1] as number;
    const lastl = last[l] as number;
    if (lastr < 0 || lastl < 0) continue;
    const xj = sizes.x[j] as number;
    const mStart = Math.max(lo, sweep, xj + (byEnd[e] as number), need[l] as number);
    if (mStart > mEnd) continue;
    // compact lower bound (each part at its largest budget): only the prefix where C stays above it can change
    const floor = (sweepMs + (leastByEnd[t * L + j] as number) + (least[l] as number)) * LOWER;
    if ((T[at + mStart] as number) < floor) continue;
    const mLast = lastAtLeast(T, at, mStart, mEnd, floor);
    leaf.sweepMs = sweepMs;
    leaf.moves = j - s;
    leaf.Tr = rows.time[j] as Float64Array;
    leaf.Nr = rows.forwards[j] as Int32Array;
    leaf.atr = ((byEnd[e + 2] as number) - xj) | 0;
    leaf.lastr = (lastr + xj) | 0;
    leaf.atl = (rows.base[l] as number) | 0;
    leaf.lastl = lastl | 0;
    fill.candidates += relaxRange(leaf, mStart | 0, mLast | 0, candidate(leaf, mLast));
  }
}
