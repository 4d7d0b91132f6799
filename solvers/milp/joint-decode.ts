/**
 * A joint-model solution (joint-model.ts) as a grid point with transfers: `S`, `P` and the tape stages
 * rounded, `R` the least recomputation for what each stage is given (plan.ts), then every prefetch that
 * neither a forward of its stage nor its backward reads and the next stage does not keep dropped, and
 * `O i` exactly for the nodes still prefetched somewhere. Dropping a transfer frees a channel and memory
 * earlier and stalls nothing, so the pruned point is no slower and peaks no higher (proofs/milp.md, "The
 * joint model"). O(stages x (n + |E|)).
 */
import type { StageGrid } from "./grid.js";
import type { GridColumns } from "./model-rows.js";
import { type GridPlan, leastRecomputation } from "./plan.js";

/** A binary's value rounded (absent columns are 0). */
function rounded(values: Float64Array, column: number): number {
  return column < 0 ? 0 : (values[column] as number) >= 0.5 ? 1 : 0;
}

/** The plan of a solution of the joint model; undefined when inconsistent (never for a feasible point). */
export function decodeJointPlan(
  grid: StageGrid,
  columns: GridColumns,
  values: Float64Array,
): GridPlan | undefined {
  const { n, stages } = grid;
  const retain = new Uint8Array(stages * n);
  const prefetch = new Uint8Array(stages * n);
  const tapeHint = new Int32Array(n).fill(-1);
  for (let at = 0; at < stages * n; at++) {
    retain[at] = rounded(values, columns.retain[at] as number);
    prefetch[at] = rounded(values, columns.prefetch[at] as number);
    if (rounded(values, columns.tape[at] as number) === 1) tapeHint[at % n] = Math.floor(at / n);
  }
  const plan = leastRecomputation(grid, retain, tapeHint, prefetch);
  return plan === undefined ? undefined : pruneTransfers(grid, plan, prefetch);
}

/** Drops the prefetches nothing reads or keeps (from `prefetch`, in place) and offloads what is left. */
function pruneTransfers(grid: StageGrid, plan: GridPlan, prefetch: Uint8Array): GridPlan {
  const { n, stages } = grid;
  const offload = new Uint8Array(n);
  for (let t = 0; t < stages; t++)
    for (let i = 0; i < n; i++) {
      const at = t * n + i;
      if (prefetch[at] === 0) continue;
      if (readInStage(grid, plan, t, i) || (t + 1 < stages && plan.retain[at + n] === 1)) offload[i] = 1;
      else prefetch[at] = 0;
    }
  return { ...plan, prefetch, offload };
}

/** Whether a forward of stage `t` or its backward reads `a:i`. */
function readInStage(grid: StageGrid, plan: GridPlan, t: number, i: number): boolean {
  if ((grid.backwardReads[t] as readonly number[]).includes(i)) return true;
  const top = grid.top[t] as number;
  return (grid.g.consumers[i] as readonly number[]).some(
    (k) => k <= top && plan.compute[t * grid.n + k] === 1,
  );
}
