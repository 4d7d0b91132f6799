/**
 * The moves of one spine state (solvers/pofo/spine.ts, proofs/pofo.md "The recurrence"): each move's
 * body (its forward, what it does with the copies, and the rest's time), then the best move with its
 * backward part and the prefetch mode, under the memory conditions of moves.ts.
 */
import type { TimeTable } from "../chain/table.js";
import { chainBackNeed, chainForwardNeed, serialNeed, sweepStageNeed } from "./moves.js";
import {
  backwardSlots,
  INF,
  type PrefetchMode,
  restValue,
  type SpineInputs,
  spineValue,
} from "./spine-layout.js";

/**
 * Scratch of one (s, m, q): each move's best forward-plus-rest time and its copy decisions (copy codes
 * 0 keep, 1 now, 2 lagged). Leaves are filled lazily in j order, as the candidates ask for them.
 */
export interface Bodies {
  s: number;
  m: number;
  q: number;
  chainMs: number;
  chainCopy: number;
  chainFrees: boolean;
  readonly leafMs: Float64Array;
  readonly leafCopy: Uint8Array;
  readonly leafFrees: Uint8Array;
  /** The last j whose leaf is filled (s: none yet), and the last j a leaf may have (stages s..j-1 recomputable). */
  filled: number;
  limit: number;
  /** The sweep's least memory up to `filled`. */
  sweepNeed: number;
}

/** A mutable best-so-far, filled by {@link combine}. */
export interface Best {
  timeMs: number;
  kind: "chain" | "leaf";
  j: number;
  copy: number;
  frees: boolean;
  mode: PrefetchMode;
}

/** Rotor's C(m, s, t), Infinity when m is below the segment's least budget. */
function segmentMs(rotor: TimeTable, s: number, t: number, m: number): number {
  const p = s * rotor.view.length + t;
  const last = rotor.last[p] as number;
  if (m < 0 || last < 0 || m < (rotor.edges.need[p] as number)) return INF;
  return rotor.rows.time[(rotor.rows.base[p] as number) + Math.min(m, last)] as number;
}

/** The best body of one move, written by {@link bodyOf}. */
const body = { ms: INF, copy: 0, frees: false };

function offerBody(ms: number, copy: number, frees: boolean): void {
  if (!(ms < body.ms)) return;
  body.ms = ms;
  body.copy = copy;
  body.frees = frees;
}

/**
 * The best body of a move at the scratch's (s, m, q) that makes `made` slots and computes forward for
 * `forwardMs`, whose rest starts at `next` (-1: the move ends the spine), into {@link body}.
 * `mayCopy`: `a_s` may go to the host.
 */
function bodyOf(
  inputs: SpineInputs,
  values: Float64Array,
  b: Bodies,
  forwardMs: number,
  made: number,
  next: number,
  mayCopy: boolean,
): void {
  const { sizes, link, rotor } = inputs;
  const { s, q } = b;
  const restSlots = b.m - made;
  body.ms = INF;
  if (q >= 0) {
    // the pending copy of a_q ran through every forward since its move began
    const left =
      (link.transferMs[q] as number) - ((rotor.prefixF[s] as number) - (rotor.prefixF[q] as number));
    const freed = restValue(inputs, values, next, restSlots + (sizes.x[q] as number), -1, -1);
    offerBody(Math.max(forwardMs, left) + freed, 0, true);
    if (next >= 0) offerBody(forwardMs + spineValue(inputs, values, next, restSlots, -1, q), 0, false);
    return;
  }
  offerBody(forwardMs + restValue(inputs, values, next, restSlots, -1, -1), 0, false);
  if (!mayCopy) return;
  const d = link.transferMs[s] as number;
  const back = next < 0 ? d : spineValue(inputs, values, next, restSlots + (sizes.x[s] as number), s, -1);
  offerBody(Math.max(forwardMs, d) + back, 1, false);
  if (next >= 0) offerBody(forwardMs + spineValue(inputs, values, next, restSlots, s, s), 2, false);
}

/** Sets the scratch to (s, m, q): the chain move's body now, the leaves left to {@link leafBody}. */
export function fillBodies(
  inputs: SpineInputs,
  values: Float64Array,
  s: number,
  m: number,
  q: number,
  b: Bodies,
): void {
  const { view, sizes, link } = inputs;
  const L = view.length;
  b.s = s;
  b.m = m;
  b.q = q;
  b.filled = s;
  b.sweepNeed = 0;
  let limit = s;
  while (limit + 1 < L && view.recomputable[limit] === 1) limit++;
  b.limit = limit;
  b.chainMs = INF;
  if (m < chainForwardNeed(sizes, s, L)) return;
  bodyOf(
    inputs,
    values,
    b,
    view.uf[s] as number,
    sizes.xbar[s + 1] as number,
    s === L - 1 ? -1 : s + 1,
    link.chainOffload[s] === 1,
  );
  b.chainMs = body.ms;
  b.chainCopy = body.copy;
  b.chainFrees = body.frees;
}

/** The leaf at j's body (j <= b.limit), filling the leaves up to j first. */
function leafBody(inputs: SpineInputs, values: Float64Array, b: Bodies, j: number): number {
  const { sizes, rotor, link } = inputs;
  const L = inputs.view.length;
  while (b.filled < j) {
    const k = b.filled + 1;
    b.sweepNeed = Math.max(b.sweepNeed, sweepStageNeed(sizes, b.s, L, k - 1));
    b.filled = k;
    b.leafMs[k] = INF;
    if (b.m < b.sweepNeed) continue;
    const sweepMs = (rotor.prefixF[k] as number) - (rotor.prefixF[b.s] as number);
    bodyOf(inputs, values, b, sweepMs, sizes.x[k] as number, k, link.canOffload[b.s] === 1);
    b.leafMs[k] = body.ms;
    b.leafCopy[k] = body.copy;
    b.leafFrees[k] = body.frees ? 1 : 0;
  }
  return b.leafMs[j] as number;
}

/** Offers one candidate to `best` (strictly better only: earlier candidates win ties). */
function offer(
  best: Best,
  timeMs: number,
  kind: "chain" | "leaf",
  j: number,
  copy: number,
  frees: boolean,
  mode: PrefetchMode,
): void {
  if (!(timeMs < best.timeMs)) return;
  best.timeMs = timeMs;
  best.kind = kind;
  best.j = j;
  best.copy = copy;
  best.frees = frees;
  best.mode = mode;
}

/** The chain move's candidates given its body, with m the backward part's slots. */
function offerChain(inputs: SpineInputs, b: Bodies, m: number, p: number, best: Best): void {
  if (b.chainMs === INF) return;
  const { sizes, view, link } = inputs;
  const s = b.s;
  const ub = view.ub[s] as number;
  const back = chainBackNeed(sizes, s);
  if (p < 0) {
    if (m >= back) offer(best, b.chainMs + ub, "chain", s + 1, b.chainCopy, b.chainFrees, "none");
    return;
  }
  const d = link.transferMs[p] as number;
  if (m >= back && m >= serialNeed(sizes, s, p))
    offer(best, b.chainMs + (ub + d), "chain", s + 1, b.chainCopy, b.chainFrees, "serial");
  if (m >= back + (sizes.x[p] as number))
    offer(best, b.chainMs + Math.max(ub, d), "chain", s + 1, b.chainCopy, b.chainFrees, "overlap");
}

/**
 * The leaf moves' candidates given their bodies, with m the backward part's slots. A leaf at j costs at
 * least its sweep plus every stage's forward and backward once, which grows with j: the scan stops once
 * that reaches the best candidate (no later leaf can beat it).
 */
function offerLeaves(
  inputs: SpineInputs,
  values: Float64Array,
  b: Bodies,
  m: number,
  p: number,
  best: Best,
): number {
  const { sizes, link, rotor } = inputs;
  const s = b.s;
  const d = p < 0 ? 0 : (link.transferMs[p] as number);
  const xp = p < 0 ? 0 : (sizes.x[p] as number);
  const serialFits = p >= 0 && m >= serialNeed(sizes, s, p);
  const floorMs = (rotor.prefixFB[inputs.view.length] as number) - (rotor.prefixFB[s] as number);
  let candidates = 0;
  for (let j = s + 1; j <= b.limit; j++) {
    if ((rotor.prefixF[j] as number) - (rotor.prefixF[s] as number) + floorMs >= best.timeMs) break;
    const ms = leafBody(inputs, values, b, j);
    if (ms === INF) continue;
    candidates++;
    const copy = b.leafCopy[j] as number;
    const frees = b.leafFrees[j] === 1;
    const left = segmentMs(rotor, s, j - 1, m);
    if (p < 0) {
      offer(best, ms + left, "leaf", j, copy, frees, "none");
      continue;
    }
    if (serialFits) offer(best, ms + (left + d), "leaf", j, copy, frees, "serial");
    offer(best, ms + Math.max(segmentMs(rotor, s, j - 1, m - xp), d), "leaf", j, copy, frees, "overlap");
  }
  return candidates;
}

/**
 * Picks the best move at (s, m, p, q) into `best`; returns the candidates compared. The backward part
 * runs with m plus `a_q`'s slots when its copy is pending: every pending copy is freed by the end of
 * the forward pass, before any backward part, and `a_q` comes back only with the prefetch that p or an
 * earlier move carries.
 */
export function combine(inputs: SpineInputs, values: Float64Array, b: Bodies, p: number, best: Best): number {
  best.timeMs = INF;
  const backSlots = backwardSlots(inputs, b.m, b.q);
  offerChain(inputs, b, backSlots, p, best);
  return 1 + offerLeaves(inputs, values, b, backSlots, p, best);
}

/** A fresh scratch for a chain of L stages. */
export function newBodies(L: number): Bodies {
  return {
    s: 0,
    m: 0,
    q: -1,
    chainMs: INF,
    chainCopy: 0,
    chainFrees: false,
    leafMs: new Float64Array(L + 1),
    leafCopy: new Uint8Array(L + 1),
    leafFrees: new Uint8Array(L + 1),
    filled: 0,
    limit: 0,
    sweepNeed: 0,
  };
}

/** A fresh best-so-far. */
export function newBest(): Best {
  return { timeMs: INF, kind: "chain", j: 0, copy: 0, frees: false, mode: "none" };
}
