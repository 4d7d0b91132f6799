/**
 * A point of the stage grid (grid.ts): which activations each stage starts with (`S`), which forwards
 * it runs (`R`) and which forward of each taped node runs with its tape. Checkmate's `solve_r_opt`
 * (Jain et al. 2020, appendix; parasj/checkmate `solve_r_opt`) derives the least `R` for a given `S`:
 * what the stage keeps for later and, walking down from its top, every input not already resident.
 * O(stages x n + sum of in-degrees x stages).
 * @see ../../proofs/milp.md, "The schedule of a point"
 */
import type { StageGrid } from "./grid.js";
import { mayCompute, mayRetain } from "./grid.js";

/** `R` and `S` as 0/1 matrices (`stage * n + node`), and the stage of each tape (-1: none). */
export interface GridPlan {
  /** 1 where stage `t` runs a forward of `i`. */
  readonly compute: Uint8Array;
  /** 1 where `a:i` is resident when stage `t` starts. */
  readonly retain: Uint8Array;
  /** Per node: the stage whose forward of it runs with tape (-1 for nodes without a tape). */
  readonly tapeStage: Int32Array;
  /** The joint model's (joint.ts): 1 where `a:i` is prefetched at stage `t`'s start; absent: none. */
  readonly prefetch?: Uint8Array;
  /** The joint model's: 1 where `O i` follows the frontier `F i`; absent: none. */
  readonly offload?: Uint8Array;
}

/**
 * The least recomputation for `retain` (Checkmate's `solve_r_opt`): each forward stage's own forward;
 * a forward of `i` wherever `a:i` is kept into the next stage without being resident now; every input
 * of a forward or of the stage's backward that is not resident, walking down from the top; and the
 * forward of a taped node at its tape stage (`tapeHint`, else its last forward before its backward).
 * @returns undefined when that needs a forward the grid forbids (a non-recomputable node again, or a
 *   node kept where it may not be)
 */
export function leastRecomputation(
  grid: StageGrid,
  retain: Uint8Array,
  tapeHint?: Int32Array,
  prefetch?: Uint8Array,
): GridPlan | undefined {
  const { n, stages } = grid;
  const compute = new Uint8Array(stages * n);
  const given =
    prefetch === undefined ? retain : Uint8Array.from(retain, (kept, at) => kept | (prefetch[at] as number));
  for (let t = 0; t < stages; t++) {
    if (!stageCompute(grid, retain, given, compute, t, tapeHint)) return undefined;
  }
  const tapeStage = new Int32Array(n).fill(-1);
  for (let v = 0; v < n; v++) {
    if (grid.hasTape[v] === 0) continue;
    const hinted = tapeHint?.[v] ?? -1;
    tapeStage[v] = hinted >= 0 ? hinted : lastForward(grid, compute, v);
  }
  return prefetch === undefined ? { compute, retain, tapeStage } : { compute, retain, tapeStage, prefetch };
}

/**
 * Fills stage `t` of `compute` (`given`: kept or prefetched at the stage's start); false when it would
 * need a forbidden forward or retention.
 */
function stageCompute(
  grid: StageGrid,
  retain: Uint8Array,
  given: Uint8Array,
  compute: Uint8Array,
  t: number,
  tapeHint: Int32Array | undefined,
): boolean {
  if (!seedStage(grid, retain, given, compute, t, tapeHint)) return false;
  const base = t * grid.n;
  const need = (u: number) => {
    if (given[base + u] === 0) compute[base + u] = 1;
  };
  for (const u of grid.backwardReads[t] as readonly number[]) need(u);
  for (let i = grid.top[t] as number; i >= 0; i--)
    if (compute[base + i] === 1) for (const u of grid.reads[i] as readonly number[]) need(u);
  for (let i = 0; i < grid.n; i++) if (compute[base + i] === 1 && !mayCompute(grid, t, i)) return false;
  return true;
}

/**
 * The forwards stage `t` runs whatever it reads: its frontier, what the next stage keeps without this
 * one having it, and the tape stages' forwards; false when `retain` keeps what the grid forbids or
 * has a tape stage's node resident already.
 */
function seedStage(
  grid: StageGrid,
  retain: Uint8Array,
  given: Uint8Array,
  compute: Uint8Array,
  t: number,
  tapeHint: Int32Array | undefined,
): boolean {
  const { n } = grid;
  const base = t * n;
  const hasNext = t + 1 < grid.stages;
  for (let i = 0; i < n; i++) {
    if (retain[base + i] === 1 && !mayRetain(grid, t, i)) return false;
    const resident = given[base + i] === 1;
    if (hasNext && !resident && retain[base + n + i] === 1) compute[base + i] = 1;
    if (tapeHint?.[i] === t) {
      if (resident) return false;
      compute[base + i] = 1;
    }
  }
  if (t < n) compute[base + t] = 1;
  return true;
}

/** The last stage up to `v`'s backward that computes `v`. */
function lastForward(grid: StageGrid, compute: Uint8Array, v: number): number {
  for (let t = grid.backwardStage[v] as number; t >= 0; t--) if (compute[t * grid.n + v] === 1) return t;
  return v;
}

/**
 * The retention with every non-recomputable activation kept from its forward through the last stage
 * that may read it (the backward of its last consumer, or its own backward), and nowhere else: the
 * repair of a rounded `S` (lp-round.ts) that Checkmate's rounding leaves to chance.
 */
export function keepUnrecomputable(grid: StageGrid, retain: Uint8Array): Uint8Array {
  const { g, n } = grid;
  const out = Uint8Array.from(retain);
  for (let i = 0; i < n; i++) {
    if (g.recomputable[i] === 1) continue;
    let until = grid.backwardStage[i] as number;
    for (const c of g.consumers[i] as readonly number[])
      until = Math.max(until, grid.backwardStage[c] as number);
    for (let t = 0; t < grid.stages; t++) out[t * n + i] = t > i && t <= until ? 1 : 0;
  }
  return out;
}
