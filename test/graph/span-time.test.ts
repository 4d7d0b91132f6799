/**
 * The time objective's span dynamic program (solvers/graph/span-time.ts) on exact span tables: the
 * fastest checkpoint schedule within the budget over all kept sets, checked against exhaustive search;
 * and graph-mincut's time objective, which takes it when the table is exact (or enumerates every kept
 * set on small graphs), is never slower and says so with a certificate over checkpoint schedules
 * (proofs/graph-mincut.md, "Time objective").
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { Search } from "../../solvers/graph/search.js";
import { tabulateAll } from "../../solvers/graph/span-measure.js";
import { planSpans } from "../../solvers/graph/span-plan.js";
import { fastestSpanKeep } from "../../solvers/graph/span-time.js";
import { solve } from "../../solvers/index.js";
import type { Instance } from "../../src/instance/types.js";
import { labelledInstance, PROPERTY_SEED } from "../arbitraries.js";
import { everyKeep } from "./exhaustive.js";

const small = labelledInstance.filter((instance) => instance.nodes.length <= 13);

/** A budget between the least and the most peak of any kept set, and the fastest kept set within it. */
function budgetAndFastest(instance: Instance, fraction: number): { budget: number; fastest: number } {
  const keeps = everyKeep(instance);
  const least = Math.min(...keeps.map((k) => k.peak));
  const most = Math.max(...keeps.map((k) => k.peak));
  const budget = Math.floor(least + fraction * (most - least));
  return { budget, fastest: Math.min(...keeps.filter((k) => k.peak <= budget).map((k) => k.makespan)) };
}

describe("span dynamic program for the time objective", () => {
  test.prop([small, fc.double({ min: 0, max: 1, noNaN: true })], { seed: PROPERTY_SEED, numRuns: 120 })(
    "on exact tables, is the fastest kept set within the budget, and graph-mincut is optimal over checkpoint schedules",
    async (instance, fraction) => {
      const { budget, fastest } = budgetAndFastest(instance, fraction);
      const search = new Search(instance);
      const table = tabulateAll(search, planSpans(search.g));
      const found = fastestSpanKeep(search, table, budget, Number.POSITIVE_INFINITY);
      expect(found?.makespanMs).toBeCloseTo(fastest, 9);
      expect(found?.peakBytes).toBeLessThanOrEqual(budget);
      const result = await solve(instance, {
        solver: "graph-mincut",
        budget,
        extra: { exhaustiveLimit: 0, spanWork: 1e9 },
      });
      expect(result.stats.spanExact).toBe(1);
      expect(result.makespanMs ?? Number.NaN).toBeLessThanOrEqual(fastest + 1e-9);
      expect(result.status).toBe("optimal");
      expect(result.certificate?.over === "checkpoint" || result.certificate?.kind === "meets-bound").toBe(
        true,
      );
    },
  );

  test.prop([small, fc.double({ min: 0, max: 1, noNaN: true })], { seed: PROPERTY_SEED, numRuns: 80 })(
    "when every kept set is enumerated, graph-mincut's time answer is optimal over checkpoint schedules",
    async (instance, fraction) => {
      const { budget, fastest } = budgetAndFastest(instance, fraction);
      const result = await solve(instance, {
        solver: "graph-mincut",
        budget,
        extra: { exhaustiveLimit: 16 },
      });
      expect(result.status).toBe("optimal");
      expect(result.makespanMs ?? Number.NaN).toBeLessThanOrEqual(fastest + 1e-9);
      if (result.certificate?.kind !== "meets-bound") expect(result.certificate?.kind).toBe("enumeration");
    },
  );
});
