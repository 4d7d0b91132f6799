/**
 * offload-milp against the exact search over the whole offload class (offload-exhaustive: offload sets,
 * channel orders and every O/D/P position) on chains and DAGs of at most 8 nodes with a host link: the
 * MILP's bound is at most the exact optimum, the exact optimum at most the MILP's makespan, the two equal
 * whenever the MILP answers `optimal`, and the registered MILP (warm-started from the heuristics) is
 * never slower than offload-fluid. Proofs: proofs/offload-milp.md, proofs/offload-exhaustive.md.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { solve } from "../../solvers/index.js";
import { classLeastPeak } from "../../solvers/offload/least-peak.js";
import { offloadOrder } from "../../solvers/offload/order.js";
import { storeAllEvaluation } from "../../src/schedule/builders.js";
import { PROPERTY_SEED } from "../arbitraries.js";
import { linkedInstance } from "./instances.js";

/** Relative tolerance for makespans summed in another order. */
const TOLERANCE = 1e-6;

describe("offload-milp against offload-exhaustive", () => {
  test.prop([linkedInstance(8), fc.integer({ min: 0, max: 100 })], { seed: PROPERTY_SEED, numRuns: 30 })(
    "bound <= exact optimum <= its answer, equal when it says optimal, never slower than offload-fluid",
    async (instance, percent) => {
      const least = classLeastPeak(offloadOrder(instance));
      const peak = storeAllEvaluation(instance).peakBytes;
      const budget = least + Math.floor(((peak - least) * percent) / 100);
      const exact = await solve(instance, { solver: "offload-exhaustive", budget });
      const milp = await solve(instance, { solver: "offload-milp", budget, timeLimitSec: 20 });
      const fluid = await solve(instance, { solver: "offload-fluid", budget });
      expect(exact.status).toBe("optimal");
      const optimum = exact.makespanMs as number;
      expect(milp.makespanMs, milp.status).not.toBeNull();
      const answer = milp.makespanMs as number;
      expect(optimum).toBeLessThanOrEqual(answer * (1 + TOLERANCE));
      for (const bound of milp.bounds) expect(bound.value).toBeLessThanOrEqual(optimum * (1 + TOLERANCE));
      if (milp.status === "optimal") expect(answer).toBeCloseTo(optimum, 6);
      if (fluid.makespanMs !== null) expect(answer).toBeLessThanOrEqual(fluid.makespanMs * (1 + TOLERANCE));
    },
  );
});
