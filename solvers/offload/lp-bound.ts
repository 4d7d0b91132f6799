/**
 * The LP relaxation of the offload problem (issue 11, item 4a; proofs/offload-relaxations.md, "LP
 * bound"): any fraction x_u in [0, 1] of each activation may be offloaded, and the two links are fluid
 * channels over the intervals between compute starts. Its optimum is a lower bound on the makespan of
 * every offload schedule within the budget. O(K + n + reads) variables, rows and non-zeros.
 *
 * Variables (all continuous, >= 0), for compute steps s = 0..K-1 (t_K stands for Z):
 * - `t_s`: start of step s; `Z`: the makespan (the objective);
 * - `x_u` in [0, 1]: the fraction of a:u offloaded (offloadable u of positive size);
 * - `H_s`, s = 0..K: device-to-host channel time spent before t_s (H_0 = 0);
 * - `G_s`, s = 0..K: useful host-to-device channel time spent after t_s (G_K = 0);
 * - `V_m`, m < n: sum of c_u x_u over u <= m (what the offloads of the first m+1 forwards can take);
 * - `W_m`: sum of c_u x_u over the reader runs of u that start after m (what prefetches can serve then);
 * - `A_j`: sum of b_u x_u over the activations store-all holds at step j produced before it.
 * Rows: t_{s+1} >= t_s + dur_s; 0 <= H_{s+1} - H_s <= t_{s+1} - t_s, likewise G_s - G_{s+1};
 * H_{m+1} <= V_m, H_K <= V_{n-1}; G_m <= W_m; and at each step j above the budget by need_j:
 * H_j >= rho_j need_j, G_j >= rho_j need_j, A_j - (its readers' b_u x_u) >= need_j, where
 * rho_j = 1/bandwidth + latency / (largest candidate at j), c_u = latency + b_u / bandwidth.
 */
import type { LpBackendName } from "../../src/lp/backends.js";
import { loadLpBackend } from "../../src/lp/load.js";
import { type LpTerm, ModelBuilder } from "../../src/lp/model.js";
import { candidatesAt } from "./fluid-bound.js";
import type { OffloadOrder } from "./order.js";

/** The method string the LP bound cites. */
export const LP_BOUND = "LP relaxation with fractional offloads, proofs/offload-relaxations.md";

/** Relative safety margin taken off the LP optimum (the backends' feasibility tolerances). */
const LP_MARGIN = 1e-7;

/** The LP's answer: the bound (undefined when the backend proved none) and each activation's fraction. */
export interface LpRelaxation {
  readonly boundMs: number | undefined;
  readonly fraction: Float64Array;
  readonly iterations: number;
}

/** Builds and solves the relaxation of `order`'s instance at `budgetBytes` with `backend`. */
export async function solveLpRelaxation(
  order: OffloadOrder,
  budgetBytes: number,
  backend: LpBackendName,
  timeLimitSec: number,
): Promise<LpRelaxation> {
  const { model, x } = buildModel(order, budgetBytes);
  const result = await (await loadLpBackend(backend)).solve(model.build(), { timeLimitSec });
  const fraction = new Float64Array(order.g.size);
  if (result.status !== "optimal" || result.values === undefined)
    return { boundMs: undefined, fraction, iterations: result.iterations ?? 0 };
  x.forEach((column, u) => {
    if (column >= 0) fraction[u] = result.values?.[column] as number;
  });
  const value = result.bound ?? result.objective;
  return {
    boundMs: value === undefined ? undefined : value - LP_MARGIN * Math.max(1, Math.abs(value)),
    fraction,
    iterations: result.iterations ?? 0,
  };
}

/** The model, and the column of each activation's fraction (-1 when it has none). */
function buildModel(order: OffloadOrder, budget: number): { model: ModelBuilder; x: number[] } {
  const { g, forwardSteps: n } = order;
  const K = order.steps.length;
  const m = new ModelBuilder(`offload-lp-${order.instance.name}`, "minimize");
  const t = Array.from({ length: K }, (_, s) => m.addVariable(`t${s}`));
  const z = m.addVariable("Z", { objective: 1 });
  const start = (s: number) => (s === K ? z : (t[s] as number));
  const x = Array.from({ length: g.size }, (_, u) =>
    g.offloadable[u] === 1 && (g.bytes[u] as number) > 0 && order.hasLink
      ? m.addVariable(`x${u}`, { upper: 1 })
      : -1,
  );
  for (let s = 0; s < K; s++)
    m.addConstraint(
      `order${s}`,
      [
        [start(s + 1), 1],
        [start(s), -1],
      ],
      { lower: order.durations[s] as number },
    );
  const H = Array.from({ length: K + 1 }, (_, s) => m.addVariable(`H${s}`, s === 0 ? { upper: 0 } : {}));
  const G = Array.from({ length: K + 1 }, (_, s) => m.addVariable(`G${s}`, s === K ? { upper: 0 } : {}));
  for (let s = 0; s < K; s++) {
    const span: LpTerm[] = [
      [start(s + 1), -1],
      [start(s), 1],
    ];
    m.addConstraint(`out${s}`, [[H[s + 1] as number, 1], [H[s] as number, -1], ...span], { upper: 0 });
    m.addConstraint(
      `outUp${s}`,
      [
        [H[s + 1] as number, 1],
        [H[s] as number, -1],
      ],
      { lower: 0 },
    );
    m.addConstraint(`in${s}`, [[G[s] as number, 1], [G[s + 1] as number, -1], ...span], { upper: 0 });
    m.addConstraint(
      `inUp${s}`,
      [
        [G[s] as number, 1],
        [G[s + 1] as number, -1],
      ],
      { lower: 0 },
    );
  }
  addReleases(order, m, x, H, G, n);
  addNeeds(order, m, x, H, G, budget);
  return { model: m, x };
}

/** V (offloads can only carry what was produced) and W (prefetches only serve reader runs ahead). */
function addReleases(
  order: OffloadOrder,
  m: ModelBuilder,
  x: number[],
  H: number[],
  G: number[],
  n: number,
): void {
  const K = order.steps.length;
  const cost = (u: number) => order.transferMs[u] as number;
  let previous = -1;
  for (let u = 0; u < n; u++) {
    const v = m.addVariable(`V${u}`);
    const terms: LpTerm[] = [[v, 1]];
    if (previous >= 0) terms.push([previous, -1]);
    if ((x[u] as number) >= 0) terms.push([x[u] as number, -cost(u)]);
    m.addConstraint(`V${u}`, terms, { equal: 0 });
    m.addConstraint(
      `release${u}`,
      [
        [H[u + 1] as number, 1],
        [v, -1],
      ],
      { upper: 0 },
    );
    previous = v;
  }
  m.addConstraint(
    "releaseAll",
    [
      [H[K] as number, 1],
      [previous, -1],
    ],
    { upper: 0 },
  );
  const runsFrom = runStarts(order, x);
  let later = -1;
  for (let s = K - 1; s >= 0; s--) {
    const w = m.addVariable(`W${s}`);
    const terms: LpTerm[] = [[w, 1]];
    if (later >= 0) terms.push([later, -1]);
    for (const u of runsFrom[s + 1] ?? []) terms.push([x[u] as number, -cost(u)]);
    m.addConstraint(`W${s}`, terms, { equal: 0 });
    m.addConstraint(
      `serve${s}`,
      [
        [G[s] as number, 1],
        [w, -1],
      ],
      { upper: 0 },
    );
    later = w;
  }
}

/** For each step r, the activations (with a fraction) having a reader run that starts at r after an absence could begin. */
function runStarts(order: OffloadOrder, x: number[]): number[][] {
  const starts: number[][] = Array.from({ length: order.steps.length + 1 }, () => []);
  for (let u = 0; u < order.g.size; u++) {
    if ((x[u] as number) < 0) continue;
    let previous = u; // the production step
    for (const s of order.readSteps[u] as readonly number[]) {
      if (s > previous + 1) (starts[s] as number[]).push(u);
      previous = s;
    }
  }
  return starts;
}

/** At each step above the budget: both channels' work and the absent bytes. */
function addNeeds(
  order: OffloadOrder,
  m: ModelBuilder,
  x: number[],
  H: number[],
  G: number[],
  budget: number,
): void {
  const K = order.steps.length;
  let alive = -1; // A_{j-1}
  for (let j = 0; j < K; j++) {
    alive = addAlive(order, m, x, j, alive);
    const need = (order.storeAllDuring[j] as number) - budget;
    if (need > 0) addNeed(order, m, x, j, need, { out: H[j] as number, in: G[j] as number, alive });
  }
}

/** A_j = A_{j-1} + b x of the activation produced by step j-1 - b x of those last read by step j-1. */
function addAlive(order: OffloadOrder, m: ModelBuilder, x: number[], j: number, previous: number): number {
  const { g, forwardSteps: n } = order;
  const a = m.addVariable(`A${j}`);
  const terms: LpTerm[] = [[a, 1]];
  if (previous >= 0) terms.push([previous, -1]);
  if (j > 0 && j - 1 < n && (x[j - 1] as number) >= 0)
    terms.push([x[j - 1] as number, -(g.bytes[j - 1] as number)]);
  for (let u = 0; j > 0 && u < g.size; u++)
    if (order.lastUse[u] === j - 1 && (x[u] as number) >= 0)
      terms.push([x[u] as number, g.bytes[u] as number]);
  m.addConstraint(`A${j}`, terms, { equal: 0 });
  return a;
}

/** The three rows of a step `j` whose store-all memory is `need` bytes above the budget. */
function addNeed(
  order: OffloadOrder,
  m: ModelBuilder,
  x: number[],
  j: number,
  need: number,
  columns: { readonly out: number; readonly in: number; readonly alive: number },
): void {
  const { g } = order;
  const hardware = order.instance.hardware;
  const bandwidth = hardware?.bandwidth ?? 1;
  let largest = 0;
  for (const u of candidatesAt(order, j)) largest = Math.max(largest, g.bytes[u] as number);
  const rho = 1 / bandwidth + (largest > 0 ? (hardware?.latency ?? 0) / largest : 0);
  m.addConstraint(`outNeed${j}`, [[columns.out, 1]], { lower: rho * need });
  m.addConstraint(`inNeed${j}`, [[columns.in, 1]], { lower: rho * need });
  const absent: LpTerm[] = [[columns.alive, 1]];
  for (const u of order.reads[j] as readonly number[])
    if ((x[u] as number) >= 0) absent.push([x[u] as number, -(g.bytes[u] as number)]);
  m.addConstraint(`absent${j}`, absent, { lower: need });
}
