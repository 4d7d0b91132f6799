/**
 * The memory lower bound (solvers/graph/memory-bound.ts; proofs/graph-mincut.md, "Lower bound") is at
 * most the least peak of every kept set's checkpoint schedule, found by exhaustive search, on small
 * DAGs with tapes, label sources and nodes that may not be recomputed, drawn from shrinkable records
 * (test/graph/dags.ts); and on the three-node chain whose kept tape needs no input, where an earlier
 * bound claimed more than the optimum.
 */
import { test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { memoryLowerBound } from "../../solvers/graph/memory-bound.js";
import { Search } from "../../solvers/graph/search.js";
import { solve } from "../../solvers/index.js";
import { parseInstance } from "../../src/instance/parse.js";
import { labelledInstance, PROPERTY_SEED } from "../arbitraries.js";
import { buildDag, dagArb } from "./dags.js";
import { exhaustiveLeastPeak } from "./exhaustive.js";

describe("memoryLowerBound", () => {
  test.prop([dagArb(7)], { seed: PROPERTY_SEED, numRuns: 600 })(
    "is at most the exhaustive least peak on small DAGs with tapes, labels and forced nodes",
    (spec) => {
      const instance = buildDag(spec);
      const bound = memoryLowerBound(new Search(instance), Number.POSITIVE_INFINITY);
      expect(bound.bytes).toBeLessThanOrEqual(exhaustiveLeastPeak(instance).peak);
    },
  );

  test.prop([labelledInstance.filter((instance) => instance.nodes.length <= 13)], {
    seed: PROPERTY_SEED,
    numRuns: 200,
  })(
    "is at most the exhaustive least peak on the generated families, taped chains and withLabel",
    (instance) => {
      const bound = memoryLowerBound(new Search(instance), Number.POSITIVE_INFINITY);
      expect(bound.bytes).toBeLessThanOrEqual(exhaustiveLeastPeak(instance).peak);
    },
  );

  test.prop([dagArb(6)], { seed: PROPERTY_SEED, numRuns: 150 })(
    "brackets the optimum in graph-mincut's memory answer when only the search runs",
    async (spec) => {
      const instance = buildDag(spec);
      const optimum = exhaustiveLeastPeak(instance).peak;
      const result = await solve(instance, {
        solver: "graph-mincut",
        objective: "memory",
        extra: { exhaustiveLimit: 0, spanWork: 0 },
      });
      expect(result.lowerBoundBytes ?? Number.NaN).toBeLessThanOrEqual(optimum);
      expect(result.peakBytes ?? Number.NaN).toBeGreaterThanOrEqual(optimum);
      if (result.status === "optimal") expect(result.peakBytes).toBe(optimum);
    },
  );

  it("needs no input of a node whose tape is kept from the forward pass (a three-node chain)", () => {
    // B s1 reads only its output and its tape: keeping nothing runs F s1 with tape (the tail) and
    // frees x, so the least peak is 263 bytes; a bound that made x a target of B s2 said 303.
    const instance = parseInstance({
      format: "remat-instance/1",
      name: "taped-chain",
      source: "test/graph/memory-bound.test.ts",
      fixedBytes: 0,
      nodes: [
        { id: "x", fwd: 0, bwd: 0, bytes: 60, recomputable: false },
        { id: "s1", fwd: 5, bwd: 10, bytes: 40, inputs: ["x"], needs: ["output"], tapeBytes: 20 },
        {
          id: "s2",
          fwd: 10,
          bwd: 15,
          bytes: 82,
          inputs: ["s1"],
          tapeBytes: 59,
          fwdTemp: 12,
          bwdTemp: 22,
        },
      ],
    });
    const optimum = exhaustiveLeastPeak(instance).peak;
    expect(optimum).toBe(263);
    expect(memoryLowerBound(new Search(instance), 10).bytes).toBeLessThanOrEqual(optimum);
  });
});
