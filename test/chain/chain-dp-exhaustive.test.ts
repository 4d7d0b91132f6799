/**
 * chain-dp is optimal over the persistent class: with one byte per slot it equals an exhaustive search
 * over every schedule of the class (enumerate.ts), judged by the evaluator, on makespan, then
 * recomputations, then peak; and its least budget equals the class's least peak.
 * @see ../../proofs/chain-dp.md, claims 1, 2 and 4
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { solve } from "../../solvers/solve.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";
import { parseSchedule } from "../../src/schedule/text.js";
import { buildChain, chainArb } from "./chains.js";
import { exhaustiveBest, peakRange } from "./enumerate.js";

/** More slots than bytes: the unit is one byte and the discretization is exact. */
const EXACT_SLOTS = 1_000_000;

describe("chain-dp against exhaustive search of the persistent class", () => {
  test.prop([chainArb(7), fc.integer({ min: -20, max: 120 })], { numRuns: 300, seed: 20241 })(
    "finds the least makespan, then fewest recomputations, then lowest peak, or the least budget",
    async (spec, percent) => {
      const instance = buildChain(spec);
      const { least, most } = peakRange(instance);
      const budget = least + Math.floor(((most - least) * percent) / 100);
      // store-all (outside the class when `needs` lets it free early) is taken when it fits
      const storeAll = evaluate(instance, storeAllSchedule(instance));
      if (!storeAll.valid) throw new Error("store-all must be valid");
      const best = [exhaustiveBest(instance, budget), storeAll.peakBytes <= budget ? storeAll : undefined]
        .filter((candidate) => candidate !== undefined)
        .sort(
          (a, b) =>
            a.makespanMs - b.makespanMs || a.recomputations - b.recomputations || a.peakBytes - b.peakBytes,
        )[0];
      const result = await solve(instance, { solver: "chain-dp", budget, slots: EXACT_SLOTS });
      if (best === undefined) {
        expect(result.status).toBe("infeasible");
        expect(result.minFeasibleBudgetBytes).toBe(Math.min(least, storeAll.peakBytes));
        return;
      }
      expect(result.status).toBe("optimal");
      const evaluation = evaluate(instance, parseSchedule(result.schedule));
      if (!evaluation.valid) throw new Error("invalid");
      expect(evaluation.makespanMs).toBe(best.makespanMs);
      expect(evaluation.recomputations).toBe(best.recomputations);
      expect(evaluation.peakBytes).toBe(best.peakBytes);
    },
  );

  test.prop([chainArb(7)], { numRuns: 25, seed: 7 })(
    "memory objective gives the class's least peak, or store-all's when it is lower (it frees early)",
    async (spec) => {
      const instance = buildChain(spec);
      const result = await solve(instance, { solver: "chain-dp", objective: "memory" });
      expect(result.status).toBe("optimal");
      const storeAll = evaluate(instance, storeAllSchedule(instance));
      if (!storeAll.valid) throw new Error("store-all must be valid");
      expect(result.peakBytes).toBe(Math.min(peakRange(instance).least, storeAll.peakBytes));
    },
  );
});
