/**
 * Whether a schedule belongs to the stage-grid class (src/optimality.ts, `stage-grid`; proofs/milp.md,
 * "The class"): only `F`, `B` and `D`; the first forward of each node and every backward in
 * store-all's order (the stage ops of grid.ts); between two stage ops, forwards of already computed
 * nodes only, strictly increasing, none above the next stage's top. Validity and the budget are the
 * evaluator's business, not this check's. O(|schedule|).
 */
import type { Schedule } from "../../src/schedule/types.js";
import type { StageGrid } from "./grid.js";

/** Whether `schedule` has the stage grid's structure (see the file comment). */
export function inStageGrid(grid: StageGrid, schedule: Schedule): boolean {
  const walk = { stage: 0, last: -1 };
  for (const instruction of schedule) {
    if (instruction.op === "D") continue;
    if (instruction.op !== "F" && instruction.op !== "B") return false;
    const v = grid.g.indexOf.get(instruction.node);
    if (v === undefined || walk.stage >= grid.stages || !step(grid, walk, instruction.op, v)) return false;
  }
  return walk.stage === grid.stages;
}

/** Takes one `F v` or `B v` at the walk's stage: its op (next stage), or a forward it may recompute. */
function step(grid: StageGrid, walk: { stage: number; last: number }, op: "F" | "B", v: number): boolean {
  const { stage } = walk;
  const frontier = op === "B" ? v === grid.backwardOf[stage] : stage < grid.n && v === stage;
  if (frontier) {
    walk.stage++;
    walk.last = -1;
    return true;
  }
  if (op === "B" || v >= stage || v <= walk.last || v > (grid.top[stage] as number)) return false;
  walk.last = v;
  return true;
}
