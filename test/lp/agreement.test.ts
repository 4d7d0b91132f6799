/**
 * Agreement between backends (DESIGN.md: "the same model runs on each, and a test checks they agree on
 * small models"): on random small MILPs, feasible and bounded by construction, HiGHS and GLPK find the
 * same optimum (equal to brute force when the integer points are few), every returned point passes
 * checkSolution, and HiGHS' bound is on the right side; the LP relaxations agree on all three backends
 * and bound the MILP optimum.
 */
import { test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { backends, checkSolution, type LpModel, type LpResult } from "../../src/lp/index.js";
import { smallMilp } from "./arbitraries.js";
import { bruteForceOptimum, close, SEED } from "./models.js";

function expectSound(model: LpModel, result: LpResult, relax: boolean): void {
  expect(result.status, result.backend).toBe("optimal");
  const check = checkSolution(model, result.values ?? new Float64Array(), 1e-6, relax);
  expect(check.violations, result.backend).toEqual([]);
  expect(close(check.objective, result.objective), result.backend).toBe(true);
}

/** `a` is at least as good as `b` in the model's sense, within 1e-6 relative. */
function noWorse(model: LpModel, a: number, b: number): boolean {
  const slack = 1e-6 * Math.max(1, Math.abs(b));
  return model.sense === "minimize" ? a <= b + slack : a >= b - slack;
}

describe("backends agree", () => {
  test.prop([smallMilp], { seed: SEED, numRuns: 100 })(
    "HiGHS and GLPK find the same MILP optimum, equal to brute force when enumerable",
    async (model) => {
      const highs = await backends.highs.solve(model);
      const glpk = await backends.glpk.solve(model);
      expectSound(model, highs, false);
      expectSound(model, glpk, false);
      expect(close(highs.objective, glpk.objective)).toBe(true);
      expect(highs.bound).toBeDefined();
      expect(noWorse(model, highs.bound ?? Number.NaN, highs.objective ?? Number.NaN)).toBe(true);
      const brute = bruteForceOptimum(model);
      if (brute !== undefined) expect(close(highs.objective, brute)).toBe(true);
    },
  );

  test.prop([smallMilp], { seed: SEED + 1, numRuns: 100 })(
    "the LP relaxation has the same optimum on all three backends and bounds the MILP optimum",
    async (model) => {
      const results = await Promise.all(
        Object.values(backends).map((backend) => backend.solve(model, { relax: true })),
      );
      for (const result of results) expectSound(model, result, true);
      const [first, ...rest] = results.map((r) => r.objective);
      for (const other of rest) expect(close(first, other)).toBe(true);
      const milp = await backends.highs.solve(model);
      expect(noWorse(model, first ?? Number.NaN, milp.objective ?? Number.NaN)).toBe(true);
    },
  );
});
