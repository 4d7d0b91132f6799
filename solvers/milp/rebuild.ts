/**
 * The schedule of a grid point (plan.ts) with eager frees (proofs/milp.md, "The schedule of a point"):
 * stage by stage, the stage's forwards in index order (with tape at a node's tape stage), then its
 * backward; after each op, `D a:i` for every activation that op read or made whose last read in the
 * stage it was and that the next stage does not keep; at a stage's start, `D a:i` for what it was
 * given but neither reads nor keeps (at its end for an offloaded activation). In the joint model's plans (joint.ts) the stage's prefetches follow
 * those frees, in node order, and `O i` follows the frontier `F i` of an offloaded node.
 * O(stages x n + instructions).
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
    if (plan.prefetch !== undefined)
      for (let i = 0; i < n; i++)
        if (plan.prefetch[t * n + i] === 1) out.push(ops.prefetch(ids[i] as string));
    order.forEach((op, position) => {
      if (op < n) out.push(ops.forward(ids[op] as string, plan.tapeStage[op] === t));
      else out.push(ops.backward(ids[grid.backwardOf[t] as number] as string));
      if (op === t && plan.offload?.[t] === 1) out.push(ops.offload(ids[t] as string));
      for (const i of touched(grid, op, t))
        if (lastUse[i] === position && !keptNext(grid, plan, t, i))
          out.push(ops.freeActivation(ids[i] as string));
    });
    freeUnread(grid, plan, lastUse, t, out, true);
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

/**
 * Frees what stage `t` was given but neither reads nor keeps: at its start (`atEnd` false) those never
 * offloaded, at its end (`atEnd` true) the offloaded ones, whose free may wait for their copy to host
 * and so waits after the stage's ops (the joint model's rows count them through the stage either way).
 */
function freeUnread(
  grid: StageGrid,
  plan: GridPlan,
  lastUse: Int32Array,
  t: number,
  out: Instruction[],
  atEnd = false,
): void {
  const { n } = grid;
  for (let i = 0; i < n; i++)
    if (
      plan.retain[t * n + i] === 1 &&
      (lastUse[i] as number) < 0 &&
      !keptNext(grid, plan, t, i) &&
      (plan.offload?.[i] === 1) === atEnd
    )
      out.push(ops.freeActivation(grid.g.ids[i] as string));
}
