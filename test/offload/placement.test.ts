/**
 * The timing routine's claim (proofs/offload-timing.md): for every offloaded set S it returns a schedule
 * exactly when some member of C(S) fits the budget, that schedule is valid and within the budget by the
 * evaluator, and no member of C(S) within the budget is faster.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { setLeastPeak } from "../../solvers/offload/least-peak.js";
import { offloadOrder } from "../../solvers/offload/order.js";
import { placeOffloads } from "../../solvers/offload/placement.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { graphOf } from "../../src/instance/graph.js";
import { storeAllEvaluation } from "../../src/schedule/builders.js";
import { PROPERTY_SEED } from "../arbitraries.js";
import { linkedInstance } from "./instances.js";
import { bestSetPlacement } from "./set-placements.js";

/** Relative tolerance for makespans summed in another order. */
const TOLERANCE = 1e-9;

describe("placeOffloads (the timing routine)", () => {
  test.prop([linkedInstance(6), fc.nat(), fc.integer({ min: 30, max: 110 })], {
    seed: PROPERTY_SEED,
    numRuns: 60,
  })(
    "finds a fastest member of C(S) within the budget, and one exactly when one exists",
    (instance, mask, percent) => {
      const g = graphOf(instance);
      const offloadable = instance.nodes.flatMap((_, u) => (g.offloadable[u] === 1 ? [u] : []));
      const set = offloadable.filter((_, k) => ((mask >>> k) & 1) === 1).slice(0, 4);
      const budget = Math.floor((storeAllEvaluation(instance).peakBytes * percent) / 100);
      const placement = placeOffloads(offloadOrder(instance), set, budget);
      const reference = bestSetPlacement(instance, set, budget);
      expect(placement.fits, `members ${reference.members}`).toBe(reference.makespan !== undefined);
      if (!placement.fits) {
        expect(placement.leastPeakBytes).toBeGreaterThan(budget);
        return;
      }
      const evaluation = evaluate(instance, placement.schedule);
      expect(evaluation.valid && evaluation.peakBytes <= budget).toBe(true);
      expect(placement.evaluation.makespanMs).toBeCloseTo(reference.makespan as number, 9);
      expect(Math.abs(placement.evaluation.makespanMs - (reference.makespan as number))).toBeLessThanOrEqual(
        TOLERANCE * placement.evaluation.makespanMs,
      );
    },
  );

  test.prop([linkedInstance(8), fc.nat()], { seed: PROPERTY_SEED, numRuns: 40 })(
    "reaches the least peak of C(S) exactly when the budget is that peak",
    (instance, mask) => {
      const g = graphOf(instance);
      const set = instance.nodes.flatMap((_, u) =>
        g.offloadable[u] === 1 && ((mask >>> u) & 1) === 1 ? [u] : [],
      );
      const order = offloadOrder(instance);
      const least = setLeastPeak(order, set);
      const placement = placeOffloads(order, set, least);
      expect(placement.fits).toBe(true);
      if (placement.fits) expect(placement.evaluation.peakBytes).toBe(least);
      expect(placeOffloads(order, set, least - 1).fits).toBe(false);
    },
  );
});
