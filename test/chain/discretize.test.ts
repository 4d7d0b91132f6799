/**
 * chain-dp's discretization wastes no budget (issue 9): the activation budget A is S slots of A / S
 * bytes (or A slots of one byte when A <= S), every size is rounded up to at most as many slots as
 * rotor's unit floor(A / S) gives, and slot counts are exact beyond 2^53.
 * @see ../../proofs/chain-dp.md, "Discretization"
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { chainView } from "../../solvers/chain/chain-view.js";
import { discretize, type SlotChain, slotsOf } from "../../solvers/chain/discretize.js";
import { segmentEdges } from "../../solvers/chain/feasibility.js";
import { tableValue } from "../../solvers/chain/reconstruct.js";
import { fillTimeTable } from "../../solvers/chain/table.js";
import { solve } from "../../solvers/solve.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { randomChain } from "../../src/generate/families.js";
import type { Instance } from "../../src/instance/types.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";
import { buildChain, chainArb } from "./chains.js";
import { rotorDiscretize } from "./rotor-reference.js";

const SIZE_NAMES = ["x", "xbar", "delta", "of", "ob"] as const;

/** Whether the top segment fits the slot budget of `chain` (the DP's feasibility, without the store-all shortcut). */
function slotFeasible(instance: Instance, chain: SlotChain | undefined): boolean {
  if (chain === undefined) return false;
  const view = chainView(instance);
  const edges = segmentEdges(chain.sizes, view.recomputable, view.length);
  return chain.topSlots >= (edges.need[view.length - 1] as number);
}

function storeAllPeak(instance: Instance): number {
  const evaluation = evaluate(instance, storeAllSchedule(instance));
  if (!evaluation.valid) throw new Error("store-all must be valid");
  return evaluation.peakBytes;
}

const discretizeCase = fc.tuple(
  chainArb(6),
  fc.integer({ min: 1, max: 600 }),
  fc.integer({ min: 0, max: 2000 }),
);

describe("chain-dp's discretization", () => {
  test.prop([discretizeCase], { numRuns: 200, seed: 91 })(
    "cuts the whole activation budget into slots: S of A / S bytes, or A of one byte when A <= S",
    ([spec, slots, activationBytes]) => {
      const instance = buildChain(spec);
      const chain = discretize(
        chainView(instance),
        instance.fixedBytes + activationBytes,
        instance.fixedBytes,
        slots,
      );
      if (chain === undefined) throw new Error("a budget covering fixedBytes must discretize");
      expect(chain.budgetSlots).toBe(Math.min(slots, activationBytes));
      expect(chain.unit).toBe(activationBytes <= slots ? 1 : activationBytes / slots);
      expect(chain.unit * chain.budgetSlots).toBeCloseTo(activationBytes, 9);
    },
  );

  test.prop([discretizeCase], { numRuns: 200, seed: 92 })(
    "rounds every size up to whole slots, never to more slots than rotor's unit floor(A / S) takes",
    ([spec, slots, activationBytes]) => {
      const instance = buildChain(spec);
      const view = chainView(instance);
      const budget = instance.fixedBytes + activationBytes;
      const ours = discretize(view, budget, instance.fixedBytes, slots) as SlotChain;
      const rotor = rotorDiscretize(view, budget, instance.fixedBytes, slots) as SlotChain;
      expect(ours.budgetSlots).toBeGreaterThanOrEqual(rotor.budgetSlots);
      const A = BigInt(Math.max(activationBytes, 1));
      const perSlot = activationBytes <= slots ? 1n : BigInt(slots);
      const scale = activationBytes <= slots ? 1n : A;
      for (const name of SIZE_NAMES) {
        const bytes = view[name];
        bytes.forEach((b, k) => {
          const n = BigInt(ours.sizes[name][k] as number);
          // n slots of scale / perSlot bytes hold b, and n - 1 do not
          expect(n * scale >= BigInt(b) * perSlot).toBe(true);
          if (n > 0n) expect((n - 1n) * scale < BigInt(b) * perSlot).toBe(true);
          expect(ours.sizes[name][k] as number).toBeLessThanOrEqual(rotor.sizes[name][k] as number);
        });
      }
    },
  );

  it("counts slots exactly where bytes * S passes 2^53", () => {
    const cases: [number, number, number][] = [
      [2 ** 50 + 7, 5000, 3 * 2 ** 40 + 1],
      [Number.MAX_SAFE_INTEGER, 1_000_000, 999_999_937],
      [123_456_789_012, 700_001, 700_001],
      [2 ** 45, 2 ** 10, 2 ** 20],
    ];
    for (const [bytes, slots, activation] of cases) {
      const a = BigInt(activation);
      const expected = (BigInt(bytes) * BigInt(slots) + a - 1n) / a;
      expect(BigInt(slotsOf(bytes, slots, activation))).toBe(expected);
    }
    expect(slotsOf(0, 500, 958)).toBe(0);
    expect(slotsOf(958, 500, 958)).toBe(500);
    expect(slotsOf(959, 500, 958)).toBe(501);
  });

  test.prop(
    [
      fc.record({
        seed: fc.integer({ min: 1, max: 1_000_000 }),
        length: fc.integer({ min: 2, max: 30 }),
        percent: fc.integer({ min: 20, max: 90 }),
        slots: fc.integer({ min: 10, max: 400 }),
        factor: fc.integer({ min: 2, max: 4 }),
      }),
    ],
    { numRuns: 60, seed: 93 },
  )(
    "never gets slower when the slot count is multiplied",
    async ({ seed, length, percent, slots, factor }) => {
      // with k S slots every size takes at most k times its slots at S, and the budget is k S: every
      // schedule that fits at S fits at k S (rotor's unit does not have this property)
      const instance = randomChain(seed, length);
      const a = await solve(instance, { solver: "chain-dp", budget: `${percent}%`, slots });
      const b = await solve(instance, { solver: "chain-dp", budget: `${percent}%`, slots: slots * factor });
      if (a.status === "optimal") expect(b.makespanMs as number).toBeLessThanOrEqual(a.makespanMs as number);
    },
  );

  it("no longer loses budget on randomChain(1, 50) at 40% with 500 slots (issue 9)", async () => {
    // observed: 20.3% overhead at S = 500 (rotor's unit: 47.9%), 19.9% with one byte per slot
    const instance = randomChain(1, 50);
    const budget = Math.floor(storeAllPeak(instance) * 0.4);
    const at500 = await solve(instance, { solver: "chain-dp", budget, slots: 500 });
    const exact = await solve(instance, { solver: "chain-dp", budget, slots: budget });
    expect(at500.status).toBe("optimal");
    expect(exact.certificate).toMatchObject({ unitBytes: 1 });
    // rotor's unit at S = 500 (the table over rotorDiscretize's sizes, through the same solver code)
    const rotorChain = rotorDiscretize(chainView(instance), budget, instance.fixedBytes, 500) as SlotChain;
    expect(rotorChain.budgetSlots * rotorChain.unit).toBeLessThan(budget);
    const rotorMs = rotorTableMakespan(instance, rotorChain);
    expect(at500.makespanMs as number).toBeLessThanOrEqual(rotorMs);
    // closer to the exact answer than rotor's unit gets
    expect((at500.makespanMs as number) - (exact.makespanMs as number)).toBeLessThan(
      rotorMs - (exact.makespanMs as number),
    );
  });

  it("uses budgets between S and 2S bytes whole, where rotor's unit keeps only S of them", async () => {
    const stage = {
      fwd: 2,
      bwd: 3,
      bytes: 10,
      tapeBytes: 0,
      fwdTemp: 0,
      bwdTemp: 0,
      needs: ["inputs", "output"] as const,
    };
    const instance = buildChain({ inputBytes: 10, stages: Array.from({ length: 12 }, () => stage) });
    const least = await solve(instance, { solver: "chain-dp", objective: "memory" });
    const leastActivation = (least.peakBytes as number) - instance.fixedBytes;
    const slots = Math.floor(0.8 * leastActivation);
    const activation = Math.floor(1.3 * leastActivation);
    expect(activation).toBeGreaterThanOrEqual(slots);
    expect(activation).toBeLessThan(2 * slots);
    const budget = instance.fixedBytes + activation;
    const view = chainView(instance);
    // rotor: one byte per slot, S bytes of the budget; below the least peak, so nothing fits
    expect(slotFeasible(instance, rotorDiscretize(view, budget, instance.fixedBytes, slots))).toBe(false);
    // here: a 10-byte tensor takes ceil(10 S / A) = 7 slots, and the least plan's peak holds a tensor per 10
    // bytes of leastActivation, about 8 slots each
    expect(slotFeasible(instance, discretize(view, budget, instance.fixedBytes, slots))).toBe(true);
    const result = await solve(instance, { solver: "chain-dp", budget, slots });
    expect(result.status).toBe("optimal");
    expect(result.certificate).toMatchObject({ budgetUnits: slots, unitBytes: activation / slots });
  });
});

/** The persistent DP's optimum (plus the input's load) over the slot sizes of `chain`. */
function rotorTableMakespan(instance: Instance, chain: SlotChain): number {
  const view = chainView(instance);
  const edges = segmentEdges(chain.sizes, view.recomputable, view.length);
  const table = fillTimeTable(view, chain, edges);
  const top = tableValue(table, 0, view.length - 1, chain.topSlots);
  return view.inputMs + (top?.timeMs ?? Number.POSITIVE_INFINITY);
}
