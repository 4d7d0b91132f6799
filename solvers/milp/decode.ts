/**
 * A MILP solution as a grid point: `S` and the tape stages rounded from the backend's values (binaries
 * within its integrality tolerance of 0 or 1), `R` rederived as the least recomputation for that `S`
 * (plan.ts), which prunes recomputations the solution ran for nothing (Checkmate's post-processing,
 * Jain et al. 2020). O(stages x n).
 */

import type { StageGrid } from "./grid.js";
import { FIXED_ZERO, type GridColumns } from "./model-rows.js";
import { type GridPlan, leastRecomputation } from "./plan.js";

/** A binary's value rounded (absent columns are 0). */
function rounded(values: Float64Array, column: number): number {
  return column === FIXED_ZERO || column < 0 ? 0 : (values[column] as number) >= 0.5 ? 1 : 0;
}

/** The plan of a solution; undefined when its `S` is inconsistent (never for a feasible point). */
export function decodePlan(
  grid: StageGrid,
  columns: GridColumns,
  values: Float64Array,
): GridPlan | undefined {
  const { n, stages } = grid;
  const retain = new Uint8Array(stages * n);
  const tapeHint = new Int32Array(n).fill(-1);
  for (let at = 0; at < stages * n; at++) {
    retain[at] = rounded(values, columns.retain[at] as number);
    if (rounded(values, columns.tape[at] as number) === 1) tapeHint[at % n] = Math.floor(at / n);
  }
  return leastRecomputation(grid, retain, tapeHint);
}
