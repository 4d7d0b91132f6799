/**
 * proofs/pipeline-complexity.md, checked on small instances: Theorem 1's DP equals an exhaustive search
 * over contiguous partitions; Theorem 2's instances (3-PARTITION to assigning layers to devices under
 * memory) and Theorem 3's (PARTITION to contiguous stages with per-layer recomputation) have a plan
 * meeting the target, by exhaustive search over the variant's plans, exactly when the source instance
 * is a yes-instance, and the proofs' witnesses meet it.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { contiguousPeriodDp } from "./contiguous-dp.js";
import { leastContiguousPeriod, searchAssignments, searchRecomputePlans } from "./enumerate.js";
import { deviceCost, inFlightCounts, type LayerPipeline, meetsTarget, stagesOf } from "./layer-model.js";
import { partitionRecomputePipeline, threePartitionPipeline } from "./reductions.js";
import { partitionHalf, threePartitionTriples } from "./source-problems.js";

const SEED = 20261202;

/** Every multiset of 6 integers in (B/4, B/2) summing to 2B, for B = 9..24: the 3-PARTITION instances with q = 2. */
function threePartitionInstancesOfTwo(): number[][] {
  const found: number[][] = [];
  for (let B = 9; B <= 24; B++) {
    const lo = Math.floor(B / 4) + 1;
    const hi = Math.ceil(B / 2) - 1;
    const stack: number[][] = [[]];
    while (stack.length > 0) {
      const items = stack.pop() as number[];
      const sum = items.reduce((s, x) => s + x, 0);
      if (items.length === 6) {
        if (sum === 2 * B) found.push(items);
        continue;
      }
      for (let x = items[items.length - 1] ?? lo; x <= hi; x++) stack.push([...items, x]);
    }
  }
  return found;
}

/** Three triples of sum B drawn inside (B/4, B/2) (a yes-instance with q = 3), shuffled by `order`. */
const yesOfThree = fc
  .tuple(
    fc.integer({ min: 13, max: 30 }),
    fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }),
  )
  .map(([B, picks]) => {
    const lo = Math.floor(B / 4) + 1;
    const items: number[] = [];
    for (let t = 0; t < 3; t++) {
      // a, b, c in (B/4, B/2) with a + b + c = B: a, b near B/3 keep c inside the range.
      const spread = Math.max(0, Math.floor(B / 3) - lo);
      const a = lo + Math.floor((picks[2 * t] as number) * spread);
      const b = lo + Math.floor((picks[2 * t + 1] as number) * spread);
      items.push(a, b, B - a - b);
    }
    return items;
  })
  .filter((items) => {
    const B = items.reduce((s, x) => s + x, 0) / 3;
    return items.every((x) => 4 * x > B && 2 * x < B);
  });

/** Nine integers in (B/4, B/2) summing to 3B, most of them no-instances. */
const anyOfThree = fc
  .tuple(
    fc.integer({ min: 13, max: 30 }),
    fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 8, maxLength: 8 }),
  )
  .map(([B, picks]) => {
    const lo = Math.floor(B / 4) + 1;
    const hi = Math.ceil(B / 2) - 1;
    const items = picks.map((p) => lo + Math.floor(p * (hi - lo + 1)));
    return [...items, 3 * B - items.reduce((s, x) => s + x, 0)];
  })
  .filter((items) => {
    const B = items.reduce((s, x) => s + x, 0) / 3;
    return items.every((x) => 4 * x > B && 2 * x < B);
  });

/** The plan of Theorem 2's (if) direction: the layers of triple d on device d. */
function tripleAssignment(items: readonly number[], triples: readonly number[][]): number[] {
  const device = items.map(() => -1);
  triples.forEach((triple, d) => {
    for (const j of triple) device[j] = d;
  });
  return device;
}

function assignmentCosts(problem: LayerPipeline, device: readonly number[]) {
  return Array.from({ length: problem.devices }, (_, d) =>
    deviceCost(
      problem,
      device.flatMap((e, l) => (e === d ? [l] : [])),
      problem.inFlight[d] as number,
    ),
  );
}

describe("Theorem 1: contiguous stages under per-stage memory", () => {
  const layer = fc.record({
    timeMs: fc.integer({ min: 0, max: 9 }),
    weightBytes: fc.integer({ min: 0, max: 9 }),
    activationBytes: fc.integer({ min: 0, max: 9 }),
    recomputeMs: fc.constant(0),
  });
  const problem = fc
    .tuple(
      fc.array(layer, { minLength: 1, maxLength: 7 }),
      fc.integer({ min: 1, max: 4 }),
      fc.constantFrom<"gpipe" | "1f1b">("gpipe", "1f1b"),
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 0, max: 80 }),
    )
    .filter(([layers, P]) => P <= layers.length)
    .map(
      ([layers, P, kind, m, memoryBytes]): LayerPipeline => ({
        layers,
        devices: P,
        inFlight: inFlightCounts(kind, P, m),
        memoryBytes,
        periodMs: 0,
      }),
    );

  test.prop([problem], { seed: SEED, numRuns: 150 })(
    "the DP's least period equals the least period over every contiguous partition",
    (p) => {
      expect(contiguousPeriodDp(p)).toBe(leastContiguousPeriod(p));
    },
  );
});

describe("Theorem 2: 3-PARTITION to assigning layers to devices under memory", () => {
  const instances = threePartitionInstancesOfTwo();

  it("decides every 3-PARTITION instance with two triples and B <= 24 as the source problem does", () => {
    const answers = instances.map((items) => {
      const source = threePartitionTriples(items) !== undefined;
      for (const placement of [{ in: "weights" }, { in: "activations", microbatches: 3 }] as const)
        expect(searchAssignments(threePartitionPipeline(items, placement)) !== undefined).toBe(source);
      return source;
    });
    // Both answers occur, so the equivalence is tested in both directions.
    expect(answers.filter((a) => a).length).toBeGreaterThan(0);
    expect(answers.filter((a) => !a).length).toBeGreaterThan(0);
  });

  test.prop([fc.oneof(yesOfThree, anyOfThree)], { seed: SEED, numRuns: 12 })(
    "with three triples, a plan meets the target iff the items 3-partition, and the proof's plan meets it",
    (items) => {
      const problem = threePartitionPipeline(items, { in: "weights" });
      const triples = threePartitionTriples(items);
      expect(searchAssignments(problem) !== undefined).toBe(triples !== undefined);
      if (triples !== undefined)
        expect(meetsTarget(problem, assignmentCosts(problem, tripleAssignment(items, triples)))).toBe(true);
    },
  );

  it("puts exactly three layers on every device of any plan that fits memory", () => {
    for (const items of instances.slice(0, 30)) {
      const problem = threePartitionPipeline(items, { in: "weights" });
      const device = searchAssignments({ ...problem, periodMs: Number.POSITIVE_INFINITY });
      if (device !== undefined)
        for (let d = 0; d < problem.devices; d++) expect(device.filter((e) => e === d)).toHaveLength(3);
    }
  });
});

describe("Theorem 3: PARTITION to contiguous stages with per-layer recomputation", () => {
  const sizes = fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 });
  const splittable = fc
    .tuple(
      fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 3 }),
      fc.integer({ min: 1, max: 9 }),
    )
    .map(([left, y]) => {
      const sum = left.reduce((s, x) => s + x, 0);
      return sum > y ? [...left, y, sum - y] : [y, ...left];
    })
    .filter((ys) => partitionHalf(ys) !== undefined);
  const shape = fc.tuple(
    fc.integer({ min: 1, max: 3 }),
    fc.constantFrom<"gpipe" | "1f1b">("gpipe", "1f1b"),
    fc.integer({ min: 1, max: 4 }),
  );

  test.prop([fc.oneof(sizes, splittable), shape], { seed: SEED, numRuns: 60 })(
    "some partition and recomputed set meet the target iff the sizes split into equal halves",
    (ys, [P, kind, m]) => {
      const problem = partitionRecomputePipeline(ys, P, kind, m);
      const half = partitionHalf(ys);
      expect(searchRecomputePlans(problem) !== undefined).toBe(half !== undefined);
      if (half !== undefined) {
        // The proof's plan: the items on stage 0 recomputing the other half, one filler per later stage.
        const starts = [0, ...Array.from({ length: P - 1 }, (_, k) => ys.length + k)];
        const recomputed = new Set([...ys.keys()].filter((i) => !half.includes(i)));
        const costs = stagesOf(starts, problem.layers.length).map((stage, s) =>
          deviceCost(problem, stage, problem.inFlight[s] as number, recomputed),
        );
        expect(meetsTarget(problem, costs)).toBe(true);
      }
    },
  );
});
