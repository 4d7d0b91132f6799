/**
 * pofo's table: rotor's persistent recurrence on the spine of the chain (the segments (s, L-1), which the
 * top-level forward pass walks through), extended with the offload of each spine checkpoint `a_s`
 * (proofs/pofo.md, "The recurrence"). The state is (s, m, p, q): the forward pass stands at stage s with
 * `a_s` just computed (not counted in m), m slots free for everything else, p the checkpoint whose
 * prefetch this state's move carries (the previous move's, when it went to the host) and q the
 * checkpoint whose copy is still running (pending; none, p, or an older one). With `C` rotor's table
 * (solvers/chain/table.ts), `d_k` one copy of `a_k`, W the move's forward time and `e_q` the forward
 * time since `a_q`'s copy began (prefix sums of u_f):
 *
 *   Q(s, m, p, q) = min over the move at s (chain, or a leaf at j), what it does with the copies, and,
 *                   when p is set, the prefetch mode, of  forward + Q(rest) + backward part:
 *     q pending:  free it at the forward's end, max(W, d_q - e_q), the rest gets x_q; or keep it pending
 *     q none:     keep a_s (W); copy it and free it at the forward's end (max(W, d_s), the rest gets x_s);
 *                 or copy it and leave it pending (W; the rest's q is s)
 *     backward:   chain u_b[s], leaf C(m', s, j-1), with the prefetch of a_p before it (overlap: max with
 *                 d_p, a_p's slots taken from m') or after it (serial: + d_p); m' is m plus a_q's slots
 *                 when q is pending (every pending copy is freed before any backward part runs)
 *
 * each under the memory conditions of moves.ts. Every copy starts on an idle channel and no stall
 * happens while a copy is pending but its own free, so the terms above are the evaluator's times
 * exactly (proofs/pofo.md, "Times are exact").
 *
 * Fill: s from L-1 down to 0 (Q(s) reads Q(j) for j > s); per (s, m, q) the move bodies (forward, copies,
 * rest) once, then per p the best move with its backward part. O(L^3 S) time, about 3 L^2 S / 2 entries.
 */
import { InternalError } from "../../src/errors.js";
import type { Deadline } from "../../src/time-limit.js";
import type { ChainView } from "../chain/chain-view.js";
import type { ChainSizes } from "../chain/discretize.js";
import type { TimeTable } from "../chain/table.js";
import type { ChainLink } from "./link.js";
import { chainBackNeed, chainForwardNeed, serialNeed, sweepStageNeed } from "./moves.js";

/** How the prefetch a state carries is placed: none to carry, before its backward, or after it. */
export type PrefetchMode = "none" | "overlap" | "serial";

/**
 * What a move does with its checkpoint `a_s`: keeps it, or copies it to the host and frees it at the
 * end of its own forward (`now`) or of a later move's (`lagged`: the copy stays pending).
 */
export type CopyAction = "keep" | "now" | "lagged";

/** Everything the fill and the read-back read. */
export interface SpineInputs {
  readonly view: ChainView;
  readonly sizes: ChainSizes;
  readonly link: ChainLink;
  readonly rotor: TimeTable;
  /** M: the largest m any state can have (the activation budget in slots). */
  readonly maxSlots: number;
}

/** The filled spine table. */
export interface SpineTable extends SpineInputs {
  /** Q(s, m, p, q) at values[(rowBase(s) + rowIn(s, p, q)) (M + 1) + m]. */
  readonly values: Float64Array;
  /** Entries stored, and candidate moves compared. */
  readonly counters: { readonly entries: number; readonly candidates: number };
}

/**
 * The first row of the states at s. Stage s has 3 s + 1 rows: (p, none) for p in {none, 0..s-1}, then
 * (q, q) and (none, q) for q < s; this is their sum over s' < s.
 */
function rowBase(s: number): number {
  return (3 * s * (s - 1)) / 2 + s;
}

/** The row of (p, q) among those of s (see {@link rowsAt}). */
function rowIn(s: number, p: number, q: number): number {
  if (q < 0) return p + 1;
  return p === q ? s + 1 + q : 2 * s + 1 + q;
}

/** The entries a spine table of L stages and M slots holds. */
export function spineEntries(L: number, maxSlots: number): number {
  return rowBase(L) * (maxSlots + 1);
}

/** The best move of one state, as the read-back needs it. */
export interface SpineChoice {
  readonly timeMs: number;
  readonly kind: "chain" | "leaf";
  /** The leaf's j (s + 1 for a chain move). */
  readonly j: number;
  readonly copy: CopyAction;
  /** Whether the pending copy (of the state's q) is freed at the end of this move's forward. */
  readonly frees: boolean;
  readonly mode: PrefetchMode;
}

/**
 * Scratch of one (s, m, q): each move's best forward-plus-rest time and its copy decisions (copy codes
 * 0 keep, 1 now, 2 lagged). Leaves are filled lazily in j order, as the candidates ask for them.
 */
interface Bodies {
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
interface Best {
  timeMs: number;
  kind: "chain" | "leaf";
  j: number;
  copy: number;
  frees: boolean;
  mode: PrefetchMode;
}

const INF = Number.POSITIVE_INFINITY;
const COPY_CODES: readonly CopyAction[] = ["keep", "now", "lagged"];

/** Q(s, m, p, q) from a table filled at least for every s' >= s. */
function spineValue(
  inputs: SpineInputs,
  values: Float64Array,
  s: number,
  m: number,
  p: number,
  q: number,
): number {
  if (m < 0) return INF;
  if (m > inputs.maxSlots)
    throw new InternalError(`pofo: state (${s}, ${m}) above the ${inputs.maxSlots} slots`);
  return values[(rowBase(s) + rowIn(s, p, q)) * (inputs.maxSlots + 1) + m] as number;
}

/** The rest's time from `next` (none: -1, the spine ends and costs 0). */
function restValue(
  inputs: SpineInputs,
  values: Float64Array,
  next: number,
  m: number,
  p: number,
  q: number,
): number {
  return next < 0 ? 0 : spineValue(inputs, values, next, m, p, q);
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
function fillBodies(
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
function combine(inputs: SpineInputs, values: Float64Array, b: Bodies, p: number, best: Best): number {
  best.timeMs = INF;
  const backSlots = backwardSlots(inputs, b.m, b.q);
  offerChain(inputs, b, backSlots, p, best);
  return 1 + offerLeaves(inputs, values, b, backSlots, p, best);
}

/** The slots a state's backward part has: m, plus `a_q`'s when its copy is pending (q >= 0). */
export function backwardSlots(inputs: SpineInputs, m: number, q: number): number {
  return q >= 0 ? m + (inputs.sizes.x[q] as number) : m;
}

function newBodies(L: number): Bodies {
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

function newBest(): Best {
  return { timeMs: INF, kind: "chain", j: 0, copy: 0, frees: false, mode: "none" };
}

/** The (p, q) pairs of the states at s that can occur: pending and carried copies of offloadable checkpoints. */
function statePairs(link: ChainLink, s: number): [number, number][] {
  // grouped by q, so that each (s, m, q) fills its bodies once
  const pairs: [number, number][] = [[-1, -1]];
  for (let k = 0; k < s; k++) if (link.canOffload[k] === 1) pairs.push([k, -1]);
  for (let k = 0; k < s; k++) if (link.canOffload[k] === 1) pairs.push([k, k], [-1, k]);
  return pairs;
}

/**
 * Fills Q for every state. The caller checks the size first ({@link spineEntries}).
 * @throws TimeLimitReached when `deadline` passes (checked per (s, m))
 */
export function fillSpine(inputs: SpineInputs, deadline: Deadline): SpineTable {
  const L = inputs.view.length;
  const width = inputs.maxSlots + 1;
  const entries = spineEntries(L, inputs.maxSlots);
  const values = new Float64Array(entries).fill(INF);
  const bodies = newBodies(L);
  const best = newBest();
  let candidates = 0;
  for (let s = L - 1; s >= 0; s--) {
    const pairs = statePairs(inputs.link, s);
    // a state holds m + x_s (+ x_q when a_q's copy is pending) <= M (the root has m = M - x_0; every
    // move keeps it): larger m never occur
    const mTop = inputs.maxSlots - (inputs.sizes.x[s] as number);
    for (let m = 0; m <= mTop; m++) {
      deadline.check("spine fill");
      let bodiesOf = Number.NaN;
      for (const [p, q] of pairs) {
        // a pending copy's checkpoint is resident outside m too
        if (q >= 0 && m > mTop - (inputs.sizes.x[q] as number)) continue;
        if (q !== bodiesOf) {
          fillBodies(inputs, values, s, m, q, bodies);
          bodiesOf = q;
        }
        candidates += combine(inputs, values, bodies, p, best);
        values[(rowBase(s) + rowIn(s, p, q)) * width + m] = best.timeMs;
      }
    }
  }
  return { ...inputs, values, counters: { entries, candidates } };
}

/** The best move at (s, m, p, q) of a filled table (the fill's own computation, repeated for one state). */
export function spineChoice(table: SpineTable, s: number, m: number, p: number, q: number): SpineChoice {
  const bodies = newBodies(table.view.length);
  const best = newBest();
  fillBodies(table, table.values, s, m, q, bodies);
  combine(table, table.values, bodies, p, best);
  const { copy, ...rest } = best;
  return { ...rest, copy: COPY_CODES[copy] as CopyAction };
}

/** Q(s, m, p, q) of a filled table. */
export function spineAt(table: SpineTable, s: number, m: number, p: number, q: number): number {
  return spineValue(table, table.values, s, m, p, q);
}
