/**
 * The block relaxation (solvers/milp/blocks-model.ts; proofs/milp-blocks.md): its bound, as MILP and as
 * LP and for every group size, is at most the stage grid's exhaustive optimum (test/milp/grid-exhaustive.ts)
 * and proves infeasibility only where no stage-grid schedule fits; on larger DAGs, at most milp's proven
 * optimum.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BLOCKS_MAX_CELLS, blocksBound } from "../../solvers/milp/blocks-bound.js";
import { stageGrid } from "../../solvers/milp/grid.js";
import { solve } from "../../solvers/solve.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import type { Instance } from "../../src/instance/types.js";
import { recomputeAllSchedule, storeAllEvaluation } from "../../src/schedule/builders.js";
import { Deadline } from "../../src/time-limit.js";
import { buildDag, dagArb } from "../graph/dags.js";
import { gridOptimum } from "./grid-exhaustive.js";

const SEED = 20261202;
const TOLERANCE = 1e-6;

/** A DAG of up to `size` nodes (tape-free unless `tapes`: the exhaustive search is slow with them) and a budget between recompute-all's peak and store-all's. */
const dagWithBudget = (size: number, tapes: boolean) =>
  fc.tuple(dagArb(size), fc.integer({ min: 0, max: 100 })).map(([spec, percent]) => {
    const instance = buildDag(
      tapes ? spec : { ...spec, nodes: spec.nodes.map((node) => ({ ...node, tapeBytes: 0 })) },
    );
    const high = storeAllEvaluation(instance).peakBytes;
    const least = evaluate(instance, recomputeAllSchedule(instance));
    const low = least.valid ? Math.min(least.peakBytes, high) : high;
    return { instance, budget: Math.floor(low + ((high - low) * percent) / 100) };
  });

/** The relaxation's bounds at every setting the test tries. */
async function bounds(instance: Instance, budget: number) {
  const grid = stageGrid(instance);
  const results = [];
  for (const groupNodes of [1, 2, 1000])
    for (const integral of [true, false])
      results.push(
        await blocksBound(
          instance,
          grid,
          budget,
          { groupNodes, segments: 2, integral, lp: "highs", maxCells: BLOCKS_MAX_CELLS },
          new Deadline(Number.POSITIVE_INFINITY),
        ),
      );
  return results;
}

describe("the block relaxation", () => {
  it("bounds the stage grid's exhaustive optimum from below at every group size", {
    timeout: 240_000,
  }, async () => {
    let bounded = 0;
    await fc.assert(
      fc.asyncProperty(dagWithBudget(5, false), async ({ instance, budget }) => {
        const exact = gridOptimum(instance, budget);
        for (const result of await bounds(instance, budget)) {
          if (result.status === "infeasible") expect(exact).toBeUndefined();
          if (exact === undefined || result.status !== "bound") continue;
          expect(result.valueMs as number).toBeLessThanOrEqual(exact.makespanMs * (1 + TOLERANCE));
          bounded++;
        }
      }),
      { seed: SEED, numRuns: 25 },
    );
    expect(bounded).toBeGreaterThan(0);
  });

  it("bounds milp's proven optimum from below on DAGs of up to 10 nodes", { timeout: 240_000 }, async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(dagWithBudget(8, true), async ({ instance, budget }) => {
        const exact = await solve(instance, { solver: "milp", budget, timeLimitSec: 10 });
        if (exact.status !== "optimal" && exact.status !== "infeasible") return;
        for (const result of await bounds(instance, budget)) {
          if (result.status === "infeasible") expect(exact.status).toBe("infeasible");
          if (exact.makespanMs === null || result.status !== "bound") continue;
          expect(result.valueMs as number).toBeLessThanOrEqual(exact.makespanMs * (1 + TOLERANCE));
          compared++;
        }
      }),
      { seed: SEED + 1, numRuns: 12 },
    );
    expect(compared).toBeGreaterThan(0);
  });
});
