/**
 * pofo against its class and its neighbours (proofs/pofo.md, "Tests"): its makespan is the least of the
 * offload-chain class enumerated apart from it and judged by the evaluator (exact slots); with no link
 * it equals chain-dp; it is never worse than chain-dp at the same slots, nor than the best offload-only
 * member of its class; with an all but unlimited link it reaches store-all's makespan at the largest
 * single step's memory.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { solve } from "../../solvers/index.js";
import { DEFAULT_COSTS, randomChain } from "../../src/generate/families.js";
import type { Instance } from "../../src/instance/types.js";
import { storeAllEvaluation } from "../../src/schedule/builders.js";
import { PROPERTY_SEED } from "../arbitraries.js";
import { anyLink, withLink } from "../offload/instances.js";
import { leastMakespan, offloadChainEvaluations } from "./enumerate.js";

/** Relative tolerance for makespans summed in another order. */
const TOLERANCE = 1e-9;
/** Slots enough that every generated budget is exact in bytes (A <= S: one byte per slot). */
const EXACT_SLOTS = 100_000;
/** Chains checked against the enumeration (POFO_RUNS overrides, for a longer local run). */
const RUNS = Number(process.env.POFO_RUNS ?? 60);
/** Longest chain enumerated (POFO_STAGES overrides: the class grows fast, 5 stages take seconds each). */
const STAGES = Number(process.env.POFO_STAGES ?? 4);

const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const withTapes = { ...DEFAULT_COSTS, tapeChance: 0.3 };

/** Chains of 1..`stages` stages, with and without tapes. */
function chain(stages: number): fc.Arbitrary<Instance> {
  return fc.oneof(
    fc.tuple(seed, fc.integer({ min: 1, max: stages })).map(([s, length]) => randomChain(s, length)),
    fc
      .tuple(seed, fc.integer({ min: 1, max: stages }))
      .map(([s, length]) => randomChain(s, length, withTapes)),
  );
}

/** A budget between `percent`% of store-all's peak and the peak itself, in bytes. */
function budgetAt(instance: Instance, percent: number): number {
  return Math.floor((storeAllEvaluation(instance).peakBytes * percent) / 100);
}

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(b));
}

describe("pofo", () => {
  test.prop([chain(STAGES), anyLink, fc.integer({ min: 20, max: 100 })], {
    seed: PROPERTY_SEED,
    numRuns: RUNS,
  })(
    "its makespan is the least of the offload-chain class, enumerated and judged by the evaluator",
    async (plain, link, percent) => {
      const instance = withLink(plain, link);
      const budget = budgetAt(instance, percent);
      const best = leastMakespan(offloadChainEvaluations(instance), budget);
      const result = await solve(instance, { solver: "pofo", budget, slots: EXACT_SLOTS });
      if (best === undefined) {
        expect(result.status).toBe("infeasible");
        return;
      }
      expect(result.makespanMs, result.reason ?? "").not.toBeNull();
      expect(close(result.makespanMs as number, best), `${result.makespanMs} vs ${best}`).toBe(true);
    },
  );

  test.prop([chain(10), fc.integer({ min: 20, max: 110 })], { seed: PROPERTY_SEED, numRuns: 40 })(
    "with no link (no hardware block; a bandwidth of 0 is refused where a link is given) it equals chain-dp at the same slots",
    async (plain, percent) => {
      const instance = withLink(plain, null);
      const budget = `${percent}%`;
      const reference = await solve(instance, { solver: "chain-dp", budget, slots: 40 });
      const result = await solve(instance, { solver: "pofo", budget, slots: 40 });
      expect(result.status).toBe(reference.status);
      if (reference.makespanMs !== null)
        expect(close(result.makespanMs as number, reference.makespanMs)).toBe(true);
    },
  );

  test.prop([chain(10), anyLink, fc.integer({ min: 20, max: 100 }), fc.constantFrom(20, 60, 500)], {
    seed: PROPERTY_SEED,
    numRuns: 40,
  })("is never worse than chain-dp at the same slots", async (plain, link, percent, slots) => {
    const instance = withLink(plain, link);
    const budget = `${percent}%`;
    const reference = await solve(instance, { solver: "chain-dp", budget, slots });
    const result = await solve(instance, { solver: "pofo", budget, slots });
    if (reference.makespanMs === null) return;
    expect(result.makespanMs).not.toBeNull();
    expect(result.makespanMs as number).toBeLessThanOrEqual(reference.makespanMs * (1 + TOLERANCE));
  });

  test.prop([chain(4), anyLink, fc.integer({ min: 20, max: 100 })], { seed: PROPERTY_SEED, numRuns: 30 })(
    "is never worse than the best offload-only member of its class (store-all's order, no recomputation)",
    async (plain, link, percent) => {
      const instance = withLink(plain, link);
      const budget = budgetAt(instance, percent);
      const offloadOnly = offloadChainEvaluations(instance).filter(
        (evaluation) => evaluation.recomputations === 0,
      );
      const best = leastMakespan(offloadOnly, budget);
      if (best === undefined) return;
      const result = await solve(instance, { solver: "pofo", budget, slots: EXACT_SLOTS });
      expect(result.makespanMs as number).toBeLessThanOrEqual(best * (1 + TOLERANCE));
    },
  );

  test.prop([fc.tuple(seed, fc.integer({ min: 1, max: 12 }))], { seed: PROPERTY_SEED, numRuns: 30 })(
    "with an all but unlimited link it reaches store-all's makespan at the largest single step's memory",
    async ([s, length]) => {
      const plain = randomChain(s, length, { ...DEFAULT_COSTS, tapeChance: 0, partialNeedsChance: 0 });
      const instance = withLink(plain, { bandwidth: 1e12, latency: 0 });
      const storeAll = storeAllEvaluation(instance);
      const budget = largestStep(instance);
      const result = await solve(instance, { solver: "pofo", budget, slots: EXACT_SLOTS });
      expect(result.status, result.reason ?? "").not.toBe("infeasible");
      expect(result.makespanMs as number).toBeLessThanOrEqual(storeAll.makespanMs * (1 + TOLERANCE));
    },
  );
});

/**
 * The memory of store-all's largest single step with nothing else resident but fixedBytes: stage k
 * forward holds `a_k`, `a_{k+1}` and its temporary; backward `a_k`, `a_{k+1}`, `g_{k+1}` (none for the
 * loss), the new `g_k` (none for the input) and its temporary.
 */
function largestStep(instance: Instance): number {
  const nodes = instance.nodes;
  let largest = 0;
  for (let k = 0; k + 1 < nodes.length; k++) {
    const input = nodes[k] as Instance["nodes"][number];
    const output = nodes[k + 1] as Instance["nodes"][number];
    const gradOut = k + 1 === nodes.length - 1 ? 0 : output.gradBytes;
    const gradIn = k === 0 ? 0 : input.gradBytes;
    const forward = input.bytes + output.bytes + output.fwdTemp;
    const backward = input.bytes + output.bytes + gradOut + gradIn + output.bwdTemp;
    largest = Math.max(largest, forward, backward);
  }
  return instance.fixedBytes + largest;
}
