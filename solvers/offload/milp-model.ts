/**
 * offload-milp's model (proofs/offload-milp.md, "The model"): a disjunctive MILP over store-all's ops,
 * a relaxation of the offload class whose every solution rebuilds into a valid schedule within the
 * budget. Times are continuous in [0, H] ms, H a horizon no optimal solution exceeds (the incumbent's
 * makespan when there is one). Variables:
 * - `S[k]`, k = 0..N-1: start of op k; the objective is `S[N-1] + opMs[N-1]`.
 * - `sigma[v]`, `x[v]` for v in `offloadNodes`: start of `O v`; x = 1 when `a:v` is offloaded (continuous
 *   in [0, 1], driven to max over v's absences of `u`).
 * - `u[c]` for absence c (binary): c is used; `alpha[c][t]` / `beta[c][t]` (binary) for t over c's
 *   over-budget ops: the window starts / ends at that op; `pi[c]`: start of its `P`.
 * - `y[u,v]` (u < v, binary): `O u` before `O v` on the device-to-host channel; `z[a,b]` (a < b, binary):
 *   the prefetch of absence a before that of b on the host-to-device channel.
 * Size: N + 2|offloadNodes| + sum_c (2 + 2|overOps(c)|) + C(|offloadNodes|, 2) + C(|absences|, 2) columns;
 * rows about as many. O(that) to build.
 */
import { type LpModel, ModelBuilder } from "../../src/lp/model.js";
import type { Deadline } from "../../src/time-limit.js";
import { type AbsenceColumns, addEnergyCuts } from "./milp-cuts.js";
import type { OffloadPlan } from "./milp-plan.js";

/** Column indices of the model's variables (see the file comment). */
export interface OffloadColumns {
  readonly start: readonly number[];
  /** By position in `plan.offloadNodes`. */
  readonly sigma: readonly number[];
  readonly x: readonly number[];
  /** By absence. */
  readonly use: readonly number[];
  readonly alpha: readonly (readonly number[])[];
  readonly beta: readonly (readonly number[])[];
  readonly pi: readonly number[];
  /** `y[i][j]` for i < j (positions in `plan.offloadNodes`). */
  readonly y: readonly (readonly number[])[];
  /** `z[a][b]` for a < b (absences). */
  readonly z: readonly (readonly number[])[];
}

/** The model and where its columns are. */
export interface OffloadModel {
  readonly model: LpModel;
  readonly columns: OffloadColumns;
  /** The horizon H (ms) every time lies within. */
  readonly horizonMs: number;
  readonly binaries: number;
}

/** Binaries of the model of `plan`, counted without building it: u, alpha, beta, and the two channels' orders. */
export function modelBinaries(plan: OffloadPlan): number {
  const pairs = (n: number) => (n * (n - 1)) / 2;
  let windows = 0;
  for (const a of plan.absences) windows += 2 * a.overOps.length;
  return plan.absences.length + windows + pairs(plan.offloadNodes.length) + pairs(plan.absences.length);
}

/** Sum of op times plus one transfer each way per candidate: no optimal solution runs longer (proofs/offload-milp.md). */
export function trivialHorizonMs(plan: OffloadPlan): number {
  let total = 0;
  for (const ms of plan.opMs) total += ms;
  for (const v of plan.offloadNodes) total += plan.transferMs[v] as number;
  for (const a of plan.absences) total += plan.transferMs[a.node] as number;
  return total;
}

/** Largest transfer of a candidate or op duration, ms: big-M is the horizon plus it (proofs/offload-milp.md). */
function largestStepMs(plan: OffloadPlan): number {
  let largest = 0;
  for (const v of plan.offloadNodes) largest = Math.max(largest, plan.transferMs[v] as number);
  for (const ms of plan.opMs) largest = Math.max(largest, ms);
  return largest;
}

/** Adds the op starts, their chain `S[k+1] >= S[k] + opMs[k]`, the objective and the cutoff. */
function addOps(m: ModelBuilder, plan: OffloadPlan, horizon: number, cutoffMs: number | undefined): number[] {
  const n = plan.opMs.length;
  const start: number[] = [];
  for (let k = 0; k < n; k++) start.push(m.addVariable(`S${k}`, { upper: horizon }));
  for (let k = 0; k + 1 < n; k++)
    m.addConstraint(
      `chain${k}`,
      [
        [start[k + 1] as number, 1],
        [start[k] as number, -1],
      ],
      {
        lower: plan.opMs[k] as number,
      },
    );
  const last = plan.opMs[n - 1] as number;
  m.addObjectiveTerm(start[n - 1] as number, 1);
  m.addOffset(last);
  if (cutoffMs !== undefined)
    m.addConstraint("cutoff", [[start[n - 1] as number, 1]], { upper: cutoffMs - last });
  return start;
}

/** Adds `sigma`, `x` and `O v` after `F v`: `sigma[v] >= S[prod v] + opMs[prod v]`. */
function addOffloads(m: ModelBuilder, plan: OffloadPlan, start: readonly number[], horizon: number) {
  const sigma: number[] = [];
  const x: number[] = [];
  plan.offloadNodes.forEach((v, i) => {
    const s = m.addVariable(`sigma${v}`, { upper: horizon });
    sigma.push(s);
    x.push(m.addVariable(`x${v}`, { upper: 1 }));
    const prod = plan.production[v] as number;
    m.addConstraint(
      `ready${i}`,
      [
        [s, 1],
        [start[prod] as number, -1],
      ],
      { lower: plan.opMs[prod] as number },
    );
  });
  return { sigma, x };
}

/** Context shared by the absence rows. */
interface AbsenceContext {
  readonly m: ModelBuilder;
  readonly plan: OffloadPlan;
  readonly start: readonly number[];
  readonly sigmaOf: ReadonlyMap<number, number>;
  readonly xOf: ReadonlyMap<number, number>;
  readonly horizon: number;
  /** Big-M: H plus the largest transfer or op duration. */
  readonly big: number;
}

/** Adds absence c's columns, with the rows defining `started` and `ending` and the window's order. */
function addWindow(m: ModelBuilder, c: number, overOps: readonly number[], horizon: number): AbsenceColumns {
  const use = m.addVariable(`u${c}`, { kind: "binary" });
  const pi = m.addVariable(`pi${c}`, { upper: horizon });
  const alpha = overOps.map((k) => m.addVariable(`a${c}_${k}`, { kind: "binary" }));
  const beta = overOps.map((k) => m.addVariable(`b${c}_${k}`, { kind: "binary" }));
  const started = overOps.map((k) => m.addVariable(`A${c}_${k}`, { upper: 1 }));
  const ending = overOps.map((k) => m.addVariable(`E${c}_${k}`, { upper: 1 }));
  m.addConstraint(`first${c}`, [...alpha.map((a) => [a, 1] as const), [use, -1]], { equal: 0 });
  m.addConstraint(`last${c}`, [...beta.map((b) => [b, 1] as const), [use, -1]], { equal: 0 });
  overOps.forEach((k, t) => {
    const begun = alpha.slice(0, t + 1).map((a) => [a, 1] as const);
    const ended = beta.slice(0, t).map((b) => [b, 1] as const);
    m.addConstraint(`A${c}_${k}`, [[started[t] as number, 1], ...begun.map(([a]) => [a, -1] as const)], {
      equal: 0,
    });
    m.addConstraint(`E${c}_${k}`, [[ending[t] as number, 1], [use, -1], ...ended], { equal: 0 });
    // The window cannot end (at t) before it starts: sum of beta[0..t] <= started[t].
    m.addConstraint(
      `order${c}_${k}`,
      [[started[t] as number, 1], ...ended.map(([b]) => [b, -1] as const), [beta[t] as number, -1]],
      { lower: 0 },
    );
  });
  return { use, pi, alpha, beta, started, ending };
}

/** Adds absence `c` and its rows but memory (proofs/offload-milp.md, rows (3)-(7)). */
function addAbsence(ctx: AbsenceContext, c: number): AbsenceColumns {
  const { m, plan, start, big } = ctx;
  const absence = plan.absences[c] as OffloadPlan["absences"][number];
  const d = plan.transferMs[absence.node] as number;
  const sigma = ctx.sigmaOf.get(absence.node) as number;
  const cols = addWindow(m, c, absence.overOps, ctx.horizon);
  const { use, pi } = cols;
  m.addConstraint(
    `x${c}`,
    [
      [ctx.xOf.get(absence.node) as number, 1],
      [use, -1],
    ],
    { lower: 0 },
  );
  m.addConstraint(
    `afterO${c}`,
    [
      [pi, 1],
      [sigma, -1],
      [use, -big],
    ],
    { lower: d - big },
  );
  m.addConstraint(
    `read${c}`,
    [
      [start[absence.before] as number, 1],
      [pi, -1],
      [use, -big],
    ],
    { lower: d - big },
  );
  absence.overOps.forEach((k, t) => {
    // The free before op k (or an earlier one) waits for the offload: S[k] >= sigma + d once started.
    m.addConstraint(
      `stall${c}_${k}`,
      [
        [start[k] as number, 1],
        [sigma, -1],
        [cols.started[t] as number, -big],
      ],
      {
        lower: d - big,
      },
    );
    // The prefetch is issued after op k when the window reaches k: pi >= S[k] + opMs[k].
    m.addConstraint(
      `issue${c}_${k}`,
      [
        [pi, 1],
        [start[k] as number, -1],
        [cols.ending[t] as number, -big],
      ],
      {
        lower: (plan.opMs[k] as number) - big,
      },
    );
  });
  return cols;
}

/** Adds `SA[k] - sum of absent bytes <= budget` at each over-budget op (row (2)): absent = started + ending - u. */
function addMemory(m: ModelBuilder, plan: OffloadPlan, absences: readonly AbsenceColumns[]) {
  const terms = new Map<number, [number, number][]>();
  plan.absences.forEach((absence, c) => {
    const bytes = plan.graph.bytes[absence.node] as number;
    const cols = absences[c] as AbsenceColumns;
    absence.overOps.forEach((k, t) => {
      const row = terms.get(k) ?? [];
      row.push([cols.started[t] as number, bytes], [cols.ending[t] as number, bytes], [cols.use, -bytes]);
      terms.set(k, row);
    });
  });
  for (const k of plan.overOps)
    m.addConstraint(`memory${k}`, terms.get(k) ?? [], {
      lower: (plan.opBytes[k] as number) - plan.budgetBytes,
    });
}

/**
 * Pairwise disjunctions on one channel: for i < j, with `order[i][j]` = 1 when i goes first,
 * `t_j >= t_i + d_i w_i - M (1 - order)` and `t_i >= t_j + d_j w_j - M order` (w = 1 when used, so an
 * unused transfer takes no channel time).
 */
function addChannel(
  m: ModelBuilder,
  name: string,
  times: readonly number[],
  weights: readonly number[],
  durations: readonly number[],
  big: number,
  deadline: Deadline,
): number[][] {
  const order: number[][] = [];
  for (let i = 0; i < times.length; i++) {
    deadline.check("building the offload MILP");
    const row: number[] = [];
    for (let j = i + 1; j < times.length; j++) {
      const o = m.addVariable(`${name}${i}_${j}`, { kind: "binary" });
      row[j] = o;
      const [ti, tj, wi, wj] = [times[i], times[j], weights[i], weights[j]] as number[];
      m.addConstraint(
        `${name}F${i}_${j}`,
        [
          [tj as number, 1],
          [ti as number, -1],
          [wi as number, -(durations[i] as number)],
          [o, -big],
        ],
        { lower: -big },
      );
      m.addConstraint(
        `${name}S${i}_${j}`,
        [
          [ti as number, 1],
          [tj as number, -1],
          [wj as number, -(durations[j] as number)],
          [o, big],
        ],
        { lower: 0 },
      );
    }
    order.push(row);
  }
  return order;
}

/**
 * Builds the model of `plan` (proofs/offload-milp.md).
 * @param cutoffMs when given, only solutions with makespan <= it (the incumbent's); also the horizon
 * @throws TimeLimitReached when `deadline` passes while building
 */
export function buildOffloadModel(
  plan: OffloadPlan,
  cutoffMs: number | undefined,
  deadline: Deadline,
): OffloadModel {
  const horizon = Math.min(trivialHorizonMs(plan), cutoffMs ?? Number.POSITIVE_INFINITY);
  const big = horizon + largestStepMs(plan);
  const m = new ModelBuilder("offload-milp", "minimize");
  const start = addOps(m, plan, horizon, cutoffMs);
  const { sigma, x } = addOffloads(m, plan, start, horizon);
  const sigmaOf = new Map(plan.offloadNodes.map((v, i) => [v, sigma[i] as number]));
  const xOf = new Map(plan.offloadNodes.map((v, i) => [v, x[i] as number]));
  const ctx: AbsenceContext = { m, plan, start, sigmaOf, xOf, horizon, big };
  const absences = plan.absences.map((_, c) => {
    if ((c & 0x3f) === 0) deadline.check("building the offload MILP");
    return addAbsence(ctx, c);
  });
  const alpha = absences.map((a) => a.alpha);
  const beta = absences.map((a) => a.beta);
  addMemory(m, plan, absences);
  addEnergyCuts(m, plan, start, absences, deadline);
  const offloadMs = plan.offloadNodes.map((v) => plan.transferMs[v] as number);
  const y = addChannel(m, "y", sigma, x, offloadMs, big, deadline);
  const use = absences.map((a) => a.use);
  const pi = absences.map((a) => a.pi);
  const prefetchMs = plan.absences.map((a) => plan.transferMs[a.node] as number);
  const z = addChannel(m, "z", pi, use, prefetchMs, big, deadline);
  const binaries = use.length + alpha.flat().length * 2 + (y.flat().length + z.flat().length);
  return {
    model: m.build(),
    columns: { start, sigma, x, use, alpha, beta, pi, y, z },
    horizonMs: horizon,
    binaries,
  };
}
