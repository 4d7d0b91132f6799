/**
 * lp-round: the LP bound below the stage grid's exhaustive optimum, the optimum below the rounded
 * answer, the same answer for the same seed (proofs/milp.md, "Tests").
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stageGrid } from "../../solvers/milp/grid.js";
import { inStageGrid } from "../../solvers/milp/membership.js";
import { solve } from "../../solvers/solve.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { recomputeAllSchedule, storeAllEvaluation } from "../../src/schedule/builders.js";
import { parseSchedule } from "../../src/schedule/text.js";
import { buildDag, dagArb } from "../graph/dags.js";
import { gridOptimum } from "./grid-exhaustive.js";

const SEED = 20261203;
const TOLERANCE = 1e-6;

/** A tiny tape-free DAG and a budget between recompute-all's peak and store-all's. */
const tinyDag = fc.tuple(dagArb(5), fc.integer({ min: 0, max: 100 })).map(([spec, percent]) => {
  const instance = buildDag({ ...spec, nodes: spec.nodes.map((node) => ({ ...node, tapeBytes: 0 })) });
  const high = storeAllEvaluation(instance).peakBytes;
  const least = evaluate(instance, recomputeAllSchedule(instance));
  const low = least.valid ? Math.min(least.peakBytes, high) : high;
  return { instance, budget: Math.floor(low + ((high - low) * percent) / 100) };
});

describe("lp-round", () => {
  it("reports a bound at most the stage grid's optimum, and answers no faster than it", {
    timeout: 240_000,
  }, async () => {
    let rounded = 0;
    await fc.assert(
      fc.asyncProperty(tinyDag, async ({ instance, budget }) => {
        const exact = gridOptimum(instance, budget);
        const result = await solve(instance, { solver: "lp-round", budget });
        if (exact === undefined) {
          expect(result.status).toBe("infeasible");
          return;
        }
        for (const bound of result.bounds)
          expect(bound.value).toBeLessThanOrEqual(exact.makespanMs * (1 + TOLERANCE));
        if (result.makespanMs === null) return;
        rounded++;
        expect(result.makespanMs).toBeGreaterThanOrEqual(exact.makespanMs * (1 - TOLERANCE));
        expect(inStageGrid(stageGrid(instance), parseSchedule(result.schedule))).toBe(true);
      }),
      { seed: SEED, numRuns: 30 },
    );
    expect(rounded).toBeGreaterThan(0);
  });

  it("gives the same answer for the same seed", { timeout: 60_000 }, async () => {
    let compared = 0;
    for (const { instance, budget } of fc.sample(tinyDag, { seed: SEED + 1, numRuns: 10 })) {
      const a = await solve(instance, { solver: "lp-round", budget, extra: { seed: 7, roundAt: 0.8 } });
      if (a.schedule.length === 0) continue;
      const b = await solve(instance, { solver: "lp-round", budget, extra: { seed: 7, roundAt: 0.8 } });
      expect(b.schedule).toEqual(a.schedule);
      expect(b.bounds).toEqual(a.bounds);
      compared++;
    }
    expect(compared).toBeGreaterThan(0);
  });
});
