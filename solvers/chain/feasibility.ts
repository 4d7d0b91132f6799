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
 * Complexity: O(L^3) time, O(L^2) memory (28 bytes per pair of stages: need, full, choice and a copy of
 * need ordered by end, so that both parts of a leaf are read contiguously). Tables are indexed `s * L + t`, 0 <= s <= t < L.
 *
 * @see ../../proofs/chain-dp.md, "Feasibility edge"
 */
import { type Deadline, NO_DEADLINE } from "../../src/time-limit.js";
import type { ChainSizes } from "./discretize.js";
import { chainNeed } from "./memory.js";
import { buildPlan, type ChainPlan } from "./plan.js";

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

/** Leaf moves tried between two looks at the clock: well under a millisecond. */
const CHECK_EVERY_MOVES = 1 << 16;
/**
 * Segments between two looks at the clock, however few moves they try: each may touch fresh pages of
 * the tables (allocated lazily), and a page fault took up to 40 us on the loaded machine of
 * bench/results (256 segments, 4 tables: about 40 ms).
 */
const CHECK_EVERY_SEGMENTS = 256;

/**
 * Computes the memory edges of every segment, diagonal by diagonal (d = t - s ascending).
 * @param recomputable recomputable[l] = 0 forbids a leaf sweep through stage l
 * @param phase the phase named when the time limit is reached
 * @throws TimeLimitReached when `deadline` passes (checked every CHECK_EVERY_MOVES leaf moves or
 *   CHECK_EVERY_SEGMENTS segments, whichever comes first)
 */
export function segmentEdges(
  sizes: ChainSizes,
  recomputable: Uint8Array,
  length: number,
  deadline: Deadline = NO_DEADLINE,
  phase = "segment edges",
): SegmentEdges {
  const L = length;
  const need = new Float64Array(L * L);
  const full = new Float64Array(L * L);
  const choice = new Int32Array(L * L);
  fillEdges(sizes, recomputable, L, { need, full, choice }, deadline, phase);
  return { length: L, need, full, choice };
}

/**
 * need(0, L-1) alone, into `scratch` (L * L entries, reused between calls: no full or choice table),
 * for the least-budget bisection.
 * @throws TimeLimitReached when `deadline` passes
 */
export function topNeed(
  sizes: ChainSizes,
  recomputable: Uint8Array,
  length: number,
  scratch: Float64Array,
  deadline: Deadline = NO_DEADLINE,
  phase = "least budget",
): number {
  fillEdges(sizes, recomputable, length, { need: scratch }, deadline, phase);
  return scratch[length - 1] as number;
}

/** The tables {@link fillEdges} writes: need always, full and choice when given. */
interface EdgeTables {
  readonly need: Float64Array;
  readonly full?: Float64Array;
  readonly choice?: Int32Array;
}

/** Fills need (and full and choice when given) for every segment, diagonal by diagonal. O(L^3). */
function fillEdges(
  sizes: ChainSizes,
  recomputable: Uint8Array,
  L: number,
  tables: EdgeTables,
  deadline: Deadline,
  phase: string,
): void {
  const { need, full, choice } = tables;
  const { x, xbar, of } = sizes;
  // needByEnd[t*L + s] = need(s, t): the right parts (j, t) of a segment's leaves, read contiguously
  const needByEnd = new Float64Array(L * L);
  // forwardNeed[k] = x_k + x_{k+1} + o_f[k]: sweepNeed(s, t, k) less delta_{t+1}, for k > s
  const forwardNeed = new Float64Array(L);
  for (let k = 0; k < L; k++) forwardNeed[k] = (x[k] as number) + (x[k + 1] as number) + (of[k] as number);
  const clock = new EdgeClock(deadline, phase);
  fillDiagonal(sizes, L, tables, needByEnd, clock);
  for (let d = 1; d < L; d++) {
    for (let s = 0; s + d < L; s++) {
      const t = s + d;
      const p = s * L + t;
      clock.tick(d);
      const chain = chainNeed(sizes, s, t);
      const xbarNext = xbar[s + 1] as number;
      if (full !== undefined) full[p] = Math.max(chain, xbarNext + (full[p + L] as number));
      need[p] = Math.max(chain, xbarNext + (need[p + L] as number));
      let move = -1;
      if (recomputable[s] !== 0)
        move = relaxLeafNeeds(sizes, recomputable, forwardNeed, need, needByEnd, L, s, t);
      needByEnd[t * L + s] = need[p] as number;
      if (choice !== undefined) choice[p] = move;
    }
  }
}

/** The segments (s, s), d = 0: one chain move each, so need = full = chainNeed(s, s), choice -1. */
function fillDiagonal(
  sizes: ChainSizes,
  L: number,
  { need, full, choice }: EdgeTables,
  needByEnd: Float64Array,
  clock: EdgeClock,
): void {
  for (let s = 0; s < L; s++) {
    clock.tick(0);
    const p = s * L + s;
    const chain = chainNeed(sizes, s, s);
    need[p] = chain;
    needByEnd[p] = chain;
    if (full !== undefined) full[p] = chain;
    if (choice !== undefined) choice[p] = -1;
  }
}

/**
 * When {@link fillEdges} looks at the clock: after CHECK_EVERY_MOVES leaf moves or CHECK_EVERY_SEGMENTS
 * segments since the last look, whichever comes first.
 */
class EdgeClock {
  private moves = 0;
  private segments = 0;

  constructor(
    private readonly deadline: Deadline,
    private readonly phase: string,
  ) {}

  /**
   * Counts one segment of `moves` leaf moves, looking at the clock when one of the counts is reached.
   * @throws TimeLimitReached when the deadline has passed at a look
   */
  tick(moves: number): void {
    this.moves += moves;
    if (this.moves >= CHECK_EVERY_MOVES || ++this.segments >= CHECK_EVERY_SEGMENTS) {
      this.moves = 0;
      this.segments = 0;
      this.deadline.check(this.phase);
    }
  }
}

/**
 * Lowers need(s, t) (`need[s*L + t]`, holding the chain move's need) to the least need of a leaf move
 * j = s+1..t when one is lower: max(sweep, x_j + need(j, t), need(s, j-1)), the sweep a running max of
 * sweepNeed over k < j; leaves past a non-recomputable stage are left out. The inner loop of
 * {@link fillEdges}, O(t - s): its arrays come as arguments (a first split that read them from one
 * object per segment made `segmentEdges` 7-10% slower on randomChain(1, 600) at S = 500, measured side
 * by side; this one is not measurably slower than the single function it replaced).
 * @returns the leaf j attaining the new need (the first on ties), or -1 when the chain move stays
 */
function relaxLeafNeeds(
  sizes: ChainSizes,
  recomputable: Uint8Array,
  forwardNeed: Float64Array,
  need: Float64Array,
  needByEnd: Float64Array,
  L: number,
  s: number,
  t: number,
): number {
  const { x, delta, of } = sizes;
  const deltaOut = delta[t + 1] as number;
  const rowS = s * L;
  const rowT = t * L;
  let best = need[rowS + t] as number;
  let move = -1;
  let sweep = deltaOut + (x[s + 1] as number) + (of[s] as number);
  for (let j = s + 1; j <= t; j++) {
    if (j > s + 1) {
      if (recomputable[j - 1] === 0) break;
      const forward = deltaOut + (forwardNeed[j - 1] as number);
      if (forward > sweep) sweep = forward;
    }
    let leaf = sweep;
    const right = (x[j] as number) + (needByEnd[rowT + j] as number);
    if (right > leaf) leaf = right;
    const left = need[rowS + j - 1] as number;
    if (left > leaf) leaf = left;
    if (leaf < best) {
      best = leaf;
      move = j;
    }
  }
  need[rowS + t] = best;
  return move;
}

/** The arg-min plan of segment (s, t) of the edges: the least-peak plan (first move on ties), without recursion. */
export function edgePlan(edges: SegmentEdges, s: number, t: number): ChainPlan {
  const L = edges.length;
  return buildPlan<readonly [number, number]>([s, t], ([s0, t0]) => {
    const j = edges.choice[s0 * L + t0] as number;
    if (j >= 0) return { kind: "leaf", s: s0, j, right: [j, t0], left: [s0, j - 1] };
    return s0 === t0 ? { kind: "chain", s: s0 } : { kind: "chain", s: s0, rest: [s0 + 1, t0] };
  });
}

/** full(0, L-1): the memory the all-chain (store-all) schedule needs on top of `a_0`, in O(L). */
export function allChainNeed(sizes: ChainSizes, length: number): number {
  let need = chainNeed(sizes, length - 1, length - 1);
  for (let s = length - 2; s >= 0; s--)
    need = Math.max(chainNeed(sizes, s, length - 1), (sizes.xbar[s + 1] as number) + need);
  return need;
}
