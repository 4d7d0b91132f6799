/**
 * The decomposition at cut points (solvers/graph/span-measure.ts; proofs/graph-mincut.md, "Decomposition
 * at cut points"): for any kept set, each span's rise and carry are the same whether measured in the
 * whole schedule or in the schedule keeping only that span's ends and interior, and the peak is
 * max over spans of base + rise with base the running sum of carries. Plus the search seed built on it.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { Search } from "../../solvers/graph/search.js";
import { decompose } from "../../solvers/graph/span-measure.js";
import { spanSeed } from "../../solvers/graph/span-memory.js";
import { graphOf } from "../../src/instance/graph.js";
import { labelledInstance, PROPERTY_SEED } from "../arbitraries.js";
import { exhaustiveLeastPeak } from "./exhaustive.js";

/** A random kept set: each free node kept with probability about 1/3. */
const withKeep = labelledInstance.chain((instance) =>
  fc
    .array(fc.integer({ min: 0, max: 2 }), {
      minLength: instance.nodes.length,
      maxLength: instance.nodes.length,
    })
    .map((draws) => ({
      instance,
      keep: draws.flatMap((draw, v) => (draw === 0 && instance.nodes[v]?.inputs.length ? [v] : [])),
    })),
);

describe("decomposition at cut points", () => {
  test.prop([withKeep], { seed: PROPERTY_SEED, numRuns: 200 })(
    "spans measure alike together and alone; base + rise gives the evaluated peak, the times its makespan",
    ({ instance, keep }) => {
      const g = graphOf(instance);
      const search = new Search(instance);
      const { together, alone } = decompose(search, keep);
      together.forEach((span, k) => {
        expect(alone[k]?.rise).toBe(span.rise);
        expect(alone[k]?.timeMs).toBeCloseTo(span.timeMs, 9);
        if (span.end < g.size) expect(alone[k]?.carry).toBe(span.carry);
      });
      let base = instance.fixedBytes;
      let peak = Number.NEGATIVE_INFINITY;
      let time = 0;
      for (const span of together) {
        peak = Math.max(peak, base + span.rise);
        base += span.carry;
        time += span.timeMs;
      }
      const judged = search.keep(keep, "test");
      expect(peak).toBe(judged.peakBytes);
      expect(time).toBeCloseTo(judged.makespanMs, 9);
    },
  );

  test.prop([labelledInstance.filter((instance) => instance.nodes.length <= 13)], {
    seed: PROPERTY_SEED,
    numRuns: 80,
  })("the search seed is a valid kept set whose peak is at least the exhaustive optimum", (instance) => {
    const search = new Search(instance);
    const seeded = spanSeed(search, {
      upperBound: search.keep([], "test").peakBytes,
      patience: 2,
      maxChoices: 3,
      maxGap: Number.POSITIVE_INFINITY,
      fullInteriorGap: Number.POSITIVE_INFINITY,
      phase: "test",
    });
    expect(seeded.best.peakBytes).toBeGreaterThanOrEqual(exhaustiveLeastPeak(instance).peak);
  });
});
