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
 * Filled in tiles of TILE ends t: tiles by t ascending, inside a tile s descending, then t ascending;
 * (s, t) reads (s, t') for t' < t (an earlier tile, or the same s just before) and (s', t) for s' > s
 * (an earlier s of the same tile), so every read is of a finished segment. The tiles are for the
 * cache: the left parts (s, j-1) of one s are read by TILE segments in a row.
 *
 * Storage: segment p = s*L + t keeps only m in [need(p), last(p)] with last(p) = min(full(p), M), in
 * one typed array for the whole table, segments ordered by start s then end t (entry
 * `base[p] + min(m, last[p])`); reads above last land on the saturated entry when full <= M.
 *
 * Exact pruning (proofs/chain-dp.md, "Pruning is exact"): C and every candidate are non-increasing in
 * m. (i) A leaf at j costs at least sum u_f[s..j-1] + sum_{k=s..t}(u_f + u_b), which grows with j:
 * once that exceeds C at m = need, no larger j can help. (ii) A leaf's candidate is at least its value
 * with both parts at their largest budget, so only the prefix of m where C stays above that can change
 * (the scan stops where C drops below it). (iii) On an interval [a, b] the candidate is at least a
 * lower bound of its value at b and C at most its value at a: aligned groups of 64 budgets are bounded
 * with a coarse copy of the left part, blocks of 8 with the exact candidate at b, and the blocks not
 * cut are scanned (leaf-relax.ts).
 *
 * Complexity: O(S L^3) time worst case, O(S L^2) memory: 12 bytes per entry, 68 per pair of stages with
 * the edges (limits.ts states and caps both).
 * @see ../../proofs/chain-dp.md, "The recurrence"
 */
import { InternalError } from "../../src/errors.js";
import { type Deadline, NO_DEADLINE } from "../../src/time-limit.js";
import type { ChainView } from "./chain-view.js";
import type { SlotChain } from "./discretize.js";
import type { SegmentEdges } from "./feasibility.js";
import { COARSE_SHIFT, type LeafContext, relaxLeaves } from "./leaf-relax.js";
import { MAX_TABLE_ENTRIES, MEMORY_CAP_BYTES, timeTableBytes } from "./limits.js";
import { chainNeed } from "./memory.js";

/** Ends t per tile of the fill order. */
const TILE = 8;

/** The table's storage: every segment's entries in one pair of typed arrays. */
export interface Pools {
  /** C(m, s, t) sits at time[base[p] + min(m, last[p])], p = s*L + t, ms. */
  readonly time: Float64Array;
  /** The number of forwards of that entry. */
  readonly forwards: Int32Array;
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
  /** The entries: C(m, s, t) at rows.time[rows.base[p] + min(m, last[p])], ms. */
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

/**
 * Entries written between two looks at the clock while allocating: 2^16 (512 KB of float64). Writing
 * fresh memory is bound by page faults, which took up to 40 us a page on the loaded machine of
 * bench/results (240 MB in 2.2 s): a few milliseconds a chunk.
 */
const FILL_CHUNK = 1 << 16;
/** Index-table entries written between two looks at the clock (each may fault a page of byEnd). */
const INDEX_CHUNK = 1 << 10;

/** How many entries and coarse entries the table of `edges` up to budget M holds. */
export interface TableSize {
  readonly entries: number;
  readonly coarseEntries: number;
}

/**
 * The size of the table of `edges` up to budget M, in O(L^2), before anything is allocated (limits.ts
 * refuses tables past the caps).
 * @throws TimeLimitReached when `deadline` passes (checked per start s)
 */
export function tableSize(edges: SegmentEdges, M: number, deadline: Deadline = NO_DEADLINE): TableSize {
  const L = edges.length;
  let entries = 0;
  let coarseEntries = 0;
  for (let s = 0; s < L; s++) {
    deadline.check("table size");
    for (let p = s * L + s; p < (s + 1) * L; p++) {
      const lo = edges.need[p] as number;
      if (lo > M) continue;
      const top = Math.min(edges.full[p] as number, M);
      entries += top - lo + 1;
      coarseEntries += (top >> COARSE_SHIFT) - (lo >> COARSE_SHIFT) + 1;
    }
  }
  return { entries, coarseEntries };
}

/** The per-segment index tables of the fill, built row by row (segments by start s, then end t). */
interface IndexTables {
  readonly last: Int32Array;
  readonly base: Int32Array;
  readonly coarseBase: Int32Array;
  readonly byEnd: Int32Array;
  /** need and full as int32, clamped to M + 1. */
  readonly need: Int32Array;
  readonly full: Int32Array;
}

/**
 * last, base (entries by start s then end t), coarse bases, byEnd's `last` column and the clamped
 * edges, for a table of `size`.
 * @throws TimeLimitReached when `deadline` passes (checked every INDEX_CHUNK entries)
 */
function indexTables(edges: SegmentEdges, M: number, size: TableSize, deadline: Deadline): IndexTables {
  const L = edges.length;
  const last = new Int32Array(L * L);
  const base = new Int32Array(L * L);
  const coarseBase = new Int32Array(L * L);
  const byEnd = new Int32Array(3 * L * L);
  const need = new Int32Array(L * L);
  const full = new Int32Array(L * L);
  let at = 0;
  let coarseAt = 0;
  for (let s = 0; s < L; s++) {
    for (let t = 0; t < L; t++) {
      const p = s * L + t;
      if (p % INDEX_CHUNK === 0) deadline.check("table index");
      last[p] = -1;
      const lo = edges.need[p] as number;
      need[p] = Math.min(lo, M + 1);
      full[p] = Math.min(edges.full[p] as number, M + 1);
      if (t >= s && lo <= M) {
        const top = Math.min(edges.full[p] as number, M);
        last[p] = top;
        base[p] = at - lo;
        at += top - lo + 1;
        const k0 = lo >> COARSE_SHIFT;
        coarseBase[p] = coarseAt - k0;
        coarseAt += (top >> COARSE_SHIFT) - k0 + 1;
      }
      byEnd[3 * (t * L + s) + 1] = last[p] as number;
    }
  }
  if (at !== size.entries || coarseAt !== size.coarseEntries)
    throw new InternalError(`chain-dp: the table holds ${at} entries, not the ${size.entries} counted`);
  return { last, base, coarseBase, byEnd, need, full };
}

/** Everything the fill reads, gathered once. */
interface Fill extends LeafContext {
  readonly view: ChainView;
  readonly M: number;
  readonly full: Int32Array;
  /** Sizes in slots as int32, clamped to M + 1 (anything larger never fits either way). */
  readonly xbar: Int32Array;
  readonly ob: Int32Array;
  readonly prefixFB: Float64Array;
  candidates: number;
}

/**
 * Fills the table up to budget M = slots.topSlots. The caller checks its size first (`tableSize`,
 * limits.ts `requireTableFits`).
 * @throws TimeLimitReached when `deadline` passes: phases "table size", "table index", "table
 *   allocation" (per 2^22 entries), "table fill" (before every segment)
 * @throws InternalError when the table passes the caps of limits.ts (the caller did not check)
 */
export function fillTimeTable(
  view: ChainView,
  slots: SlotChain,
  edges: SegmentEdges,
  deadline: Deadline = NO_DEADLINE,
): TimeTable {
  const L = view.length;
  const M = slots.topSlots;
  const size = tableSize(edges, M, deadline);
  if (
    size.entries > MAX_TABLE_ENTRIES ||
    timeTableBytes(L, size.entries, size.coarseEntries) > MEMORY_CAP_BYTES
  )
    throw new InternalError(`chain-dp: a table of ${size.entries} entries passed the caps unchecked`);
  const index = indexTables(edges, M, size, deadline);
  const time = new Float64Array(size.entries);
  for (let from = 0; from < size.entries; from += FILL_CHUNK) {
    deadline.check("table allocation");
    time.fill(Number.POSITIVE_INFINITY, from, Math.min(size.entries, from + FILL_CHUNK));
  }
  const rows: Pools = { time, forwards: new Int32Array(size.entries), base: index.base };
  const clamp = (values: Float64Array) => Int32Array.from(values, (v) => Math.min(v, M + 1));
  const { x, xbar, delta, of, ob } = slots.sizes;
  const { last } = index;
  const fill: Fill = {
    view,
    L,
    M,
    x: clamp(x),
    xbar: clamp(xbar),
    delta: clamp(delta),
    of: clamp(of),
    ob: clamp(ob),
    need: index.need,
    full: index.full,
    last,
    time: rows.time,
    forwards: rows.forwards,
    base: rows.base,
    recomputable: view.recomputable,
    prefixF: prefix(view.uf),
    prefixFB: prefix(view.uf.map((f, k) => f + (view.ub[k] as number))),
    least: new Float64Array(L * L),
    coarse: new Float64Array(size.coarseEntries),
    coarseBase: index.coarseBase,
    byEnd: index.byEnd,
    leastByEnd: new Float64Array(L * L),
    candidates: 0,
  };
  for (let t0 = 0; t0 < L; t0 += TILE) {
    const t1 = Math.min(L, t0 + TILE) - 1;
    for (let s = t1; s >= 0; s--) {
      for (let t = Math.max(s, t0); t <= t1; t++) {
        deadline.check("table fill");
        if ((last[s * L + t] as number) >= 0) fillSegment(fill, s, t);
      }
    }
  }
  return {
    view,
    slots,
    edges,
    maxSlots: M,
    last,
    rows,
    prefixF: fill.prefixF,
    prefixFB: fill.prefixFB,
    counters: { entries: size.entries, candidates: fill.candidates },
  };
}

/** Computes C(m, s, t) for every stored m. */
function fillSegment(fill: Fill, s: number, t: number): void {
  const { L, M, need, full, last, time: T, forwards: N, base } = fill;
  const p = s * L + t;
  const lo = need[p] as number;
  const top = last[p] as number;
  const at = base[p] as number;
  const allChainMs = (fill.prefixFB[t + 1] as number) - (fill.prefixFB[s] as number);
  let mEnd = M;
  if ((full[p] as number) <= M) {
    T[at + top] = allChainMs;
    N[at + top] = t - s + 1;
    mEnd = top - 1;
  }
  if (mEnd >= lo) {
    if (s < t && (last[p + L] as number) >= 0) chainMove(fill, s, t, mEnd);
    fill.candidates += relaxLeaves(fill, s, t, mEnd, allChainMs);
  }
  recordSegment(fill, p, s, t);
}

/**
 * Writes the chain move's candidate into C(m, s, t) for m from its least budget to `mEnd` (the first
 * candidate written, so no comparison): F_all^s, segment (s+1, t) with m - xbar_{s+1}, B^s. The caller
 * checks that s < t and that (s+1, t) is feasible within M.
 */
function chainMove(fill: Fill, s: number, t: number, mEnd: number): void {
  const { L, need, last, time: T, forwards: N, base, view } = fill;
  const p = s * L + t;
  const q = p + L;
  const at = base[p] as number;
  const xb = fill.xbar[s + 1] as number;
  const lastq = last[q] as number;
  const atq = (base[q] as number) - xb;
  const capq = lastq + xb;
  const stageMs = (view.uf[s] as number) + (view.ub[s] as number);
  const from = Math.max(need[p] as number, chainNeed(fill, s, t), xb + (need[q] as number));
  const split = Math.min(mEnd, capq);
  for (let m = from; m <= split; m++) {
    T[at + m] = stageMs + (T[atq + m] as number);
    N[at + m] = 1 + (N[atq + m] as number);
  }
  if (split < mEnd) {
    const time = stageMs + (T[atq + capq] as number);
    const forwards = 1 + (N[atq + capq] as number);
    for (let m = Math.max(from, split + 1); m <= mEnd; m++) {
      T[at + m] = time;
      N[at + m] = forwards;
    }
  }
}

/**
 * Records the finished segment p = (s, t) where later segments read it: least[p], its coarse copy and
 * its columns of byEnd and leastByEnd.
 */
function recordSegment(fill: Fill, p: number, s: number, t: number): void {
  const { L, time: T, coarse } = fill;
  const lo = fill.need[p] as number;
  const top = fill.last[p] as number;
  const at = fill.base[p] as number;
  fill.least[p] = T[at + top] as number;
  const cb = fill.coarseBase[p] as number;
  const kTop = top >> COARSE_SHIFT;
  for (let k = lo >> COARSE_SHIFT; k < kTop; k++)
    coarse[cb + k] = T[at + ((k + 1) << COARSE_SHIFT) - 1] as number;
  coarse[cb + kTop] = T[at + top] as number;
  const e = t * L + s;
  fill.byEnd[3 * e] = lo;
  fill.byEnd[3 * e + 2] = at;
  fill.leastByEnd[e] = T[at + top] as number;
}
