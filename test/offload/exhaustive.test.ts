/**
 * offload-exhaustive's search against the timing routine and the class's least peak
 * (proofs/offload-exhaustive.md, proofs/offload-timing.md "Least peaks" and "What is not claimed").
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { solve } from "../../solvers/index.js";
import { exactOffloadOptimum } from "../../solvers/offload/exhaustive-solver.js";
import { classLeastPeak, leastPeakSchedule } from "../../solvers/offload/least-peak.js";
import { offloadOrder } from "../../solvers/offload/order.js";
import { placeOffloads } from "../../solvers/offload/placement.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { graphOf } from "../../src/instance/graph.js";
import { storeAllEvaluation } from "../../src/schedule/builders.js";
import { PROPERTY_SEED } from "../arbitraries.js";
import { linkedInstance } from "./instances.js";

/** Drawn instances of at most 7 nodes with a budget between the class's least peak and store-all's peak. */
const cases = fc
  .sample(fc.tuple(linkedInstance(7), fc.integer({ min: 0, max: 90 })), { numRuns: 60, seed: PROPERTY_SEED })
  .map(([instance, percent]) => {
    const least = classLeastPeak(offloadOrder(instance));
    const peak = storeAllEvaluation(instance).peakBytes;
    return { instance, budget: least + Math.floor(((peak - least) * percent) / 100) };
  });

describe("offload-exhaustive", () => {
  test("is never slower than the timing routine's best set, and strictly faster on some instances", () => {
    let faster = 0;
    for (const { instance, budget } of cases) {
      const order = offloadOrder(instance);
      const g = graphOf(instance);
      const offloadable = instance.nodes.flatMap((_, u) => (g.offloadable[u] === 1 ? [u] : []));
      let routine = Number.POSITIVE_INFINITY;
      for (let mask = 0; mask < 2 ** offloadable.length; mask++) {
        const placement = placeOffloads(
          order,
          offloadable.filter((_, k) => ((mask >>> k) & 1) === 1),
          budget,
        );
        if (placement.fits) routine = Math.min(routine, placement.evaluation.makespanMs);
      }
      const exact = exactOffloadOptimum(instance, budget);
      expect(exact?.complete).toBe(true);
      const makespan = exact?.evaluation.makespanMs as number;
      expect(makespan).toBeLessThanOrEqual(routine * (1 + 1e-9));
      if (makespan < routine * (1 - 1e-9)) faster++;
    }
    // the class is larger than C(S): prefetches in the forward pass, several absences, other orders
    expect(faster).toBeGreaterThan(0);
  });

  test("finds a schedule exactly when the class's least peak fits, and the least-peak schedule reaches it", async () => {
    for (const { instance } of cases.slice(0, 30)) {
      const order = offloadOrder(instance);
      const least = classLeastPeak(order);
      const evaluation = evaluate(instance, leastPeakSchedule(order));
      expect(evaluation.valid && evaluation.peakBytes).toBe(least);
      const at = await solve(instance, { solver: "offload-exhaustive", budget: least });
      expect(at.status).toBe("optimal");
      const below = await solve(instance, { solver: "offload-exhaustive", budget: least - 1 });
      expect([below.status, below.minFeasibleBudgetBytes]).toEqual(["infeasible", least]);
    }
  });
});
