/**
 * The offload solvers against the exact oracle (offload-exhaustive) and against store-all: every schedule
 * valid and within the budget (solve() re-evaluates each), every bound at most the exhaustive optimum,
 * which is at most every heuristic's makespan; without a link they all answer as store-all does; with an
 * all but unlimited link the optimum at the class's least peak is the sum of times, and the solvers reach it.
 * Proofs: proofs/offload-timing.md, proofs/offload-exhaustive.md, proofs/offload-relaxations.md.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { solve } from "../../solvers/index.js";
import { searchOffloadClass } from "../../solvers/offload/exhaustive.js";
import { exactOffloadOptimum } from "../../solvers/offload/exhaustive-solver.js";
import { classLeastPeak } from "../../solvers/offload/least-peak.js";
import { offloadOrder } from "../../solvers/offload/order.js";
import { makespanLowerBound } from "../../src/evaluate/bounds.js";
import { storeAllEvaluation } from "../../src/schedule/builders.js";
import { NO_DEADLINE } from "../../src/time-limit.js";
import { PROPERTY_SEED } from "../arbitraries.js";
import { familyInstance, linkedInstance, withLink } from "./instances.js";

const HEURISTICS = ["offload-all", "offload-largest", "offload-lp-round", "offload-fluid"];
const ALL = [...HEURISTICS, "offload-exhaustive"];
/** Relative tolerance for makespans summed in another order. */
const TOLERANCE = 1e-9;

describe("the offload solvers", () => {
  test.prop([linkedInstance(8), fc.integer({ min: -10, max: 100 })], { seed: PROPERTY_SEED, numRuns: 40 })(
    "bound <= exhaustive optimum <= every heuristic, on chains and DAGs of at most 8 nodes",
    async (instance, percent) => {
      // budgets from just below the class's least peak to store-all's peak
      const least = classLeastPeak(offloadOrder(instance));
      const peak = storeAllEvaluation(instance).peakBytes;
      const budget = Math.max(0, least + Math.floor(((peak - least) * percent) / 100));
      const exact = await solve(instance, { solver: "offload-exhaustive", budget });
      expect(exact.status).toBe(budget >= least ? "optimal" : "infeasible");
      for (const name of ALL) {
        const result = await solve(instance, { solver: name, budget });
        for (const bound of result.bounds)
          if (bound.objective === "time" && exact.makespanMs !== null)
            expect(bound.value, `${name} bound`).toBeLessThanOrEqual(exact.makespanMs * (1 + TOLERANCE));
        if (result.makespanMs === null) {
          expect(result.status, name).toBe("infeasible");
          continue;
        }
        expect(exact.makespanMs, name).not.toBeNull();
        expect(exact.makespanMs as number, name).toBeLessThanOrEqual(result.makespanMs * (1 + TOLERANCE));
      }
      for (const name of ["offload-largest", "offload-lp-round", "offload-fluid"]) {
        const result = await solve(instance, { solver: name, budget });
        expect(result.status === "infeasible", name).toBe(budget < least);
      }
    },
  );

  test.prop([familyInstance(8), fc.integer({ min: 20, max: 130 }), fc.boolean()], {
    seed: PROPERTY_SEED,
    numRuns: 30,
  })("answer as store-all does without a link", async (plain, percent, hardwareless) => {
    const instance = hardwareless ? withLink(plain, null) : plain;
    const budget = `${percent}%`;
    const reference = await solve(instance, { solver: "store-all", budget });
    for (const name of ALL) {
      const result = await solve(instance, { solver: name, budget });
      expect(
        [result.status, result.makespanMs, result.peakBytes, result.minFeasibleBudgetBytes],
        name,
      ).toEqual([
        reference.status,
        reference.makespanMs,
        reference.peakBytes,
        reference.minFeasibleBudgetBytes,
      ]);
    }
  });

  test.prop([familyInstance(8), fc.integer({ min: 0, max: 100 })], { seed: PROPERTY_SEED, numRuns: 30 })(
    "reach the sum of times at every budget from the class's least peak on, over an all but unlimited link",
    async (plain, above) => {
      const instance = withLink(plain, { bandwidth: 1e12, latency: 0 });
      const least = classLeastPeak(offloadOrder(instance));
      const peak = storeAllEvaluation(instance).peakBytes;
      const budget = least + Math.floor(((peak - least) * above) / 100);
      const sum = makespanLowerBound(instance);
      for (const name of ["offload-exhaustive", "offload-largest", "offload-lp-round", "offload-fluid"]) {
        const result = await solve(instance, { solver: name, budget });
        expect(result.makespanMs as number, name).toBeLessThanOrEqual(sum * (1 + 1e-6) + 1e-6);
      }
    },
  );

  test.prop([linkedInstance(7), fc.integer({ min: 20, max: 100 })], { seed: PROPERTY_SEED, numRuns: 25 })(
    "offload-exhaustive's search alone, unseeded, finds the seeded optimum",
    (instance, percent) => {
      const order = offloadOrder(instance);
      const budget = Math.max(
        classLeastPeak(order),
        Math.floor((storeAllEvaluation(instance).peakBytes * percent) / 100),
      );
      const seeded = exactOffloadOptimum(instance, budget);
      const alone = searchOffloadClass(order, budget, Number.POSITIVE_INFINITY, 1e7, NO_DEADLINE);
      expect(alone.complete).toBe(true);
      expect(alone.makespanMs).toBeCloseTo(seeded?.evaluation.makespanMs as number, 9);
    },
  );
});
