/**
 * Models for the LP-layer tests, built through the public `ModelBuilder`: seeded knapsacks with their
 * dynamic-programming optimum, market-split instances, and a brute-force optimum for small integer
 * models. (Arbitraries live in arbitraries.ts, so that files without properties skip loading fast-check.)
 */
import { seededRandom } from "../../src/generate/random.js";
import { type LpModel, ModelBuilder, type ObjectiveSense } from "../../src/lp/index.js";

export const SEED = 20261122;

export interface Knapsack {
  readonly weights: readonly number[];
  readonly values: readonly number[];
  readonly capacity: number;
}

/**
 * A 0/1 knapsack of `n` items with integer weights in [minWeight, maxWeight] and capacity half the
 * total weight. `strong`: value = weight + minWeight (hard for branch and bound); `weak`: value =
 * weight +- 10%.
 */
export function randomKnapsack(
  seed: number,
  n: number,
  correlation: "weak" | "strong",
  minWeight = 10,
  maxWeight = 100,
): Knapsack {
  const random = seededRandom(seed);
  const weights: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    const w = random.integer(minWeight, maxWeight);
    weights.push(w);
    const spread = Math.floor(w / 10);
    values.push(correlation === "strong" ? w + minWeight : Math.max(1, w + random.integer(-spread, spread)));
  }
  return { weights, values, capacity: Math.floor(weights.reduce((a, b) => a + b, 0) / 2) };
}

/** The knapsack as a MILP: maximize total value, or minimize its negation (`minimize`). */
export function knapsackModel(k: Knapsack, sense: ObjectiveSense = "maximize"): LpModel {
  const b = new ModelBuilder("knapsack", sense);
  const sign = sense === "maximize" ? 1 : -1;
  const items = k.values.map((v, i) => b.addVariable(`take${i}`, { kind: "binary", objective: sign * v }));
  b.addConstraint(
    "capacity",
    items.map((x, i) => [x, k.weights[i] as number] as const),
    { upper: k.capacity },
  );
  return b.build();
}

/** The knapsack's optimum by dynamic programming over capacities, O(n * capacity). */
export function knapsackOptimum(k: Knapsack): number {
  const best = new Float64Array(k.capacity + 1);
  k.weights.forEach((w, i) => {
    for (let c = k.capacity; c >= w; c--)
      best[c] = Math.max(best[c] as number, (best[c - w] as number) + (k.values[i] as number));
  });
  return best[k.capacity] as number;
}

/**
 * The optimum of a pure-integer model by enumerating every integer point, or undefined when the model
 * has a continuous variable or more than `limit` points.
 */
export function bruteForceOptimum(model: LpModel, limit = 20_000): number | undefined {
  if (model.variables.some((v) => v.kind === "continuous")) return undefined;
  let points = 1;
  for (const v of model.variables) points *= v.upper - v.lower + 1;
  if (points > limit) return undefined;
  const sign = model.sense === "minimize" ? 1 : -1;
  let best = Number.POSITIVE_INFINITY;
  const x = model.variables.map((v) => v.lower);
  for (let p = 0; p < points; p++) {
    let rest = p;
    model.variables.forEach((v, j) => {
      const size = v.upper - v.lower + 1;
      x[j] = v.lower + (rest % size);
      rest = Math.floor(rest / size);
    });
    const feasible = model.constraints.every((row) => {
      const activity = row.terms.reduce((sum, [j, c]) => sum + c * (x[j] as number), 0);
      return row.lower <= activity && activity <= row.upper;
    });
    if (!feasible) continue;
    const objective = model.variables.reduce(
      (sum, v, j) => sum + v.objective * (x[j] as number),
      model.offset,
    );
    best = Math.min(best, sign * objective);
  }
  return sign * best;
}

/** `|a - b| <= tolerance * max(1, |a|)`. */
export function close(a: number | undefined, b: number | undefined, tolerance = 1e-6): boolean {
  if (a === undefined || b === undefined) return false;
  return Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a));
}

/**
 * A market-split instance (Cornuejols & Dawande 1999), hard for LP-based branch and bound by design:
 * `m` rows `sum_j a_ij x_j + under_i - over_i = floor(sum_j a_ij / 2)` over `n` binaries with
 * `a_ij` in [0, 99], minimizing the total slack. Every binary point is feasible (the slacks absorb the
 * difference) and the LP relaxation's optimum is 0. HiGHS did not finish (5, 40) within 15 s here.
 */
export function marketSplit(seed: number, m: number, n: number): LpModel {
  const random = seededRandom(seed);
  const b = new ModelBuilder("market-split", "minimize");
  const x = Array.from({ length: n }, (_, j) => b.addVariable(`x${j}`, { kind: "binary" }));
  for (let i = 0; i < m; i++) {
    const a = x.map(() => random.integer(0, 99));
    const target = Math.floor(a.reduce((sum, v) => sum + v, 0) / 2);
    const over = b.addVariable(`over${i}`, { objective: 1 });
    const under = b.addVariable(`under${i}`, { objective: 1 });
    b.addConstraint(
      `split${i}`,
      [...x.map((v, j) => [v, a[j] as number] as const), [over, -1] as const, [under, 1] as const],
      { equal: target },
    );
  }
  return b.build();
}
