/**
 * Checkmate's MILP on the stage grid (Jain et al., MLSys 2020, section 4.3, equations 1-9, adapted to
 * remat's cost model; proofs/milp.md, "The model"). Variables, for stage `t` and node `i`:
 * - `R[t,i]` (binary): stage `t` runs a forward of `i`; fixed 1 for the frontier `i = t < n`, absent
 *   (0) where the grid forbids it (`mayCompute`);
 * - `S[t,i]` (binary): `a:i` is resident when stage `t` starts; absent (0) where `mayRetain` forbids it;
 * - `T[t,v]` (binary, taped nodes only): the forward of `v` in stage `t` runs with tape; `H[t,v]`
 *   (continuous): its tape is resident when stage `t` starts;
 * - `F[t,k,i]` (continuous in [0, 1]): `a:i` is freed right after the forward of `k` in stage `t`, `i` an
 *   input of `k` or `k` itself; bounded above by `R[t,k]`, `1 - S[t+1,i]` and `1 - R[t,j]` for every
 *   later reader `j` of `i` in the stage (Checkmate's FREE, whose product form these bounds give exactly
 *   at integral R and S, and only from above: a smaller F only counts more memory);
 * - `U[t,k]` (continuous): bytes resident right after the forward of `k` in stage `t` and its frees.
 * Rows: `R + S <= 1`; retention `S[t+1,i] <= S[t,i] + R[t,i]`; reads `R[t,k] <= R[t,u] + S[t,u]` (and
 * `1 <= R + S` for what the stage's backward reads); tapes `T <= R`, `H[t+1] = H[t] + T[t]`, `H + T = 1`
 * at the node's backward; memory while each op runs `<= budget` (what is resident plus the op's
 * output, tape and temporaries, or the backward's new gradients and temporaries), with fixed bytes and
 * the grid's gradient bytes as constants. Objective: the makespan, `sum fwd[i] R[t,i]` plus every
 * frontier forward and backward. Bytes are scaled by the largest single allocation so that
 * coefficients stay near 1. The memory rows are in model-memory.ts, the shared row helpers in model-rows.ts.
 * Size: O(n^2) binaries, O(stages x (n + m)) continuous columns and rows; O(that) to build.
 */
import { type LpModel, type LpTerm, ModelBuilder } from "../../src/lp/model.js";
import type { Deadline } from "../../src/time-limit.js";
import { mayCompute, mayRetain, mustCompute, type StageGrid } from "./grid.js";
import { addTimeRows, type JointColumns } from "./joint-time.js";
import type { JointTimeSpec } from "./joint-time-spec.js";
import { addMemoryRows } from "./model-memory.js";
import { addRow, type Build, FIXED_ONE, FIXED_ZERO, type GridColumns } from "./model-rows.js";

/** The model with where its binaries are. */
export interface GridModel {
  readonly model: LpModel;
  readonly columns: GridColumns;
  readonly binaries: number;
  /** The joint model's offload and makespan columns (when built with `prefetchable`). */
  readonly joint?: JointColumns;
}

/** What the model is built for. */
export interface GridModelSpec {
  readonly budgetBytes: number;
  readonly fixedBytes: number;
  /** Only solutions with makespan <= this (ms), when given (the joint model adds its own cutoff). */
  readonly cutoffMs?: number;
  /**
   * The joint model (joint-model.ts): per node, 1 when `a:i` may be prefetched at the start of a later
   * stage (offloadable, positive size, a link). Adds the `P` columns to rows 1-3 and 6; the objective is
   * then left to the caller.
   */
  readonly prefetchable?: Uint8Array;
  /** The joint model's time rows (joint-time.ts): with `prefetchable`. */
  readonly time?: JointTimeSpec;
  readonly deadline: Deadline;
}

/**
 * Binaries of the grid's model, counted without building it (O(n + stages), from prefix counts of the
 * recomputable nodes): `R` for the recomputable nodes up to each stage's top (the frontier is fixed),
 * `S` for every node a stage may be given, `T` for each taped node's stages up to its backward.
 */
export function gridBinaries(grid: StageGrid): number {
  const { n, g } = grid;
  const recomputableBelow = new Float64Array(n + 1);
  for (let i = 0; i < n; i++)
    recomputableBelow[i + 1] = (recomputableBelow[i] as number) + (g.recomputable[i] as number);
  let count = 0;
  for (let t = 0; t < grid.stages; t++) {
    const top = grid.top[t] as number;
    const forward = t < n;
    count += forward ? (recomputableBelow[t] as number) : (recomputableBelow[top + 1] as number);
    if (t > 0) count += forward ? t : top + 1;
  }
  for (let v = 0; v < n; v++) {
    if (grid.hasTape[v] === 0) continue;
    count += g.recomputable[v] === 1 ? (grid.backwardStage[v] as number) - v + 1 : 1;
  }
  return count;
}

/** The sum of every frontier forward and every backward, ms: the makespan when nothing is recomputed. */
export function fixedTimeMs(grid: StageGrid): number {
  let total = 0;
  for (let v = 0; v < grid.n; v++) {
    total += grid.g.fwd[v] as number;
    if (grid.g.isSource[v] === 0) total += grid.g.bwd[v] as number;
  }
  return total;
}

/** Largest single allocation (activation, tape, temporaries, new gradients), bytes; the model's unit. */
export function byteUnit(grid: StageGrid): number {
  const { g } = grid;
  let unit = 1;
  for (let v = 0; v < grid.n; v++)
    unit = Math.max(unit, g.bytes[v] as number, g.tapeBytes[v] as number, g.fwdTemp[v] as number);
  for (let v = 0; v < grid.n; v++) unit = Math.max(unit, g.bwdTemp[v] as number, g.gradBytes[v] as number);
  return unit;
}

/**
 * Builds the MILP for `grid` under the spec's budget.
 * @throws TimeLimitReached when the deadline passes while building
 */
export function buildGridModel(grid: StageGrid, spec: GridModelSpec): GridModel {
  const m = new ModelBuilder("checkmate-milp", "minimize");
  const unit = byteUnit(grid);
  const size = grid.stages * grid.n;
  const columns: GridColumns = {
    compute: new Int32Array(size).fill(FIXED_ZERO),
    retain: new Int32Array(size).fill(FIXED_ZERO),
    tape: new Int32Array(size).fill(FIXED_ZERO),
    prefetch: new Int32Array(size).fill(FIXED_ZERO),
  };
  const b: Build = {
    m,
    grid,
    columns,
    held: new Int32Array(size).fill(-1),
    unit,
    budgetUnits: spec.budgetBytes / unit,
    fixedUnits: spec.fixedBytes / unit,
    timed: spec.prefetchable !== undefined,
  };
  let binaries = addBinaries(b, spec.deadline);
  if (spec.prefetchable === undefined) m.addOffset(fixedTimeMs(grid));
  else binaries += addPrefetchColumns(b, spec.prefetchable);
  for (let t = 0; t < grid.stages; t++) {
    spec.deadline.check("building the Checkmate MILP");
    addStageRows(b, t);
    addMemoryRows(b, t);
  }
  addTapeRows(b);
  if (spec.cutoffMs !== undefined && !b.timed) addCutoff(b, spec.cutoffMs);
  if (spec.prefetchable === undefined || spec.time === undefined)
    return { model: m.build(), columns, binaries };
  const joint = addTimeRows(b, spec.time);
  return { model: m.build(), columns, binaries, joint };
}

/** Adds R, S and T columns (and H), with their objective; returns the number of binaries. */
function addBinaries(b: Build, deadline: Deadline): number {
  let binaries = 0;
  for (let t = 0; t < b.grid.stages; t++) {
    deadline.check("building the Checkmate MILP");
    for (let i = 0; i <= (b.grid.top[t] as number); i++) binaries += addCell(b, t, i);
  }
  return binaries;
}

/**
 * Adds the columns of stage `t`, node `i` (R, S, and the tape's T and H); returns the binaries added.
 * milp-blocks builds its detailed cells with it too (blocks-model.ts).
 */
export function addCell(b: Build, t: number, i: number): number {
  const { m, grid, columns } = b;
  const at = t * grid.n + i;
  let binaries = 0;
  if (mustCompute(grid, t, i)) columns.compute[at] = FIXED_ONE;
  else if (mayCompute(grid, t, i)) {
    const objective = b.timed ? 0 : (grid.g.fwd[i] as number);
    columns.compute[at] = m.addVariable(`R${t}_${i}`, { kind: "binary", objective });
    binaries++;
  }
  if (mayRetain(grid, t, i)) {
    columns.retain[at] = m.addVariable(`S${t}_${i}`, { kind: "binary" });
    binaries++;
  }
  if (grid.hasTape[i] === 1 && t <= (grid.backwardStage[i] as number)) binaries += addTape(b, t, i);
  return binaries;
}

/**
 * Adds `P[t,i]` for each prefetchable `i` and stage `t > i` that may keep it (grid.ts, `mayRetain`: it is
 * read at or after `t`); returns the binaries added.
 */
function addPrefetchColumns(b: Build, prefetchable: Uint8Array): number {
  const { grid, columns, m } = b;
  let binaries = 0;
  for (let t = 1; t < grid.stages; t++)
    for (let i = 0; i < Math.min(t, grid.n); i++) {
      if (prefetchable[i] !== 1 || !mayRetain(grid, t, i)) continue;
      columns.prefetch[t * grid.n + i] = m.addVariable(`P${t}_${i}`, { kind: "binary" });
      binaries++;
    }
  return binaries;
}

/** Adds `T[t,v]` where stage `t` may compute `v`, and `H[t,v]` for t >= 1; returns the binaries added. */
export function addTape(b: Build, t: number, v: number): number {
  const { m, grid, columns } = b;
  const at = t * grid.n + v;
  if (t >= 1) b.held[at] = m.addVariable(`H${t}_${v}`, { upper: 1 });
  if (columns.compute[at] === FIXED_ZERO) return 0;
  columns.tape[at] = m.addVariable(`T${t}_${v}`, { kind: "binary" });
  return 1;
}

/** `R + S <= 1`, retention into the next stage, and the reads of the stage's forwards and backward. */
function addStageRows(b: Build, t: number): void {
  const { grid, columns } = b;
  const { n } = grid;
  const base = t * n;
  for (let i = 0; i <= (grid.top[t] as number); i++) {
    const r = columns.compute[base + i] as number;
    const s = columns.retain[base + i] as number;
    const p = columns.prefetch[base + i] as number;
    if ((r >= 0 && s >= 0) || p >= 0)
      addRow(
        b,
        `one${t}_${i}`,
        [
          [r, 1],
          [s, 1],
          [p, 1],
        ],
        { upper: 1 },
      );
    const next = t + 1 < grid.stages ? (columns.retain[base + n + i] as number) : FIXED_ZERO;
    if (next >= 0)
      addRow(
        b,
        `keep${t}_${i}`,
        [
          [next, 1],
          [s, -1],
          [r, -1],
          [p, -1],
        ],
        { upper: 0 },
      );
    if (r === FIXED_ZERO) continue;
    for (const u of grid.reads[i] as readonly number[])
      addRow(
        b,
        `read${t}_${i}_${u}`,
        [
          [r, 1],
          [columns.compute[base + u] as number, -1],
          [columns.retain[base + u] as number, -1],
          [columns.prefetch[base + u] as number, -1],
        ],
        {
          upper: 0,
        },
      );
  }
  for (const u of grid.backwardReads[t] as readonly number[])
    addRow(
      b,
      `bread${t}_${u}`,
      [
        [columns.compute[base + u] as number, 1],
        [columns.retain[base + u] as number, 1],
        [columns.prefetch[base + u] as number, 1],
      ],
      {
        lower: 1,
      },
    );
}

/** Tapes: `T <= R`, `H[1] = T[0]`, `H[t+1] = H[t] + T[t]`, and `H + T = 1` at the backward. */
export function addTapeRows(b: Build): void {
  const { grid, columns, held } = b;
  const { n } = grid;
  for (let v = 0; v < n; v++) {
    if (grid.hasTape[v] === 0) continue;
    const last = grid.backwardStage[v] as number;
    for (let t = 0; t <= last; t++) {
      const at = t * n + v;
      const tape = columns.tape[at] as number;
      if (tape >= 0)
        addRow(
          b,
          `tape${t}_${v}`,
          [
            [tape, 1],
            [columns.compute[at] as number, -1],
          ],
          { upper: 0 },
        );
      const parts: [number, number][] = [[tape, 1]];
      if (t >= 1) parts.push([held[at] as number, 1]);
      if (t === last) addRow(b, `taped${v}`, parts, { lower: 1, upper: 1 });
      else addRow(b, `hold${t}_${v}`, [...parts, [held[at + n] as number, -1]], { lower: 0, upper: 0 });
    }
  }
}

/** The objective's cutoff: recomputed forward time at most `cutoffMs` minus the fixed time. */
function addCutoff(b: Build, cutoffMs: number): void {
  const model = b.m.build();
  const terms: LpTerm[] = [];
  model.variables.forEach((v, j) => {
    if (v.objective !== 0) terms.push([j, v.objective]);
  });
  const slack = 1e-9 * Math.max(1, Math.abs(cutoffMs));
  if (terms.length > 0) b.m.addConstraint("cutoff", terms, { upper: cutoffMs - model.offset + slack });
}
