/**
 * The reduction from PARTITION (proofs/graph-mincut-np-hard.md): on the series-parallel gadget, some
 * kept set peaks at most 5Y/2 bytes exactly when the sizes split into two halves of equal sum. Checked
 * against exhaustive search over every kept set, in both directions, with the witness of the proof.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { partitionGadget } from "../../src/generate/partition-gadget.js";
import { isSeriesParallel } from "../../src/graph/series-parallel.js";
import { keepSchedule } from "../../src/schedule/builders.js";
import { exhaustiveLeastPeak } from "./exhaustive.js";

const SEED = 20261122;

/** The subsets of indices whose sizes sum to half the total (subset-sum by enumeration). */
function halves(sizes: readonly number[]): number[][] {
  const total = sizes.reduce((sum, y) => sum + y, 0);
  const found: number[][] = [];
  for (let mask = 0; mask < 2 ** sizes.length; mask++) {
    const chosen = sizes.flatMap((_, i) => (Math.floor(mask / 2 ** i) % 2 === 1 ? [i] : []));
    if (2 * chosen.reduce((sum, i) => sum + (sizes[i] as number), 0) === total) found.push(chosen);
  }
  return found;
}

const size = fc.integer({ min: 1, max: 12 });
/** Any sizes (mostly not splittable), and sizes built from two halves of equal sum (splittable). */
const anySizes = fc.array(size, { minLength: 1, maxLength: 5 });
const splittableSizes = fc
  .tuple(fc.array(size, { minLength: 1, maxLength: 3 }), fc.array(size, { minLength: 1, maxLength: 2 }))
  .map(([left, right]) => {
    const gap = left.reduce((s, y) => s + y, 0) - right.reduce((s, y) => s + y, 0);
    return gap > 0 ? [...left, ...right, gap] : gap < 0 ? [...left, -gap, ...right] : [...left, ...right];
  });

describe("NP-hardness of the memory objective on series-parallel graphs", () => {
  it("builds a two-terminal series-parallel graph", () => {
    expect(isSeriesParallel(partitionGadget([3, 1, 2]).instance)).toBe(true);
  });

  test.prop([fc.oneof(anySizes, splittableSizes)], { seed: SEED, numRuns: 40 })(
    "some kept set peaks at most 5Y/2 iff the sizes split into equal halves",
    (sizes) => {
      const { instance, threshold } = partitionGadget(sizes);
      const least = exhaustiveLeastPeak(instance).peak;
      const splits = halves(sizes);
      expect(least <= threshold).toBe(splits.length > 0);
      const split = splits[0];
      if (split !== undefined) {
        // The proof's witness: keep q_i for i in one half, and t.
        const kept = [...split.map((i) => 2 + 2 * i), 1 + 2 * sizes.length];
        const evaluation = evaluate(instance, keepSchedule(instance, kept));
        expect(evaluation.valid && evaluation.peakBytes).toBe(threshold);
      }
    },
  );
});
