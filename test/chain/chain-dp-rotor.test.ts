/**
 * chain-dp is never worse than rotor: at the same budget and slot count, on the same chain, its
 * makespan is at most rotor's optimum (rotor-reference.ts: rotor's recurrence and rotor's own
 * discretization, transcribed), and its recurrence equals rotor's where the two models coincide (input
 * and loss of size 0, so rotor's extra gradients delta_0 and delta_L vanish), at rotor's discretization
 * and at chain-dp's.
 * @see ../../proofs/chain-dp.md, claim 3 and "Discretization"
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { chainView } from "../../solvers/chain/chain-view.js";
import { discretize, type SlotChain } from "../../solvers/chain/discretize.js";
import { segmentEdges } from "../../solvers/chain/feasibility.js";
import { tableValue } from "../../solvers/chain/reconstruct.js";
import { fillTimeTable } from "../../solvers/chain/table.js";
import { solve } from "../../solvers/solve.js";
import type { Instance } from "../../src/instance/types.js";
import { buildChain, type ChainSpec, chainArb } from "./chains.js";
import { rotorChainOf, rotorDiscretize, rotorOptimum } from "./rotor-reference.js";

/** The DP table's optimum at the top budget of `chain` (no store-all shortcut), Infinity when infeasible. */
function tableOptimum(instance: Instance, chain: SlotChain | undefined): number {
  if (chain === undefined) return Number.POSITIVE_INFINITY;
  const view = chainView(instance);
  const edges = segmentEdges(chain.sizes, view.recomputable, view.length);
  const table = fillTimeTable(view, chain, edges);
  return tableValue(table, 0, view.length - 1, chain.topSlots)?.timeMs ?? Number.POSITIVE_INFINITY;
}

/** rotor's recurrence on the slot chain `chain`. */
function rotorOn(instance: Instance, chain: SlotChain | undefined): number {
  if (chain === undefined) return Number.POSITIVE_INFINITY;
  return rotorOptimum(rotorChainOf(instance, chain), chain.topSlots);
}

const budgetCase = fc.tuple(chainArb(7), fc.integer({ min: 4, max: 40 }), fc.integer({ min: 1, max: 400 }));

describe("chain-dp against rotor's recurrence", () => {
  test.prop([budgetCase], { numRuns: 150, seed: 31 })(
    "is never worse than rotor at the same budget and slots",
    async ([spec, slots, activationBytes]) => {
      const instance = buildChain(spec);
      const view = chainView(instance);
      const budget = instance.fixedBytes + activationBytes;
      const rotor = rotorOn(instance, rotorDiscretize(view, budget, instance.fixedBytes, slots));
      const result = await solve(instance, { solver: "chain-dp", budget, slots });
      if (Number.isFinite(rotor)) {
        expect(result.status).toBe("optimal");
        expect(result.makespanMs as number).toBeLessThanOrEqual(rotor);
      }
      const ours = discretize(view, budget, instance.fixedBytes, slots);
      expect(tableOptimum(instance, ours)).toBeLessThanOrEqual(rotor);
    },
  );

  test.prop([budgetCase], { numRuns: 150, seed: 32 })(
    "equals rotor where the models coincide (input and loss of size 0), at either discretization",
    ([spec, slots, activationBytes]) => {
      const stages = spec.stages.map((stage, l) =>
        l === spec.stages.length - 1 ? { ...stage, bytes: 0 } : stage,
      );
      const coinciding: ChainSpec = { ...spec, inputBytes: 0, stages };
      const instance = buildChain(coinciding);
      const view = chainView(instance);
      const budget = instance.fixedBytes + activationBytes;
      for (const chain of [
        rotorDiscretize(view, budget, instance.fixedBytes, slots),
        discretize(view, budget, instance.fixedBytes, slots),
      ])
        expect(tableOptimum(instance, chain)).toBe(rotorOn(instance, chain));
    },
  );
});
