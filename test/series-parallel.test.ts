/**
 * The series-parallel recognizer (src/graph/series-parallel.ts): generated series-parallel graphs and
 * chains are recognized, the smallest non-series-parallel DAG (the "N", or Wheatstone bridge) is not.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { randomChain, randomSeriesParallel } from "../src/generate/families.js";
import { isSeriesParallel } from "../src/graph/series-parallel.js";
import { parseInstance } from "../src/instance/parse.js";
import { PROPERTY_SEED, withLabel } from "./arbitraries.js";
import { example } from "./helpers.js";

const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });

function dag(edges: Record<string, string[]>) {
  return parseInstance({
    format: "remat-instance/1",
    name: "hand",
    source: "test",
    fixedBytes: 0,
    nodes: Object.entries(edges).map(([id, inputs]) => ({ id, fwd: 1, bwd: 1, bytes: 1, inputs })),
  });
}

describe("isSeriesParallel", () => {
  test.prop([seed, fc.integer({ min: 2, max: 40 })], { seed: PROPERTY_SEED, numRuns: 60 })(
    "recognizes generated series-parallel graphs and chains, also with a label read by the loss",
    (s, size) => {
      expect(isSeriesParallel(randomSeriesParallel(s, size))).toBe(true);
      expect(isSeriesParallel(randomChain(s, size))).toBe(true);
      const labelled = withLabel(randomSeriesParallel(s, size), s);
      const readers = labelled.nodes.filter((node) => node.inputs.includes("label")).length;
      // a label read by the loss alone is a parallel edge; read mid-branch too, it may break the structure
      if (readers === 1) expect(isSeriesParallel(labelled)).toBe(true);
    },
  );

  it("rejects the bridge a -> {b, c}, b -> c, {b, c} -> d", () => {
    expect(isSeriesParallel(dag({ a: [], b: ["a"], c: ["a", "b"], d: ["b", "c"] }))).toBe(false);
    expect(isSeriesParallel(dag({ a: [], b: ["a"], c: ["a"], d: ["b", "c"] }))).toBe(true);
    expect(isSeriesParallel(example("skip-dag"))).toBe(true);
  });
});
