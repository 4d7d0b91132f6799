/**
 * The grid point of a stage-grid schedule, as a MILP start (proofs/milp.md, "Exactness over the class"):
 * `R[t,i]` for each forward of stage `t`, the tape stage of each taped node, and `S[t,i]` for what is
 * resident when stage `t` starts and is read in it or kept into the next (computed backwards from the
 * last stage). Only the binaries are given; HiGHS completes the continuous columns. O(|schedule| +
 * stages x n).
 */
import type { Schedule } from "../../src/schedule/types.js";
import type { StageGrid } from "./grid.js";
import { FIXED_ZERO, type GridColumns } from "./model-rows.js";

/** `R`, `S` and the tapes of a schedule of the class, by cell (`stage * n + node`). */
interface Point {
  readonly compute: Uint8Array;
  readonly resident: Uint8Array;
  readonly read: Uint8Array;
  readonly tape: Uint8Array;
}

/** Walks the schedule stage by stage, recording forwards, residency at stage starts and reads. */
function walk(grid: StageGrid, schedule: Schedule): Point {
  const { g, n, stages } = grid;
  const point: Point = {
    compute: new Uint8Array(stages * n),
    resident: new Uint8Array(stages * n),
    read: new Uint8Array(stages * n),
    tape: new Uint8Array(stages * n),
  };
  const state = { now: new Uint8Array(n), stage: 0, opened: false };
  for (const instruction of schedule) {
    if (instruction.op === "D") {
      if (instruction.tensor.kind === "a") state.now[g.indexOf.get(instruction.tensor.node) as number] = 0;
    } else if (instruction.op === "F" || instruction.op === "B")
      stepOp(
        grid,
        point,
        state,
        instruction.op,
        g.indexOf.get(instruction.node) as number,
        instruction.op === "F" && instruction.tape,
      );
  }
  return point;
}

/** Records one `F v` or `B v` at the walk's stage; a stage op closes the stage. */
function stepOp(
  grid: StageGrid,
  point: Point,
  state: { now: Uint8Array; stage: number; opened: boolean },
  op: "F" | "B",
  v: number,
  tape: boolean,
): void {
  const { n } = grid;
  const base = state.stage * n;
  if (!state.opened) {
    point.resident.set(state.now, base);
    state.opened = true;
  }
  const reads =
    op === "F"
      ? (grid.reads[v] as readonly number[])
      : (grid.backwardReads[state.stage] as readonly number[]);
  for (const u of reads) point.read[base + u] = 1;
  if (op === "F") {
    point.compute[base + v] = 1;
    if (tape) point.tape[base + v] = 1;
    state.now[v] = 1;
  }
  if (op === "B" || (state.stage < n && v === state.stage)) {
    state.stage++;
    state.opened = false;
  }
}

/** The MILP start of `schedule` (a stage-grid schedule) for the model's `columns`. */
export function milpStart(grid: StageGrid, columns: GridColumns, schedule: Schedule) {
  const { n, stages } = grid;
  const point = walk(grid, schedule);
  const retain = new Uint8Array(stages * n);
  for (let t = stages - 1; t >= 0; t--)
    for (let i = 0; i < n; i++) {
      const at = t * n + i;
      const keptNext = t + 1 < stages && retain[at + n] === 1;
      retain[at] =
        point.resident[at] === 1 && point.compute[at] === 0 && (point.read[at] === 1 || keptNext) ? 1 : 0;
    }
  const indices: number[] = [];
  const values: number[] = [];
  const give = (column: number, value: number) => {
    if (column === FIXED_ZERO || column < 0) return;
    indices.push(column);
    values.push(value);
  };
  for (let at = 0; at < stages * n; at++) {
    give(columns.compute[at] as number, point.compute[at] as number);
    give(columns.retain[at] as number, retain[at] as number);
    give(columns.tape[at] as number, point.tape[at] as number);
  }
  return { indices: Int32Array.from(indices), values: Float64Array.from(values) };
}
