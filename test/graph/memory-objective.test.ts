/**
 * graph-mincut --objective memory against exhaustive search over every kept set, each judged by the
 * evaluator (proofs/graph-mincut.md, "Chains", "Lower bound" and "Small graphs"): exact on chains, and
 * on small random DAGs the exhaustive optimum lies between the reported lower bound and the answer.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { solve } from "../../solvers/index.js";
import {
  DEFAULT_COSTS,
  randomChain,
  randomLayeredDag,
  randomSeriesParallel,
} from "../../src/generate/families.js";
import { withLabel } from "../arbitraries.js";
import { exhaustiveLeastPeak } from "./exhaustive.js";

const SEED = 20261122;
const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });

/** Chains of 1..10 stages, with tapes, temporaries and partial `needs` (the generator's mix). */
const anyChain = fc.oneof(
  fc.tuple(seed, fc.integer({ min: 1, max: 10 })).map(([s, length]) => randomChain(s, length)),
  fc
    .tuple(seed, fc.integer({ min: 1, max: 8 }))
    .map(([s, length]) => randomChain(s, length, { ...DEFAULT_COSTS, tapeChance: 0.5 })),
);

/** Random DAGs of about 12 nodes or fewer, by construction. */
const smallDag = fc.oneof(
  fc
    .tuple(seed, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }))
    .map(([s, layers, width]) => randomLayeredDag(s, layers, width)),
  fc.tuple(seed, fc.integer({ min: 2, max: 8 })).map(([s, size]) => randomSeriesParallel(s, size)),
);

/** Chains and small DAGs with a label input placed anywhere and sometimes a forced node. */
const labelledDag = fc
  .tuple(fc.oneof(anyChain, smallDag), seed)
  .map(([instance, s]) => (instance.nodes.length >= 3 ? withLabel(instance, s) : instance));

/** Chains in rotor's model: every backward reads its input and output, no temporaries; some tapes. */
const rotorChain = fc.tuple(seed, fc.integer({ min: 1, max: 10 }), fc.boolean()).map(([s, length, tapes]) =>
  randomChain(s, length, {
    ...DEFAULT_COSTS,
    partialNeedsChance: 0,
    tempChance: 0,
    tapeChance: tapes ? 0.5 : 0,
  }),
);

describe("graph-mincut --objective memory", () => {
  test.prop([rotorChain], { seed: SEED, numRuns: 150 })(
    "in rotor's model, chain-dp's memory answer is at most it, and equal when chain-dp recomputes each stage at most once",
    async (instance) => {
      const checkpoints = await solve(instance, { solver: "graph-mincut", objective: "memory" });
      const persistent = await solve(instance, { solver: "chain-dp", objective: "memory" });
      expect(persistent.peakBytes ?? Number.NaN).toBeLessThanOrEqual(checkpoints.peakBytes ?? Number.NaN);
      const runs = new Map<string, number>();
      for (const line of persistent.schedule)
        if (line.startsWith("F "))
          runs.set(line.split(" ")[1] as string, (runs.get(line.split(" ")[1] as string) ?? 0) + 1);
      if (Math.max(...runs.values()) <= 2) expect(persistent.peakBytes).toBe(checkpoints.peakBytes);
    },
  );

  test.prop([labelledDag], { seed: SEED, numRuns: 150 })(
    "is optimal wherever the decomposition at cut points runs: equals exhaustive search over kept sets",
    async (instance) => {
      const result = await solve(instance, {
        solver: "graph-mincut",
        objective: "memory",
        extra: { exhaustiveLimit: 0, spanWork: 1e9 },
      });
      expect(result.status).toBe("optimal");
      expect(result.stats.spanExact).toBe(1);
      expect(result.peakBytes).toBe(exhaustiveLeastPeak(instance).peak);
      expect(result.lowerBoundBytes).toBe(result.peakBytes);
    },
  );

  test.prop([anyChain], { seed: SEED, numRuns: 120 })(
    "is optimal on chains: the exact chain method equals exhaustive search over kept sets",
    async (instance) => {
      const result = await solve(instance, {
        solver: "graph-mincut",
        objective: "memory",
        extra: { exhaustiveLimit: 0 },
      });
      expect(result.status).toBe("optimal");
      expect(result.stats.spanExact).toBe(1);
      expect(result.peakBytes).toBe(exhaustiveLeastPeak(instance).peak);
      expect(result.lowerBoundBytes).toBe(result.peakBytes);
    },
  );

  test.prop([smallDag], { seed: SEED, numRuns: 120 })(
    "brackets the exhaustive optimum between its lower bound and its answer on DAGs of at most 12 nodes",
    async (instance) => {
      const optimum = exhaustiveLeastPeak(instance).peak;
      const heuristic = await solve(instance, {
        solver: "graph-mincut",
        objective: "memory",
        extra: { exhaustiveLimit: 0, spanWork: 0 },
      });
      expect(heuristic.lowerBoundBytes ?? Number.NaN).toBeLessThanOrEqual(optimum);
      expect(heuristic.peakBytes ?? Number.NaN).toBeGreaterThanOrEqual(optimum);
      if (heuristic.status === "optimal") expect(heuristic.peakBytes).toBe(optimum);
      const exact = await solve(instance, {
        solver: "graph-mincut",
        objective: "memory",
        extra: { exhaustiveLimit: 16 },
      });
      expect(exact.status).toBe("optimal");
      expect(exact.peakBytes).toBe(optimum);
    },
  );

  test.prop([smallDag, fc.double({ min: 0, max: 1.2, noNaN: true })], { seed: SEED, numRuns: 60 })(
    "answers infeasible below its optimum and optimal at or above it",
    async (instance, fraction) => {
      const optimum = exhaustiveLeastPeak(instance).peak;
      const budget = Math.max(1, Math.floor(optimum * fraction));
      const result = await solve(instance, {
        solver: "graph-mincut",
        objective: "memory",
        budget,
        extra: { exhaustiveLimit: 16 },
      });
      expect(result.status).toBe(budget >= optimum ? "optimal" : "infeasible");
    },
  );

  it("refuses a lambda that pushes the cut capacities beyond 2^53 - 1", async () => {
    await expect(
      solve(randomChain(3, 20), {
        solver: "graph-mincut",
        objective: "memory",
        extra: { lambda: 1e300, exhaustiveLimit: 0, spanWork: 0 },
      }),
    ).rejects.toMatchObject({ name: "InputError", issues: [{ code: "option", path: "extra.lambda" }] });
  });
});
