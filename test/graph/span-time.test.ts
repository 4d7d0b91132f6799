/**
 * The time objective's span dynamic program (solvers/graph/span-time.ts) on exact span tables: the
 * fastest checkpoint schedule within the budget over all kept sets, checked against exhaustive search;
 * and graph-mincut's time objective, which takes it when the table is exact, is never slower.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { fastestSpanKeep } from "../../solvers/graph/span-time.js";
import { planSpans, tabulateAll } from "../../solvers/graph/spans.js";
import { solve } from "../../solvers/index.js";
import { graphOf } from "../../src/instance/graph.js";
import { labelledInstance, PROPERTY_SEED } from "../arbitraries.js";
import { everyKeep } from "./exhaustive.js";

const small = labelledInstance.filter((instance) => instance.nodes.length <= 13);

describe("span dynamic program for the time objective", () => {
  test.prop([small, fc.double({ min: 0, max: 1, noNaN: true })], { seed: PROPERTY_SEED, numRuns: 120 })(
    "on exact tables, is the fastest kept set within the budget",
    async (instance, fraction) => {
      const keeps = everyKeep(instance);
      const least = Math.min(...keeps.map((k) => k.peak));
      const most = Math.max(...keeps.map((k) => k.peak));
      const budget = Math.floor(least + fraction * (most - least));
      const fastest = Math.min(...keeps.filter((k) => k.peak <= budget).map((k) => k.makespan));
      const g = graphOf(instance);
      const table = tabulateAll(instance, g, planSpans(g), Number.POSITIVE_INFINITY);
      if (table === undefined) throw new Error("no deadline was set");
      const found = fastestSpanKeep(instance, g, table, budget, true);
      expect(found?.evaluation.makespanMs).toBeCloseTo(fastest, 9);
      expect(found?.evaluation.peakBytes).toBeLessThanOrEqual(budget);
      const result = await solve(instance, {
        solver: "graph-mincut",
        budget,
        extra: { exhaustiveLimit: 0, spanWork: 1e9 },
      });
      expect(result.stats.spanTimeExact).toBe(1);
      expect(result.makespanMs ?? Number.NaN).toBeLessThanOrEqual(fastest + 1e-9);
    },
  );
});
