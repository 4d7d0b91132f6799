/**
 * Every backend on hand-written models with known answers: a two-variable LP, a knapsack whose optimum
 * comes from dynamic programming, an integer program with unbounded integer variables, a model with a
 * free variable, negative bounds, ranged and equality rows, infeasible and unbounded LPs and MILPs, and
 * models without variables. Every returned point is re-checked with checkSolution.
 */
import { describe, expect, test } from "vitest";
import {
  backends,
  checkSolution,
  defaultBackend,
  highsBackend,
  type LpBackend,
  type LpModel,
  type LpResult,
  ModelBuilder,
} from "../../src/lp/index.js";
import { close, knapsackModel, knapsackOptimum, randomKnapsack, SEED } from "./models.js";

const all = Object.values(backends);

/** What a backend claims for a MILP it solved: only jslp cannot prove optimality. */
const solvedMilp = (backend: LpBackend): LpResult["status"] =>
  backend.name === "jslp" ? "feasible" : "optimal";

function expectValid(model: LpModel, result: LpResult, relax = false): void {
  expect(result.values).toBeDefined();
  const check = checkSolution(model, result.values ?? new Float64Array(), 1e-6, relax);
  expect(check.violations).toEqual([]);
  expect(close(check.objective, result.objective)).toBe(true);
}

/** max 3x + 2y + 1 s.t. x + y <= 4, x + 3y <= 6, 0 <= x <= 3, y >= 0: optimum 12 at (3, 1). */
function twoVariableLp(): LpModel {
  const b = new ModelBuilder("lp2", "maximize");
  const x = b.addVariable("x", { upper: 3, objective: 3 });
  const y = b.addVariable("y", { objective: 2 });
  b.addConstraint(
    "c1",
    [
      [x, 1],
      [y, 1],
    ],
    { upper: 4 },
  );
  b.addConstraint(
    "c2",
    [
      [x, 1],
      [y, 3],
    ],
    { upper: 6 },
  );
  b.addOffset(1);
  return b.build();
}

/**
 * min x + 2y + 3z + 10 with x free, y integer in [-2, 3], z binary with lower bound 1, rows
 * x + y >= -4, x - y <= 1, -1 <= x + z <= 2.5, y + z = 0: z = 1, y = -1, x in [-2, 0], optimum 9.
 */
function mixedModel(): LpModel {
  const b = new ModelBuilder("mixed", "minimize");
  const x = b.addVariable("x", { lower: Number.NEGATIVE_INFINITY, objective: 1 });
  const y = b.addVariable("y", { kind: "integer", lower: -2, upper: 3, objective: 2 });
  const z = b.addVariable("z", { kind: "binary", lower: 1, objective: 3 });
  const pair = (u: number, cu: number, v: number, cv: number) =>
    [
      [u, cu],
      [v, cv],
    ] as const;
  b.addConstraint("ge", pair(x, 1, y, 1), { lower: -4 });
  b.addConstraint("le", pair(x, 1, y, -1), { upper: 1 });
  b.addConstraint("range", pair(x, 1, z, 1), { lower: -1, upper: 2.5 });
  b.addConstraint("eq", pair(y, 1, z, 1), { equal: 0 });
  b.addOffset(10);
  return b.build();
}

/** max 1200t + 1600d s.t. 30t + 20d <= 300, 5t + 10d <= 110, t, d >= 0 integer (no upper bounds). */
function furnitureModel(): LpModel {
  const b = new ModelBuilder("furniture", "maximize");
  const t = b.addVariable("tables", { kind: "integer", objective: 1200 });
  const d = b.addVariable("desks", { kind: "integer", objective: 1600 });
  b.addConstraint(
    "wood",
    [
      [t, 30],
      [d, 20],
    ],
    { upper: 300 },
  );
  b.addConstraint(
    "labour",
    [
      [t, 5],
      [d, 10],
    ],
    { upper: 110 },
  );
  return b.build();
}

function furnitureBruteForce(): number {
  let best = 0;
  for (let t = 0; t <= 10; t++)
    for (let d = 0; d <= 15; d++)
      if (30 * t + 20 * d <= 300 && 5 * t + 10 * d <= 110) best = Math.max(best, 1200 * t + 1600 * d);
  return best;
}

/** max x + y s.t. x - y <= 1, x, y >= 0, integer when `kind` says so: unbounded. */
function unboundedModel(kind: "continuous" | "integer"): LpModel {
  const b = new ModelBuilder("unbounded", "maximize");
  const x = b.addVariable("x", { kind, objective: 1 });
  const y = b.addVariable("y", { kind, objective: 1 });
  b.addConstraint(
    "c",
    [
      [x, 1],
      [y, -1],
    ],
    { upper: 1 },
  );
  return b.build();
}

/** x in [0, 1] with x >= 2 (as a MILP: 1.2 <= x <= 1.8 with x integer). */
function infeasibleModel(kind: "continuous" | "integer"): LpModel {
  const b = new ModelBuilder("infeasible", "minimize");
  const x = b.addVariable("x", { kind, upper: kind === "integer" ? 3 : 1, objective: 1 });
  b.addConstraint("c", [[x, 1]], kind === "integer" ? { lower: 1.2, upper: 1.8 } : { lower: 2 });
  return b.build();
}

test("the default backend is HiGHS", () => {
  expect(defaultBackend).toBe(highsBackend);
  expect(Object.keys(backends)).toEqual(["highs", "glpk", "jslp"]);
});

describe.each(all)("backend $name", (backend) => {
  test("solves the two-variable LP to 12 at (3, 1), the bound equal to the objective", async () => {
    const model = twoVariableLp();
    const result = await backend.solve(model);
    expect(result).toMatchObject({ status: "optimal", backend: backend.name });
    expect(result.objective).toBeCloseTo(12, 9);
    expect(Array.from(result.values ?? [])).toEqual([expect.closeTo(3, 9), expect.closeTo(1, 9)]);
    expect(result.bound).toBeCloseTo(12, 9);
    expect(result.wallMs).toBeGreaterThanOrEqual(0);
    expectValid(model, result);
  });

  test("finds the dynamic-programming optimum of a 15-item knapsack", async () => {
    const knapsack = randomKnapsack(SEED, 15, "weak");
    const model = knapsackModel(knapsack);
    const result = await backend.solve(model);
    expect(result.status).toBe(solvedMilp(backend));
    expect(result.objective).toBeCloseTo(knapsackOptimum(knapsack), 6);
    expectValid(model, result);
    if (result.status === "optimal")
      expect(result.bound).toBeGreaterThanOrEqual((result.objective ?? 0) - 1e-6);
  });

  test("solves an integer program whose integer variables have no upper bound", async () => {
    const model = furnitureModel();
    const result = await backend.solve(model);
    expect(result.status).toBe(solvedMilp(backend));
    expect(result.objective).toBeCloseTo(furnitureBruteForce(), 6);
    expectValid(model, result);
  });

  test("handles a free variable, negative bounds, a fixed binary, ranged and equality rows", async () => {
    const model = mixedModel();
    const result = await backend.solve(model);
    expect(result.status).toBe(solvedMilp(backend));
    expect(result.objective).toBeCloseTo(9, 6);
    expectValid(model, result);
    const relaxed = await backend.solve(model, { relax: true });
    expect(relaxed.status).toBe("optimal");
    expect(relaxed.objective).toBeCloseTo(9, 6);
    expectValid(model, relaxed, true);
  });

  test("answers infeasible for an infeasible LP and an infeasible MILP", async () => {
    expect((await backend.solve(infeasibleModel("continuous"))).status).toBe("infeasible");
    expect((await backend.solve(infeasibleModel("integer"))).status).toBe("infeasible");
  });

  test("answers unbounded for an unbounded LP and a feasible MILP with an unbounded relaxation", async () => {
    expect((await backend.solve(unboundedModel("continuous"))).status).toBe("unbounded");
    expect((await backend.solve(unboundedModel("integer"))).status).toBe("unbounded");
    expect((await backend.solve(unboundedModel("integer"), { relax: true })).status).toBe("unbounded");
  });

  test("answers a model without variables from its offset and empty rows", async () => {
    const b = new ModelBuilder("empty", "minimize");
    b.addOffset(4);
    b.addConstraint("zero", [], { lower: -1, upper: 1 });
    const result = await backend.solve(b.build());
    expect(result).toMatchObject({ status: "optimal", objective: 4, bound: 4, backend: backend.name });
    b.addConstraint("positive", [], { lower: 1 });
    expect((await backend.solve(b.build())).status).toBe("infeasible");
  });

  test("solves a model without rows from the variable bounds alone", async () => {
    const b = new ModelBuilder("bounds-only", "minimize");
    b.addVariable("x", { lower: 1, upper: 3, objective: 1 });
    b.addVariable("y", { kind: "integer", lower: -2.5, upper: 5.5, objective: -1 });
    b.addVariable("z", { lower: Number.NEGATIVE_INFINITY, upper: -1, objective: -2 });
    const model = b.build();
    const result = await backend.solve(model);
    expect(result.status).toBe(solvedMilp(backend));
    expect(result.objective).toBeCloseTo(1 - 5 + 2, 6);
    expectValid(model, result);
  });

  test("answers infeasible for a row without terms that excludes zero, among other rows", async () => {
    const b = new ModelBuilder("empty-row", "minimize");
    const x = b.addVariable("x", { objective: 1 });
    b.addConstraint("c", [[x, 1]], { lower: 1 });
    b.addConstraint("impossible", [], { upper: -1 });
    expect((await backend.solve(b.build())).status).toBe("infeasible");
  });
});

describe("MILP answers that differ between backends", () => {
  test("an integer-infeasible MILP with an unbounded relaxation is never called unbounded", async () => {
    // max x + y, 2x - 2y = 1 with x, y >= 0 integer: the LP relaxation is unbounded, no integer point
    // exists. HiGHS proves it in presolve; GLPK's and jslp's branch and bound cannot, and would search
    // forever without a time limit.
    const b = new ModelBuilder("parity", "maximize");
    const x = b.addVariable("x", { kind: "integer", objective: 1 });
    const y = b.addVariable("y", { kind: "integer", objective: 1 });
    b.addConstraint(
      "odd",
      [
        [x, 2],
        [y, -2],
      ],
      { equal: 1 },
    );
    const model = b.build();
    expect((await backends.highs.solve(model)).status).toBe("infeasible");
    for (const backend of [backends.glpk, backends.jslp]) {
      const result = await backend.solve(model, { timeLimitSec: 0.3 });
      expect(["infeasible", "timeout"], backend.name).toContain(result.status);
      expect(result.wallMs, backend.name).toBeLessThan(3000);
    }
  });

  test("a MIP gap lets HiGHS and GLPK stop at a point within that gap of the optimum", async () => {
    const knapsack = randomKnapsack(SEED + 2, 40, "strong");
    const model = knapsackModel(knapsack);
    const optimum = knapsackOptimum(knapsack);
    const gap = 0.05;
    for (const backend of [backends.highs, backends.glpk]) {
      const result = await backend.solve(model, { mipGap: gap });
      // GLPK reports a stop at the gap as feasible; HiGHS as optimal within the gap, with its bound
      expect(result.status, backend.name).toBe(backend.name === "highs" ? "optimal" : "feasible");
      expectValid(model, result);
      expect(result.objective ?? 0, backend.name).toBeGreaterThanOrEqual((1 - gap) * optimum - 1e-6);
      if (result.bound !== undefined) expect(result.bound).toBeGreaterThanOrEqual(optimum - 1e-6);
    }
  });

  test("HiGHS reports its node count, iterations and a zero gap on a proven MILP optimum", async () => {
    const result = await backends.highs.solve(knapsackModel(randomKnapsack(SEED + 1, 30, "weak")));
    expect(result.status).toBe("optimal");
    expect(result.nodes).toBeGreaterThanOrEqual(0);
    expect(result.iterations).toBeGreaterThanOrEqual(0);
    expect(result.gap).toBeLessThanOrEqual(1e-9);
    expect(result.bound).toBeGreaterThanOrEqual((result.objective ?? 0) - 1e-6);
  });
});
