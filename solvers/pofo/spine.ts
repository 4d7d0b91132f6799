/**
 * pofo's table: rotor's persistent recurrence on the spine of the chain (the segments (s, L-1), which the
 * top-level forward pass walks through), extended with the offload of each spine checkpoint `a_s`
 * (proofs/pofo.md, "The recurrence"). The state is (s, m, p): the forward pass stands at stage s with
 * `a_s` just computed (not counted in m), m slots free for everything else, and p the activation
 * (an earlier spine checkpoint, or none) whose prefetch the backward of this state's first move must
 * carry. With `C` rotor's table (solvers/chain/table.ts) and `d_k` one copy of `a_k`:
 *
 *   Q(s, m, p) = min over the move at s (chain, or a leaf at j), offload o in {0, 1} (o = 1 only if
 *                `a_s` may go to the host) and, when p is set, the prefetch mode (overlap or serial), of
 *     chain:  (o ? max(u_f[s], d_s) : u_f[s]) + Q(s+1, m - xbar_{s+1} + o x_s, o ? s : none) + back
 *             back = u_b[s] | max(u_b[s], d_p) (overlap) | u_b[s] + d_p (serial)
 *             (at s = L-1 the rest is empty and costs d_s when o = 1: `a_s` comes straight back)
 *     leaf j: (o ? max(sum u_f[s..j-1], d_s) : sum u_f[s..j-1]) + Q(j, m - x_j + o x_s, o ? s : none) + left
 *             left = C(m, s, j-1) | max(C(m - x_p, s, j-1), d_p) (overlap) | C(m, s, j-1) + d_p (serial)
 *
 * each under the memory conditions of moves.ts. Every transfer of the class starts on an idle channel
 * (each offload ends within its own move's forward, each prefetch within the next move's backward), so
 * the terms above are the evaluator's times exactly (proofs/pofo.md, "Times are exact").
 *
 * Fill: s from L-1 down to 0 (Q(s) reads Q(j) for j > s); per (s, m) the move bodies (forward, rest,
 * offload choice) once, then per p the best move with its backward. O(L^3 S) time, O(L^2 S / 2) entries.
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
  /** Q(s, m, p) at values[((s (s + 1)) / 2 + p + 1) (M + 1) + m]. */
  readonly values: Float64Array;
  /** Entries stored, and candidate moves compared. */
  readonly counters: { readonly entries: number; readonly candidates: number };
}

/** The entries a spine table of L stages and M slots holds: L (L + 1) / 2 rows of M + 1. */
export function spineEntries(L: number, maxSlots: number): number {
  return ((L * (L + 1)) / 2) * (maxSlots + 1);
}

/** The best move of one state, as the read-back needs it. */
export interface SpineChoice {
  readonly timeMs: number;
  readonly kind: "chain" | "leaf";
  /** The leaf's j (s + 1 for a chain move). */
  readonly j: number;
  readonly offload: boolean;
  readonly mode: PrefetchMode;
}

/** Scratch of one (s, m): each move's best forward-plus-rest time and whether it offloads `a_s`. */
interface Bodies {
  chainMs: number;
  chainOffload: boolean;
  /** leafMs[j], leafOffload[j] for s < j < L. */
  readonly leafMs: Float64Array;
  readonly leafOffload: Uint8Array;
  /** The last j with a leaf tried (stages s..j-1 recomputable). */
  lastLeaf: number;
}

/** A mutable best-so-far, filled by {@link combine}. */
interface Best {
  timeMs: number;
  kind: "chain" | "leaf";
  j: number;
  offload: boolean;
  mode: PrefetchMode;
}

const INF = Number.POSITIVE_INFINITY;

/** Row index of (s, p), p = -1 for none. */
function row(s: number, p: number): number {
  return (s * (s + 1)) / 2 + p + 1;
}

/** Q(s, m, p) from a table filled at least for every s' >= s. */
function spineValue(inputs: SpineInputs, values: Float64Array, s: number, m: number, p: number): number {
  if (m < 0) return INF;
  if (m > inputs.maxSlots)
    throw new InternalError(`pofo: state (${s}, ${m}) above the ${inputs.maxSlots} slots`);
  return values[row(s, p) * (inputs.maxSlots + 1) + m] as number;
}

/** Rotor's C(m, s, t), Infinity when m is below the segment's least budget. */
function segmentMs(rotor: TimeTable, s: number, t: number, m: number): number {
  const p = s * rotor.view.length + t;
  const last = rotor.last[p] as number;
  if (m < 0 || last < 0 || m < (rotor.edges.need[p] as number)) return INF;
  return rotor.rows.time[(rotor.rows.base[p] as number) + Math.min(m, last)] as number;
}

/** Fills the bodies of every move at (s, m): forward (with the offload's wait) plus the rest. */
function fillBodies(inputs: SpineInputs, values: Float64Array, s: number, m: number, out: Bodies): void {
  fillChainBody(inputs, values, s, m, out);
  fillLeafBodies(inputs, values, s, m, out);
}

/** The chain move's body: `F v_{s+1} tape` (with `a_s`'s copy when it pays) and the rest of the spine. */
function fillChainBody(inputs: SpineInputs, values: Float64Array, s: number, m: number, out: Bodies): void {
  const { view, sizes, link } = inputs;
  const L = view.length;
  out.chainMs = INF;
  out.chainOffload = false;
  if (m < chainForwardNeed(sizes, s, L)) return;
  const uf = view.uf[s] as number;
  const restSlots = m - (sizes.xbar[s + 1] as number);
  out.chainMs = uf + (s === L - 1 ? 0 : spineValue(inputs, values, s + 1, restSlots, -1));
  if (link.chainOffload[s] === 0) return;
  const d = link.transferMs[s] as number;
  const rest = s === L - 1 ? d : spineValue(inputs, values, s + 1, restSlots + (sizes.x[s] as number), s);
  const offloadMs = Math.max(uf, d) + rest;
  if (offloadMs < out.chainMs) {
    out.chainMs = offloadMs;
    out.chainOffload = true;
  }
}

/** Each leaf's body: the sweep to `a_j` (with `a_s`'s copy when it pays) and the rest of the spine from j. */
function fillLeafBodies(inputs: SpineInputs, values: Float64Array, s: number, m: number, out: Bodies): void {
  const { view, sizes, link } = inputs;
  const L = view.length;
  const canOffload = link.canOffload[s] === 1;
  const d = link.transferMs[s] as number;
  out.lastLeaf = s;
  let sweepMs = 0;
  let sweepNeed = 0;
  for (let j = s + 1; j < L && view.recomputable[j - 1] === 1; j++) {
    out.lastLeaf = j;
    sweepMs += view.uf[j - 1] as number;
    sweepNeed = Math.max(sweepNeed, sweepStageNeed(sizes, s, L, j - 1));
    out.leafMs[j] = INF;
    out.leafOffload[j] = 0;
    if (m < sweepNeed) continue;
    const restSlots = m - (sizes.x[j] as number);
    out.leafMs[j] = sweepMs + spineValue(inputs, values, j, restSlots, -1);
    if (!canOffload) continue;
    const offloadMs =
      Math.max(sweepMs, d) + spineValue(inputs, values, j, restSlots + (sizes.x[s] as number), s);
    if (offloadMs < (out.leafMs[j] as number)) {
      out.leafMs[j] = offloadMs;
      out.leafOffload[j] = 1;
    }
  }
}

/** Offers one candidate to `best` (strictly better only: earlier candidates win ties). */
function offer(
  best: Best,
  timeMs: number,
  kind: "chain" | "leaf",
  j: number,
  offload: boolean,
  mode: PrefetchMode,
): void {
  if (!(timeMs < best.timeMs)) return;
  best.timeMs = timeMs;
  best.kind = kind;
  best.j = j;
  best.offload = offload;
  best.mode = mode;
}

/** The chain move's candidates at (s, m, p) given its body. */
function offerChain(inputs: SpineInputs, bodies: Bodies, s: number, m: number, p: number, best: Best): void {
  if (bodies.chainMs === INF) return;
  const { sizes, view, link } = inputs;
  const ub = view.ub[s] as number;
  const back = chainBackNeed(sizes, s);
  if (p < 0) {
    if (m >= back) offer(best, bodies.chainMs + ub, "chain", s + 1, bodies.chainOffload, "none");
    return;
  }
  const d = link.transferMs[p] as number;
  const xp = sizes.x[p] as number;
  if (m >= back && m >= serialNeed(sizes, s, p))
    offer(best, bodies.chainMs + (ub + d), "chain", s + 1, bodies.chainOffload, "serial");
  if (m >= back + xp)
    offer(best, bodies.chainMs + Math.max(ub, d), "chain", s + 1, bodies.chainOffload, "overlap");
}

/** The leaf moves' candidates at (s, m, p) given their bodies. */
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
    const body = bodies.leafMs[j] as number;
    if (body === INF) continue;
    candidates++;
    const offload = bodies.leafOffload[j] === 1;
    const left = segmentMs(rotor, s, j - 1, m);
    if (p < 0) {
      offer(best, body + left, "leaf", j, offload, "none");
      continue;
    }
    if (serialFits) offer(best, body + (left + d), "leaf", j, offload, "serial");
    const overlapLeft = segmentMs(rotor, s, j - 1, m - xp);
    offer(best, body + Math.max(overlapLeft, d), "leaf", j, offload, "overlap");
  }
  return candidates;
}

/** Picks the best move at (s, m, p) into `best`; returns the candidates compared. */
function combine(inputs: SpineInputs, bodies: Bodies, s: number, m: number, p: number, best: Best): number {
  best.timeMs = INF;
  offerChain(inputs, bodies, s, m, p, best);
  return 1 + offerLeaves(inputs, bodies, s, m, p, best);
}

function newBodies(L: number): Bodies {
  return {
    chainMs: INF,
    chainOffload: false,
    leafMs: new Float64Array(L + 1),
    leafOffload: new Uint8Array(L + 1),
    lastLeaf: 0,
  };
}

function newBest(): Best {
  return { timeMs: INF, kind: "chain", j: 0, offload: false, mode: "none" };
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
    // a state holds m + x_s <= M (the root has m = M - x_0; every move keeps it): larger m never occur
    const mTop = inputs.maxSlots - (inputs.sizes.x[s] as number);
    for (let m = 0; m <= mTop; m++) {
      deadline.check("spine fill");
      fillBodies(inputs, values, s, m, bodies);
      for (let p = -1; p < s; p++) {
        if (p >= 0 && inputs.link.canOffload[p] === 0) continue;
        candidates += combine(inputs, bodies, s, m, p, best);
        values[row(s, p) * width + m] = best.timeMs;
      }
    }
  }
  return { ...inputs, values, counters: { entries, candidates } };
}

/** The best move at (s, m, p) of a filled table (the fill's own computation, repeated for one state). */
export function spineChoice(table: SpineTable, s: number, m: number, p: number): SpineChoice {
  const bodies = newBodies(table.view.length);
  const best = newBest();
  fillBodies(table, table.values, s, m, bodies);
  combine(table, bodies, s, m, p, best);
  return { ...best };
}

/** Q(s, m, p) of a filled table. */
export function spineAt(table: SpineTable, s: number, m: number, p: number): number {
  return spineValue(table, table.values, s, m, p);
}
