/**
 * The chain family's walks are loops (STYLE.md, "No recursion over instance-sized structures") with
 * the output of the recursive versions they replaced (recursive-reference.ts): the same plans from the
 * table, the edges and Revolve, the same schedules and the same float makespans; a plan's peak read
 * off its moves equals the evaluator's; and plans 20,000 deep are walked without a stack overflow.
 * @see ../../proofs/chain-dp.md, "From the table to a schedule" and "Revolve"
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { leastAdvance } from "../../solvers/chain/binomial.js";
import { chainView } from "../../solvers/chain/chain-view.js";
import { byteSizes, discretize } from "../../solvers/chain/discretize.js";
import { edgePlan, segmentEdges } from "../../solvers/chain/feasibility.js";
import {
  allChainPlan,
  type ChainPlan,
  planInstructionCount,
  planSchedule,
  planTimeMs,
} from "../../solvers/chain/plan.js";
import { planNeed } from "../../solvers/chain/plan-memory.js";
import { tablePlan } from "../../solvers/chain/reconstruct.js";
import { revolvePlan } from "../../solvers/chain/snapshots.js";
import { fillTimeTable } from "../../solvers/chain/table.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { randomChain } from "../../src/generate/families.js";
import { parseInstance } from "../../src/instance/parse.js";
import type { Instance } from "../../src/instance/types.js";
import { buildChain, chainArb } from "./chains.js";
import {
  edgePlanRecursive,
  extraForwardsTable,
  optimalAdvanceByScan,
  planScheduleRecursive,
  planTimeMsRecursive,
  revolvePlanRecursive,
  tablePlanRecursive,
} from "./recursive-reference.js";

/** The instance with every time multiplied by an awkward factor, so that float sums depend on their order. */
function awkwardTimes(instance: Instance): Instance {
  return parseInstance({
    ...instance,
    nodes: instance.nodes.map((node) => ({
      ...node,
      fwd: node.fwd * 0.7310585786,
      bwd: node.bwd * 1.1234567891,
    })),
  });
}

/** Every plan the family builds for `instance` at `activationBytes` and `slots`: table, edges, Revolve. */
function plansOf(instance: Instance, activationBytes: number, slots: number, c: number) {
  const view = chainView(instance);
  const L = view.length;
  const plans: { readonly name: string; readonly plan: ChainPlan; readonly reference: ChainPlan }[] = [];
  const exact = segmentEdges(byteSizes(view), view.recomputable, L);
  plans.push({
    name: "edges",
    plan: edgePlan(exact, 0, L - 1),
    reference: edgePlanRecursive(exact, 0, L - 1),
  });
  const chain = discretize(view, instance.fixedBytes + activationBytes, instance.fixedBytes, slots);
  if (chain !== undefined) {
    const edges = segmentEdges(chain.sizes, view.recomputable, L);
    if (chain.topSlots >= (edges.need[L - 1] as number)) {
      const table = fillTimeTable(view, chain, edges);
      plans.push({
        name: "table",
        plan: tablePlan(table, 0, L - 1, chain.topSlots),
        reference: tablePlanRecursive(table, 0, L - 1, chain.topSlots),
      });
    }
  }
  const snapshots = Math.min(c, L);
  plans.push({
    name: "revolve",
    plan: revolvePlan(0, L - 1, snapshots),
    reference: revolvePlanRecursive(extraForwardsTable(L, snapshots), 0, L - 1, snapshots),
  });
  return plans;
}

const planCase = fc.tuple(
  chainArb(10),
  fc.integer({ min: 1, max: 400 }),
  fc.integer({ min: 3, max: 300 }),
  fc.integer({ min: 1, max: 6 }),
);

describe("the chain family's walks, as loops", () => {
  test.prop([planCase], { numRuns: 150, seed: 101 })(
    "build the plans, schedules and float makespans the recursive versions built",
    ([spec, activationBytes, slots, c]) => {
      const instance = awkwardTimes(buildChain(spec));
      const view = chainView(instance);
      for (const { plan, reference } of plansOf(instance, activationBytes, slots, c)) {
        expect(plan).toEqual(reference);
        const schedule = planSchedule(view, plan);
        expect(schedule).toEqual(planScheduleRecursive(view, reference));
        expect(planInstructionCount(plan)).toBe(schedule.length);
        expect(planTimeMs(view, plan)).toBe(planTimeMsRecursive(view, reference));
      }
    },
  );

  test.prop([planCase], { numRuns: 150, seed: 102 })(
    "read a plan's peak off its moves exactly as the evaluator measures it",
    ([spec, activationBytes, slots, c]) => {
      const instance = buildChain(spec);
      const view = chainView(instance);
      for (const { plan } of [
        ...plansOf(instance, activationBytes, slots, c),
        { plan: allChainPlan(0, view.length - 1) },
      ]) {
        const evaluation = evaluate(instance, planSchedule(view, plan));
        if (!evaluation.valid) throw new Error(`invalid: ${evaluation.error.reason}`);
        expect(
          instance.fixedBytes + (view.x[0] as number) + planNeed(byteSizes(view), plan, view.length),
        ).toBe(evaluation.peakBytes);
      }
    },
  );

  it("finds Revolve's least optimal advance by bisection as the scan did", () => {
    const table = extraForwardsTable(160, 12);
    for (let s = 1; s <= 12; s++)
      for (let n = 2; n <= 160; n++) expect(leastAdvance(n, s)).toBe(optimalAdvanceByScan(table, n, s));
  });

  it("walks plans 20,000 deep without overflowing the stack", () => {
    const L = 20_000;
    const view = chainView(randomChain(3, L));
    const deep = allChainPlan(0, L - 1);
    expect(planSchedule(view, deep)).toHaveLength(3 * L + 2);
    expect(planInstructionCount(deep)).toBe(3 * L + 2);
    expect(planTimeMs(view, deep)).toBeGreaterThan(0);
    expect(planNeed(byteSizes(view), deep, L)).toBeGreaterThan(0);
    // Revolve with one snapshot: a left spine 20,000 leaves deep (L^2 / 2 forwards: count, do not emit)
    const spine = revolvePlan(0, L - 1, 1);
    expect(planInstructionCount(spine)).toBe(2 + 3 * L + L * (L - 1));
    expect(planNeed(byteSizes(view), spine, L)).toBeGreaterThan(0);
  });
});
