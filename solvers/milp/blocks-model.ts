/**
 * The block relaxation of the stage-grid MILP (proofs/milp-blocks.md): the grid of model.ts with
 * (1) one memory row per stage at its stage op (the last op of the stage: what is kept into the next
 * stage, what the op reads, its output or new gradients and temporaries) and one at its start, instead
 * of a row per op with the FREE columns; (2) per stage, only the cells of the stage's group detailed
 * (blocks-groups.ts: the nodes every op of the stage reads), every other group's cells aggregated
 * into `A[t,g]` (bytes of the group kept into stage `t`) and recomputation bytes `y[t,g,s]` priced at
 * the cheapest time per byte of each of `segments` slices of the group (a lower envelope of what any
 * recomputation of that many bytes costs). Every point of milp's model, so every stage-grid schedule
 * within the budget, maps to a point of this model with no larger objective: its optimum (and any bound
 * a backend proves on it) bounds the stage-grid class from below.
 *
 * Size: with groups of about `k` nodes, O(stages x (k + n / k)) columns and rows (O(n^2) for one group,
 * the "lite" model); O(stages x n) to build.
 */
import { type LpModel, ModelBuilder } from "../../src/lp/model.js";
import type { Deadline } from "../../src/time-limit.js";
import { type BlockGroups, blockGroups, isDetailed } from "./blocks-groups.js";
import { mayCompute, mayRetain, type StageGrid } from "./grid.js";
import { addCell, addTapeRows, byteUnit, fixedTimeMs } from "./model.js";
import { addRow, type Build, FIXED_ONE, FIXED_ZERO } from "./model-rows.js";

/** What the relaxation is built for. */
export interface BlocksSpec {
  readonly budgetBytes: number;
  readonly fixedBytes: number;
  /** Least non-source nodes per group (blocks-groups.ts); `>= n`: one group, every cell detailed. */
  readonly groupNodes: number;
  /** Price slices per aggregated group and stage (>= 1). */
  readonly segments: number;
  readonly deadline: Deadline;
}

/** The model and its size. */
export interface BlocksModel {
  readonly model: LpModel;
  readonly binaries: number;
  readonly groups: number;
}

/** One group's aggregated cells at one stage. */
interface Aggregate {
  /** Column of `A[t,g]` (model units), or -1 when no member may be kept into the stage. */
  readonly kept: number;
  /** Columns of `y[t,g,s]` (model units). */
  readonly recomputed: readonly number[];
  /** Bytes of the members (model units): `A + sum y <= this` (each member is kept or computed, not both). */
  readonly capacity: number;
}

/** The build's state. */
interface BlocksBuild extends Build {
  readonly groups: BlockGroups;
  /** Per group: its members sorted by forward time per byte, ascending (members of 0 bytes left out). */
  readonly byPrice: readonly (readonly number[])[];
  /** `t * count + g`, undefined where group g has no aggregated cells at stage t. */
  readonly aggregates: (Aggregate | undefined)[];
  readonly segments: number;
}

/**
 * Builds the block relaxation for `grid` under the spec's budget.
 * @throws TimeLimitReached when the deadline passes while building
 */
export function buildBlocksModel(grid: StageGrid, spec: BlocksSpec): BlocksModel {
  const m = new ModelBuilder("checkmate-blocks", "minimize");
  const unit = byteUnit(grid);
  const size = grid.stages * grid.n;
  const groups = blockGroups(grid, spec.groupNodes);
  const b: BlocksBuild = {
    m,
    grid,
    columns: {
      compute: new Int32Array(size).fill(FIXED_ZERO),
      retain: new Int32Array(size).fill(FIXED_ZERO),
      tape: new Int32Array(size).fill(FIXED_ZERO),
      prefetch: new Int32Array(size).fill(FIXED_ZERO),
    },
    held: new Int32Array(size).fill(-1),
    unit,
    budgetUnits: spec.budgetBytes / unit,
    fixedUnits: spec.fixedBytes / unit,
    timed: false,
    groups,
    byPrice: membersByPrice(grid, groups),
    aggregates: new Array(grid.stages * groups.count),
    segments: Math.max(1, spec.segments),
  };
  m.addOffset(fixedTimeMs(grid));
  let binaries = 0;
  for (let t = 0; t < grid.stages; t++) {
    spec.deadline.check("building the block relaxation");
    for (let i = 0; i <= (grid.top[t] as number); i++)
      if (isDetailed(groups, t, i)) binaries += addCell(b, t, i);
    for (let g = 0; g < Math.max(0, groups.stageGroup[t] as number); g++) addAggregate(b, t, g);
  }
  for (let t = 0; t < grid.stages; t++) {
    spec.deadline.check("building the block relaxation");
    addDetailedRows(b, t);
    addTransitionRows(b, t);
    addStageMemoryRows(b, t);
  }
  addTapeRows(b);
  return { model: m.build(), binaries, groups: groups.count };
}

/** Per group, its members of positive size sorted by forward time per byte. */
function membersByPrice(grid: StageGrid, groups: BlockGroups): number[][] {
  const lists: number[][] = Array.from({ length: groups.count }, () => []);
  for (let v = 0; v < grid.n; v++) {
    const own = groups.group[v] as number;
    if (own >= 0 && (grid.g.bytes[v] as number) > 0) lists[own]?.push(v);
  }
  const price = (v: number) => (grid.g.fwd[v] as number) / (grid.g.bytes[v] as number);
  for (const list of lists) list.sort((x, y) => price(x) - price(y) || x - y);
  return lists;
}

/** Whether stage `t` aggregates node `i` (within its top and not detailed). */
function aggregated(b: BlocksBuild, t: number, i: number): boolean {
  return t < b.grid.stages && i <= (b.grid.top[t] as number) && !isDetailed(b.groups, t, i);
}

/** `A[t,g]` and the `y[t,g,s]` of group g's aggregated cells at stage t, with their bounds and prices. */
function addAggregate(b: BlocksBuild, t: number, g: number): void {
  const { grid, m, unit } = b;
  let keepable = 0;
  let capacity = 0;
  for (let i = b.groups.first[g] as number; i <= (b.groups.last[g] as number); i++) {
    if (!aggregated(b, t, i) || b.groups.group[i] !== g) continue;
    capacity += (grid.g.bytes[i] as number) / unit;
    if (mayRetain(grid, t, i)) keepable += (grid.g.bytes[i] as number) / unit;
  }
  const computable = (b.byPrice[g] as readonly number[]).filter(
    (i) => aggregated(b, t, i) && mayCompute(grid, t, i),
  );
  const recomputed: number[] = [];
  const slice = Math.ceil(computable.length / b.segments);
  for (let from = 0; from < computable.length; from += slice) {
    const members = computable.slice(from, from + slice);
    const cheapest = members[0] as number;
    const width = members.reduce((total, i) => total + (grid.g.bytes[i] as number), 0) / unit;
    const price = ((grid.g.fwd[cheapest] as number) / (grid.g.bytes[cheapest] as number)) * unit;
    recomputed.push(m.addVariable(`y${t}_${g}_${from}`, { upper: width, objective: price }));
  }
  const kept = keepable > 0 ? m.addVariable(`A${t}_${g}`, { upper: keepable }) : -1;
  b.aggregates[t * b.groups.count + g] = { kept, recomputed, capacity };
  if (kept >= 0 && recomputed.length > 0)
    addRow(b, `aone${t}_${g}`, [[kept, 1], ...recomputed.map((y) => [y, 1] as [number, number])], {
      upper: capacity,
    });
}

/** Rows 1-3 of model.ts on the detailed cells: `R + S <= 1`, retention, reads of detailed inputs. */
function addDetailedRows(b: BlocksBuild, t: number): void {
  const { grid } = b;
  for (let i = 0; i <= (grid.top[t] as number); i++) if (isDetailed(b.groups, t, i)) addCellRows(b, t, i);
  for (const u of grid.backwardReads[t] as readonly number[])
    if (isDetailed(b.groups, t, u))
      addRow(b, `bread${t}_${u}`, readTerms(b, t * grid.n, u, [FIXED_ONE, 1]), { upper: 0 });
}

/** The rows of one detailed cell. */
function addCellRows(b: BlocksBuild, t: number, i: number): void {
  const { grid, columns } = b;
  const { n } = grid;
  const base = t * n;
  const r = columns.compute[base + i] as number;
  const s = columns.retain[base + i] as number;
  if (r >= 0 && s >= 0)
    addRow(
      b,
      `one${t}_${i}`,
      [
        [r, 1],
        [s, 1],
      ],
      { upper: 1 },
    );
  const next = t + 1 < grid.stages ? (columns.retain[base + n + i] as number) : FIXED_ZERO;
  if (next >= 0 && isDetailed(b.groups, t + 1, i))
    addRow(
      b,
      `keep${t}_${i}`,
      [
        [next, 1],
        [s, -1],
        [r, -1],
      ],
      { upper: 0 },
    );
  if (r === FIXED_ZERO) return;
  for (const u of grid.reads[i] as readonly number[])
    if (isDetailed(b.groups, t, u))
      addRow(b, `read${t}_${i}_${u}`, readTerms(b, base, u, [r, 1]), { upper: 0 });
}

/** `reader - R[t,u] - S[t,u]` (a read row's terms). */
function readTerms(b: BlocksBuild, base: number, u: number, reader: [number, number]): [number, number][] {
  return [reader, [b.columns.compute[base + u] as number, -1], [b.columns.retain[base + u] as number, -1]];
}

/**
 * Retention of each group across stages `t -> t+1` where some of its cells are aggregated (the sum of
 * model.ts's row 2 over those members, weighted by bytes): what the group keeps into `t+1` is at most
 * what it kept into `t` plus what `t` computed.
 */
function addTransitionRows(b: BlocksBuild, t: number): void {
  const { grid, groups } = b;
  if (t + 1 >= grid.stages) return;
  const reach = Math.max(groups.stageGroup[t] as number, groups.stageGroup[t + 1] as number);
  for (let g = 0; g < reach; g++) addGroupTransition(b, t, g);
}

/** Group g's retention row across `t -> t+1` (none when nothing of it can be kept into `t+1`). */
function addGroupTransition(b: BlocksBuild, t: number, g: number): void {
  const { grid, columns, groups, unit } = b;
  const now = b.aggregates[t * groups.count + g];
  const next = b.aggregates[(t + 1) * groups.count + g];
  const left: [number, number][] = next !== undefined && next.kept >= 0 ? [[next.kept, 1]] : [];
  const right: [number, number][] =
    now === undefined
      ? []
      : [...(now.kept >= 0 ? [now.kept] : []), ...now.recomputed].map((c) => [c, -1] as [number, number]);
  for (let i = groups.first[g] as number; i <= (groups.last[g] as number); i++) {
    if (groups.group[i] !== g) continue;
    const bytes = (grid.g.bytes[i] as number) / unit;
    const before = aggregated(b, t, i);
    const after = aggregated(b, t + 1, i);
    const kept = columns.retain[(t + 1) * grid.n + i] as number;
    if (before && !after && kept >= 0) left.push([kept, bytes]);
    if (!before && after && i <= (grid.top[t] as number))
      right.push(
        [columns.retain[t * grid.n + i] as number, -bytes],
        [columns.compute[t * grid.n + i] as number, -bytes],
      );
  }
  if (left.length > 0) addRow(b, `akeep${t}_${g}`, [...left, ...right], { upper: 0 });
}

/** The kept bytes of stage `t`'s cells: detailed S (but `skip`), tapes H (but `skipTape`), and every A. */
function keptTerms(
  b: BlocksBuild,
  t: number,
  skip: (i: number) => boolean,
  skipTape: number,
): [number, number][] {
  const { grid, columns, unit } = b;
  const terms: [number, number][] = [];
  if (t >= grid.stages) return terms;
  for (let i = 0; i <= (grid.top[t] as number); i++) {
    const s = columns.retain[t * grid.n + i] as number;
    if (s >= 0 && isDetailed(b.groups, t, i) && !skip(i)) terms.push([s, (grid.g.bytes[i] as number) / unit]);
    const h = b.held[t * grid.n + i] as number;
    if (h >= 0 && i !== skipTape) terms.push([h, (grid.g.tapeBytes[i] as number) / unit]);
  }
  for (let g = 0; g < b.groups.count; g++) {
    const aggregate = b.aggregates[t * b.groups.count + g];
    if (aggregate !== undefined && aggregate.kept >= 0) terms.push([aggregate.kept, 1]);
  }
  return terms;
}

/**
 * The stage's two memory rows: at its start (everything kept into it) and while its stage op runs
 * (what the op reads, what is kept into the next stage, the op's output and temporaries or new
 * gradients, the tapes held).
 */
function addStageMemoryRows(b: BlocksBuild, t: number): void {
  const { grid, unit } = b;
  const { g } = grid;
  const resident = b.fixedUnits + (grid.gradientBytes[t] as number) / unit;
  const start = keptTerms(b, t, () => false, -1);
  if (start.length > 0) addRow(b, `smem${t}`, start, { upper: b.budgetUnits - resident });
  const w = grid.backwardOf[t] as number;
  const op = w >= 0 ? w : t;
  const reads = w >= 0 ? (grid.backwardReads[t] as readonly number[]) : (grid.reads[t] as readonly number[]);
  let constant = resident;
  if (w >= 0)
    constant +=
      ((grid.newGradientBytes[t] as number) +
        (g.bwdTemp[w] as number) +
        (grid.hasTape[w] === 1 ? (g.tapeBytes[w] as number) : 0)) /
      unit;
  else constant += ((g.bytes[t] as number) + (g.fwdTemp[t] as number)) / unit;
  for (const u of reads) if (!aggregated(b, t + 1, u)) constant += (g.bytes[u] as number) / unit;
  const terms = keptTerms(b, t + 1, (i) => i === op || reads.includes(i), op);
  if (w < 0) terms.push([b.columns.tape[t * grid.n + t] as number, (g.tapeBytes[t] as number) / unit]);
  addRow(b, `emem${t}`, terms, { upper: b.budgetUnits - constant });
}
