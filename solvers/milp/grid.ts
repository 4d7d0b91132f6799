/**
 * Checkmate's frontier-advancing stage grid over remat's training graph (Jain et al., MLSys 2020,
 * section 4; proofs/milp.md, "The grid"). Stage `t` of `T = n + m` stages (n nodes, m non-sources) runs
 * one op of store-all's order for the first (forward) or only (backward) time: `F t` for `t < n`, then
 * `B w` for every non-source `w` in reverse listed order. Before that op the stage may recompute
 * forwards, each at most once, in index order, of nodes `i <= top(t)` (`top` = `t` in a forward stage,
 * `w` in the stage of `B w`: nothing above `w` is read again once `B w` may run). Activations kept from
 * one stage to the next are the MILP's `S`, forwards run in a stage its `R`.
 *
 * Gradients follow from the fixed backward order alone (`g:u` appears with the first backward of a
 * consumer of `u` and leaves with `B u`), so the grid holds them as constants per stage, computed with
 * the evaluator's arithmetic (src/evaluate/handlers.ts, `runBackward`: first contributions counted per
 * edge). O(n + m) time and space.
 */
import { graphOf, type InstanceGraph } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";

/** The stage structure of one instance. */
export interface StageGrid {
  readonly g: InstanceGraph;
  /** Number of forward nodes. */
  readonly n: number;
  /** Number of stages (`n` forward stages, then one per non-source). */
  readonly stages: number;
  /** Per stage: the node whose backward the stage runs, or -1 in a forward stage. */
  readonly backwardOf: Int32Array;
  /** Per stage: the highest node index a forward of the stage may compute. */
  readonly top: Int32Array;
  /** Per node: the stage running its backward (-1 for sources). */
  readonly backwardStage: Int32Array;
  /** Per stage: bytes of gradients resident when the stage starts (exactly the evaluator's). */
  readonly gradientBytes: Float64Array;
  /** Per stage: bytes of input gradients the stage's backward allocates (0 in a forward stage). */
  readonly newGradientBytes: Float64Array;
  /** Per node: its distinct inputs, ascending. */
  readonly reads: readonly (readonly number[])[];
  /** Per backward stage: the distinct activations its backward reads (what `needs` names), ascending; empty in forward stages. */
  readonly backwardReads: readonly (readonly number[])[];
  /** Per node: whether its backward needs a tape (tapeBytes > 0 and not a source). */
  readonly hasTape: Uint8Array;
}

/** The grid of `instance` (cached per instance: instances are frozen). */
export function stageGrid(instance: Instance): StageGrid {
  const cached = grids.get(instance);
  if (cached !== undefined) return cached;
  const grid = buildGrid(graphOf(instance));
  grids.set(instance, grid);
  return grid;
}

const grids = new WeakMap<Instance, StageGrid>();

function buildGrid(g: InstanceGraph): StageGrid {
  const n = g.size;
  let m = 0;
  for (let v = 0; v < n; v++) if (g.isSource[v] === 0) m++;
  const stages = n + m;
  const backwardOf = new Int32Array(stages).fill(-1);
  const top = new Int32Array(stages);
  const backwardStage = new Int32Array(n).fill(-1);
  for (let t = 0; t < n; t++) top[t] = t;
  let t = n;
  for (let w = n - 1; w >= 0; w--) {
    if (g.isSource[w] === 1) continue;
    backwardOf[t] = w;
    top[t] = w;
    backwardStage[w] = t;
    t++;
  }
  const reads = g.inputs.map((inputs) => [...new Set(inputs)].sort((a, b) => a - b));
  const backwardReads = Array.from(backwardOf, (w) => (w < 0 ? [] : backwardReadsOf(g, w)));
  const hasTape = Uint8Array.from({ length: n }, (_, v) =>
    (g.tapeBytes[v] as number) > 0 && g.isSource[v] === 0 ? 1 : 0,
  );
  const { gradientBytes, newGradientBytes } = gradients(g, backwardOf, n);
  return {
    g,
    n,
    stages,
    backwardOf,
    top,
    backwardStage,
    gradientBytes,
    newGradientBytes,
    reads,
    backwardReads,
    hasTape,
  };
}

/** The distinct activations `B w` reads: its inputs when it needs them, its output when it needs it. */
function backwardReadsOf(g: InstanceGraph, w: number): number[] {
  const set = new Set<number>();
  if (g.needsInputs[w] === 1) for (const u of g.inputs[w] as readonly number[]) set.add(u);
  if (g.needsOutput[w] === 1) set.add(w);
  return [...set].sort((a, b) => a - b);
}

/**
 * Gradient bytes at each stage's start and allocated by each backward, replaying the evaluator's rules
 * for the fixed backward order: a first contribution to `g:u` (u not a source) allocates `gradBytes[u]`
 * once per input edge that finds it never allocated, and `B w` frees `g:w` when it is resident.
 */
function gradients(g: InstanceGraph, backwardOf: Int32Array, n: number) {
  const stages = backwardOf.length;
  const gradientBytes = new Float64Array(stages);
  const newGradientBytes = new Float64Array(stages);
  const resident = new Uint8Array(n);
  let current = 0;
  for (let t = n; t < stages; t++) {
    gradientBytes[t] = current;
    const w = backwardOf[t] as number;
    let allocated = 0;
    for (const u of g.inputs[w] as readonly number[])
      if (g.isSource[u] === 0 && resident[u] === 0) allocated += g.gradBytes[u] as number;
    for (const u of g.inputs[w] as readonly number[]) if (g.isSource[u] === 0) resident[u] = 1;
    newGradientBytes[t] = allocated;
    current += allocated - (resident[w] === 1 ? (g.gradBytes[w] as number) : 0);
    resident[w] = 2;
  }
  return { gradientBytes, newGradientBytes };
}

/** Whether stage `t` may run a forward of node `i` (within its top; a non-recomputable node only in its own stage). */
export function mayCompute(grid: StageGrid, t: number, i: number): boolean {
  if (i > (grid.top[t] as number)) return false;
  return grid.g.recomputable[i] === 1 || i === t;
}

/** Whether stage `t` necessarily runs a forward of `i` (the frontier of a forward stage). */
export function mustCompute(grid: StageGrid, t: number, i: number): boolean {
  return t < grid.n && i === t;
}

/** Whether `a:i` may be kept into stage `t` (computed before it, and read again at or after it). */
export function mayRetain(grid: StageGrid, t: number, i: number): boolean {
  if (t === 0 || t >= grid.stages) return false;
  return i <= Math.min(grid.top[t] as number, grid.top[t - 1] as number) && !(t < grid.n && i === t);
}
