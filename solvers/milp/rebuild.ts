/**
 * The schedule of a grid point (plan.ts) with eager frees (proofs/milp.md, "The schedule of a point"):
 * stage by stage, the stage's forwards in index order (with tape at a node's tape stage), then its
 * backward; after each op, `D a:i` for every activation that op read or made whose last read in the
 * stage it was and that the next stage does not keep; at a stage's start, `D a:i` for what it was
 * given but neither reads nor keeps. O(stages x n + instructions).
 */

import type { Instruction } from "../../src/schedule/types.js";
import { ops, type Schedule } from "../../src/schedule/types.js";
import type { StageGrid } from "./grid.js";
import type { GridPlan } from "./plan.js";

/** The schedule of `plan` (valid when the plan satisfies the grid's constraints, proofs/milp.md). */
export function rebuildSchedule(grid: StageGrid, plan: GridPlan): Schedule {
  const { n, stages } = grid;
  const ids = grid.g.ids;
  const out: Instruction[] = [];
  const lastUse = new Int32Array(n).fill(-1);
  for (let t = 0; t < stages; t++) {
    const order = stageOps(grid, plan, t);
    markLastUses(grid, order, lastUse, t);
    freeUnread(grid, plan, lastUse, t, out);
    order.forEach((op, position) => {
      if (op < n) out.push(ops.forward(ids[op] as string, plan.tapeStage[op] === t));
      else out.push(ops.backward(ids[grid.backwardOf[t] as number] as string));
      for (const i of touched(grid, op, t))
        if (lastUse[i] === position && !keptNext(grid, plan, t, i))
          out.push(ops.freeActivation(ids[i] as string));
    });
    for (const op of order) for (const i of touched(grid, op, t)) lastUse[i] = -1;
  }
  return out;
}

/** The ops of stage `t`: its forwards ascending, then `n` standing for its backward (if any). */
function stageOps(grid: StageGrid, plan: GridPlan, t: number): number[] {
  const { n } = grid;
  const order: number[] = [];
  const top = grid.top[t] as number;
  for (let i = 0; i <= top; i++) if (plan.compute[t * n + i] === 1) order.push(i);
  if ((grid.backwardOf[t] as number) >= 0) order.push(n);
  return order;
}

/** The activations op `op` of stage `t` reads or makes (distinct). */
function touched(grid: StageGrid, op: number, t: number): readonly number[] {
  if (op === grid.n) return grid.backwardReads[t] as readonly number[];
  const reads = grid.reads[op] as readonly number[];
  return [...reads, op];
}

/** Sets `lastUse[i]` to the position of the last op of the stage touching `a:i`. */
function markLastUses(grid: StageGrid, order: readonly number[], lastUse: Int32Array, t: number): void {
  order.forEach((op, position) => {
    for (const i of touched(grid, op, t)) lastUse[i] = position;
  });
}

/** Whether stage `t + 1` keeps `a:i`. */
function keptNext(grid: StageGrid, plan: GridPlan, t: number, i: number): boolean {
  return t + 1 < grid.stages && plan.retain[(t + 1) * grid.n + i] === 1;
}

/** Frees, at the start of stage `t`, what it was given but neither reads nor keeps. */
function freeUnread(
  grid: StageGrid,
  plan: GridPlan,
  lastUse: Int32Array,
  t: number,
  out: Instruction[],
): void {
  const { n } = grid;
  for (let i = 0; i < n; i++)
    if (plan.retain[t * n + i] === 1 && (lastUse[i] as number) < 0 && !keptNext(grid, plan, t, i))
      out.push(ops.freeActivation(grid.g.ids[i] as string));
}
