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

/** Rows of the states at s: (p, none) for p in {none, 0..s-1}, (q, q) and (none, q) for q < s. */
function rowsAt(s: number): number {
  return 3 * s + 1;
}

/** The first row of the states at s: the sum of rowsAt over s' < s. */
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

/** Scratch of one (s, m, q): each move's best forward-plus-rest time and its copy decisions. */
interface Bodies {
  chainMs: number;
  chainCopy: CopyAction;
  chainFrees: boolean;
  /** leafMs[j], leafCopy[j] (0 keep, 1 now, 2 lagged), leafFrees[j] for s < j < L. */
  readonly leafMs: Float64Array;
  readonly leafCopy: Uint8Array;
  readonly leafFrees: Uint8Array;
  /** The last j with a leaf tried (stages s..j-1 recomputable). */
  lastLeaf: number;
}

/** A mutable best-so-far, filled by {@link combine}. */
interface Best {
  timeMs: number;
  kind: "chain" | "leaf";
  j: number;
  copy: CopyAction;
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

/** Rotor's C(m, s, t), Infinity when m is below the segment's least budget. */
function segmentMs(rotor: TimeTable, s: number, t: number, m: number): number {
  const p = s * rotor.view.length + t;
  const last = rotor.last[p] as number;
  if (m < 0 || last < 0 || m < (rotor.edges.need[p] as number)) return INF;
  return rotor.rows.time[(rotor.rows.base[p] as number) + Math.min(m, last)] as number;
}

/** One candidate body: its time and decisions, kept when strictly faster than the best so far. */
interface BodyBest {
  ms: number;
  copy: number;
  frees: boolean;
}

function offerBody(best: BodyBest, ms: number, copy: number, frees: boolean): void {
  if (!(ms < best.ms)) return;
  best.ms = ms;
  best.copy = copy;
  best.frees = frees;
}

/**
 * The best body of a move at (s, m, q) making `made` slots and computing forward for `forwardMs`,
 * whose rest starts at `next` (undefined: the move ends the spine). `mayCopy`: `a_s` may go to the host.
 */
function bestBody(
  inputs: SpineInputs,
  values: Float64Array,
  state: { readonly s: number; readonly m: number; readonly q: number },
  move: {
    readonly forwardMs: number;
    readonly made: number;
    readonly next: number | undefined;
    readonly mayCopy: boolean;
  },
  best: BodyBest,
): void {
  const { sizes, link, rotor } = inputs;
  const { s, m, q } = state;
  const { forwardMs, next } = move;
  const restSlots = m - move.made;
  const rest = (slots: number, p: number, pending: number) =>
    next === undefined ? 0 : spineValue(inputs, values, next, slots, p, pending);
  best.ms = INF;
  if (q >= 0) {
    // the pending copy of a_q ran through every forward since its move began
    const left =
      (link.transferMs[q] as number) - ((rotor.prefixF[s] as number) - (rotor.prefixF[q] as number));
    offerBody(best, Math.max(forwardMs, left) + rest(restSlots + (sizes.x[q] as number), -1, -1), 0, true);
    if (next !== undefined) offerBody(best, forwardMs + rest(restSlots, -1, q), 0, false);
    return;
  }
  offerBody(best, forwardMs + rest(restSlots, -1, -1), 0, false);
  if (!move.mayCopy) return;
  const d = link.transferMs[s] as number;
  const back = next === undefined ? d : rest(restSlots + (sizes.x[s] as number), s, -1);
  offerBody(best, Math.max(forwardMs, d) + back, 1, false);
  if (next !== undefined) offerBody(best, forwardMs + rest(restSlots, s, s), 2, false);
}

/** Fills the bodies of every move at (s, m, q): forward (with the copies' waits) plus the rest. */
function fillBodies(
  inputs: SpineInputs,
  values: Float64Array,
  s: number,
  m: number,
  q: number,
  out: Bodies,
): void {
  const { view, sizes, link } = inputs;
  const L = view.length;
  const best: BodyBest = { ms: INF, copy: 0, frees: false };
  const state = { s, m, q };
  out.chainMs = INF;
  if (m >= chainForwardNeed(sizes, s, L)) {
    const next = s === L - 1 ? undefined : s + 1;
    const move = {
      forwardMs: view.uf[s] as number,
      made: sizes.xbar[s + 1] as number,
      next,
      mayCopy: link.chainOffload[s] === 1,
    };
    bestBody(inputs, values, state, move, best);
    out.chainMs = best.ms;
    out.chainCopy = COPY_CODES[best.copy] as CopyAction;
    out.chainFrees = best.frees;
  }
  out.lastLeaf = s;
  let sweepMs = 0;
  let sweepNeed = 0;
  for (let j = s + 1; j < L && view.recomputable[j - 1] === 1; j++) {
    out.lastLeaf = j;
    sweepMs += view.uf[j - 1] as number;
    sweepNeed = Math.max(sweepNeed, sweepStageNeed(sizes, s, L, j - 1));
    out.leafMs[j] = INF;
    if (m < sweepNeed) continue;
    const move = {
      forwardMs: sweepMs,
      made: sizes.x[j] as number,
      next: j,
      mayCopy: link.canOffload[s] === 1,
    };
    bestBody(inputs, values, state, move, best);
    out.leafMs[j] = best.ms;
    out.leafCopy[j] = best.copy;
    out.leafFrees[j] = best.frees ? 1 : 0;
  }
}

/** Offers one candidate to `best` (strictly better only: earlier candidates win ties). */
function offer(
  best: Best,
  timeMs: number,
  kind: "chain" | "leaf",
  j: number,
  body: { copy: CopyAction; frees: boolean },
  mode: PrefetchMode,
): void {
  if (!(timeMs < best.timeMs)) return;
  best.timeMs = timeMs;
  best.kind = kind;
  best.j = j;
  best.copy = body.copy;
  best.frees = body.frees;
  best.mode = mode;
}

/** The chain move's candidates given its body, with m the backward part's slots. */
function offerChain(inputs: SpineInputs, bodies: Bodies, s: number, m: number, p: number, best: Best): void {
  if (bodies.chainMs === INF) return;
  const { sizes, view, link } = inputs;
  const ub = view.ub[s] as number;
  const back = chainBackNeed(sizes, s);
  const body = { copy: bodies.chainCopy, frees: bodies.chainFrees };
  if (p < 0) {
    if (m >= back) offer(best, bodies.chainMs + ub, "chain", s + 1, body, "none");
    return;
  }
  const d = link.transferMs[p] as number;
  const xp = sizes.x[p] as number;
  if (m >= back && m >= serialNeed(sizes, s, p))
    offer(best, bodies.chainMs + (ub + d), "chain", s + 1, body, "serial");
  if (m >= back + xp) offer(best, bodies.chainMs + Math.max(ub, d), "chain", s + 1, body, "overlap");
}

/** The leaf moves' candidates given their bodies, with m the backward part's slots. */
function offerLeaves(
  inputs: SpineInputs,
  bodies: Bodies,
  s: number,
  m: number,
  p: number,
  best: Best,
): number {
  const { sizes, link, rotor } = inputs;
  const d = p < 0 ? 0 : (link.transferMs[p] as number);
  const xp = p < 0 ? 0 : (sizes.x[p] as number);
  const serialFits = p >= 0 && m >= serialNeed(sizes, s, p);
  let candidates = 0;
  for (let j = s + 1; j <= bodies.lastLeaf; j++) {
    const ms = bodies.leafMs[j] as number;
    if (ms === INF) continue;
    candidates++;
    const body = {
      copy: COPY_CODES[bodies.leafCopy[j] as number] as CopyAction,
      frees: bodies.leafFrees[j] === 1,
    };
    const left = segmentMs(rotor, s, j - 1, m);
    if (p < 0) {
      offer(best, ms + left, "leaf", j, body, "none");
      continue;
    }
    if (serialFits) offer(best, ms + (left + d), "leaf", j, body, "serial");
    offer(best, ms + Math.max(segmentMs(rotor, s, j - 1, m - xp), d), "leaf", j, body, "overlap");
  }
  return candidates;
}

/**
 * Picks the best move at (s, m, p, q) into `best`; returns the candidates compared. The backward part
 * runs with m plus `a_q`'s slots when its copy is pending: every pending copy is freed by the end of
 * the forward pass, before any backward part, and `a_q` comes back only with the prefetch that p or an
 * earlier move carries.
 */
function combine(
  inputs: SpineInputs,
  bodies: Bodies,
  s: number,
  m: number,
  p: number,
  q: number,
  best: Best,
): number {
  best.timeMs = INF;
  const backSlots = backwardSlots(inputs, m, q);
  offerChain(inputs, bodies, s, backSlots, p, best);
  return 1 + offerLeaves(inputs, bodies, s, backSlots, p, best);
}

/** The slots a state's backward part has: m, plus `a_q`'s when its copy is pending (q >= 0). */
export function backwardSlots(inputs: SpineInputs, m: number, q: number): number {
  return q >= 0 ? m + (inputs.sizes.x[q] as number) : m;
}

function newBodies(L: number): Bodies {
  return {
    chainMs: INF,
    chainCopy: "keep",
    chainFrees: false,
    leafMs: new Float64Array(L + 1),
    leafCopy: new Uint8Array(L + 1),
    leafFrees: new Uint8Array(L + 1),
    lastLeaf: 0,
  };
}

function newBest(): Best {
  return { timeMs: INF, kind: "chain", j: 0, copy: "keep", frees: false, mode: "none" };
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
        candidates += combine(inputs, bodies, s, m, p, q, best);
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
  combine(table, bodies, s, m, p, q, best);
  return { ...best };
}

/** Q(s, m, p, q) of a filled table. */
export function spineAt(table: SpineTable, s: number, m: number, p: number, q: number): number {
  return spineValue(table, table.values, s, m, p, q);
}
