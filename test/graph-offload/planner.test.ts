/**
 * The graph-offload planner (solvers/graph-offload/solver.ts; proofs/graph-offload.md, "The planner"):
 * at the same budget it is never slower than graph-mincut nor than any offload heuristic (offload-all,
 * offload-largest, offload-fluid, offload-lp-round), and finds a schedule whenever one of them does, on
 * random DAGs with a link and on zoo op-level graphs over PCIe 4.0 and an edge link; without a link it
 * answers exactly as graph-mincut does; its infeasibility proof (the largest single step's need) is below
 * every schedule's peak; a time limit gives `timeout`, with a schedule only within the budget.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { solveGraphOffload } from "../../solvers/graph-offload/index.js";
import { stepLowerBound } from "../../solvers/graph-offload/memory-bound.js";
import { solve } from "../../solvers/index.js";
import { classLeastPeak } from "../../solvers/offload/least-peak.js";
import { offloadOrder } from "../../solvers/offload/order.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { withHardware } from "../../src/hardware/apply.js";
import { findPreset } from "../../src/hardware/presets.js";
import { loadInstance } from "../../src/instance/load.js";
import type { Instance } from "../../src/instance/types.js";
import { recomputeAllSchedule, storeAllEvaluation } from "../../src/schedule/builders.js";
import { Deadline } from "../../src/time-limit.js";
import { PROPERTY_SEED } from "../arbitraries.js";
import { anyInstance } from "../conformance/instances.js";
import { linkedInstance, withLink } from "../offload/instances.js";

const OFFLOAD_HEURISTICS = ["offload-all", "offload-largest", "offload-fluid", "offload-lp-round"];
/** Relative tolerance for float sums taken in another order. */
const TOLERANCE = 1e-9;

const linked: fc.Arbitrary<Instance> = fc.oneof(
  anyInstance(9).filter((instance) => (instance.hardware?.bandwidth ?? 0) > 0),
  linkedInstance(9),
);

/** graph-offload's result and the fastest makespan of graph-mincut and the offload heuristics (null: none). */
async function sideBySide(instance: Instance, budget: string | number) {
  const ours = await solve(instance, { solver: "graph-offload", budget });
  let others: number | null = null;
  for (const solver of ["graph-mincut", ...OFFLOAD_HEURISTICS]) {
    const result = await solve(instance, { solver, budget });
    if (result.makespanMs !== null) others = Math.min(others ?? Number.POSITIVE_INFINITY, result.makespanMs);
  }
  return { ours, others };
}

function expectNoWorse(ours: Awaited<ReturnType<typeof sideBySide>>, label: string): void {
  if (ours.others === null) return;
  expect(ours.ours.makespanMs, `${label}: graph-offload found no schedule`).not.toBeNull();
  expect(ours.ours.makespanMs as number, label).toBeLessThanOrEqual(ours.others * (1 + TOLERANCE));
}

describe("the graph-offload planner", () => {
  test.prop([linked, fc.integer({ min: 15, max: 110 })], { seed: PROPERTY_SEED, numRuns: 60 })(
    "is never slower than graph-mincut nor than the offload heuristics at the same budget on random DAGs",
    async (instance, percent) => {
      expectNoWorse(await sideBySide(instance, `${percent}%`), `${instance.name} at ${percent}%`);
    },
  );

  const zoo = ["unet-b4-512", "gpt2-small-b8-t1024", "resnet-18-b32-224"];
  for (const network of zoo)
    it(`is never slower than graph-mincut nor than the offload heuristics on the ${network} op graph`, async () => {
      const plain = await loadInstance(`instances/zoo/${network}-op.json`);
      for (const link of ["pcie4", "usb2-flash"]) {
        const preset = findPreset(link);
        if (preset === undefined) throw new Error(`no preset ${link}`);
        const instance = withHardware(plain, preset);
        for (const percent of [40, 60])
          expectNoWorse(await sideBySide(instance, `${percent}%`), `${network} ${link} ${percent}%`);
      }
    }, 120_000);

  test.prop([linked, fc.integer({ min: 15, max: 110 })], { seed: PROPERTY_SEED, numRuns: 40 })(
    "answers exactly as graph-mincut does without a link (no hardware block; instances refuse a zero bandwidth)",
    async (drawn, percent) => {
      const instance = withLink(drawn, null);
      const budget = `${percent}%`;
      const ours = await solve(instance, { solver: "graph-offload", budget });
      const theirs = await solve(instance, { solver: "graph-mincut", budget });
      expect([ours.status, ours.makespanMs, ours.peakBytes, ours.certificate]).toEqual([
        theirs.status,
        theirs.makespanMs,
        theirs.peakBytes,
        theirs.certificate,
      ]);
      expect(ours.schedule).toEqual(theirs.schedule);
    },
  );

  test.prop([linked], { seed: PROPERTY_SEED, numRuns: 60 })(
    "proves infeasibility only below every schedule's peak (the largest single step's need)",
    async (instance) => {
      const bound = stepLowerBound(instance);
      const recompute = evaluate(instance, recomputeAllSchedule(instance));
      if (!recompute.valid) throw new Error(recompute.error.reason);
      expect(bound).toBeLessThanOrEqual(recompute.peakBytes);
      expect(bound).toBeLessThanOrEqual(classLeastPeak(offloadOrder(instance)));
      const least = await solve(instance, { solver: "graph-mincut", objective: "memory" });
      expect(bound).toBeLessThanOrEqual(least.peakBytes as number);
      const below = await solve(instance, { solver: "graph-offload", budget: Math.max(0, bound - 1) });
      expect(below.status).toBe("infeasible");
      expect(below.lowerBoundBytes).toBe(bound);
    },
  );

  test.prop([linked, fc.integer({ min: 15, max: 90 })], { seed: PROPERTY_SEED, numRuns: 20 })(
    "answers timeout when its time limit has passed, with a schedule only within the budget",
    async (instance, percent) => {
      const budgetBytes = Math.floor((storeAllEvaluation(instance).peakBytes * percent) / 100);
      const options = { budgetBytes, objective: "time" as const, slots: 500, timeLimitSec: 1e-9, extra: {} };
      const answer = await solveGraphOffload(instance, options, new Deadline(1e-9, performance.now() - 1));
      expect(answer.status).toBe("timeout");
      if (answer.schedule !== undefined) {
        const evaluation = evaluate(instance, answer.schedule);
        if (!evaluation.valid) throw new Error(evaluation.error.reason);
        expect(evaluation.peakBytes).toBeLessThanOrEqual(budgetBytes);
      }
    },
  );
});
