/**
 * Time limits: on a market-split MILP that HiGHS cannot finish (it did not within 15 s), every backend
 * stops near the limit with status `timeout`; HiGHS keeps its incumbent and a proven bound below it,
 * GLPK an incumbent without bound, and any point returned passes checkSolution. A limit too long for
 * a timer or for GLPK's millisecond clock counts as no limit.
 */
import { describe, expect, test } from "vitest";
import { backends, checkSolution, type LpModel, type LpResult } from "../../src/lp/index.js";
import { marketSplit, SEED } from "./models.js";

const LIMIT_SEC = 0.3;
/** Generous: the limit, plus loading a runtime, plus a slow shared machine. */
const STOPPED_WITHIN_MS = 5000;

function expectValidIncumbent(model: LpModel, result: LpResult): void {
  if (result.values === undefined) return;
  const check = checkSolution(model, result.values);
  expect(check.violations).toEqual([]);
  expect(check.objective).toBeCloseTo(result.objective ?? Number.NaN, 6);
}

describe("a time limit", () => {
  const model = marketSplit(SEED, 5, 40);

  test("stops HiGHS early with its incumbent, gap and a bound no greater than the objective", async () => {
    const result = await backends.highs.solve(model, { timeLimitSec: LIMIT_SEC });
    expect(result.status).toBe("timeout");
    expect(result.wallMs).toBeLessThan(STOPPED_WITHIN_MS);
    expect(result.values).toBeDefined();
    expectValidIncumbent(model, result);
    expect(result.bound).toBeDefined();
    expect(result.bound ?? Number.NaN).toBeLessThanOrEqual((result.objective ?? Number.NaN) + 1e-6);
    expect(result.gap).toBeGreaterThan(0);
    expect(result.nodes).toBeGreaterThanOrEqual(0);
  });

  test("stops GLPK early, reporting no bound", async () => {
    const result = await backends.glpk.solve(model, { timeLimitSec: LIMIT_SEC });
    expect(result.status).toBe("timeout");
    expect(result.wallMs).toBeLessThan(STOPPED_WITHIN_MS);
    expect(result.bound).toBeUndefined();
    expectValidIncumbent(model, result);
  });

  test("stops javascript-lp-solver early, keeping only a point that passes the check", async () => {
    const smaller = marketSplit(SEED, 4, 30);
    const result = await backends.jslp.solve(smaller, { timeLimitSec: LIMIT_SEC });
    expect(result.status).toBe("timeout");
    expect(result.wallMs).toBeLessThan(STOPPED_WITHIN_MS);
    expect(result.bound).toBeUndefined();
    expectValidIncumbent(smaller, result);
  });

  test("longer than a timer or GLPK's clock can hold counts as none", async () => {
    const small = marketSplit(SEED, 1, 6);
    for (const backend of Object.values(backends)) {
      const result = await backend.solve(small, { timeLimitSec: 1e8 });
      expect(result.status, backend.name).toBe(backend.name === "jslp" ? "feasible" : "optimal");
    }
  });

  test("does not stop an LP relaxation that finishes well within it", async () => {
    const result = await backends.highs.solve(model, { timeLimitSec: 10, relax: true });
    expect(result.status).toBe("optimal");
    expect(result.objective).toBeCloseTo(0, 6);
  });
});
