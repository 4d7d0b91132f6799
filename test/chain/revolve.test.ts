/**
 * revolve: the closed form t n - beta(s+1, t-1) equals the dynamic program E(n, s); the emitted
 * schedule, judged by the evaluator, makes exactly E(n, c) recomputations and costs
 * n (u_f + u_b) + E(n, c) u_f; chain-dp at revolve's peak is never slower, and equal in Revolve's
 * own model (a taped step too large to hold twice, no gradients, so that memory counts snapshots).
 * @see ../../proofs/chain-dp.md, claim 8
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { beta, extraForwards, extraForwardsByDp } from "../../solvers/chain/index.js";
import { solve } from "../../solvers/solve.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { randomChain } from "../../src/generate/families.js";
import { parseSchedule } from "../../src/schedule/text.js";
import { buildChain } from "./chains.js";

const FWD = 3;
const BWD = 5;

/** A homogeneous chain; `revolveModel` makes remat's memory count snapshots as Revolve does. */
function homogeneous(n: number, revolveModel: boolean) {
  return buildChain({
    inputBytes: 10,
    stages: Array.from({ length: n }, () => ({
      fwd: FWD,
      bwd: BWD,
      bytes: 10,
      tapeBytes: revolveModel ? 1000 : 7,
      fwdTemp: 0,
      bwdTemp: revolveModel ? 0 : 4,
      needs: ["inputs", "output"] as const,
      ...(revolveModel ? { gradBytes: 0 } : {}),
    })),
  });
}

describe("binomial checkpointing", () => {
  it("has the closed form of Griewank and Walther equal to the dynamic program E(n, s)", () => {
    for (let s = 1; s <= 6; s++)
      for (let n = 1; n <= 60; n++) expect(extraForwards(n, s)).toBe(extraForwardsByDp(n, s));
    expect(beta(3, 2)).toBe(10);
    expect(extraForwards(10, 1)).toBe(45);
  });

  test.prop([fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 6 }), fc.boolean()], {
    numRuns: 60,
    seed: 41,
  })(
    "emits schedules with E(n, c) recomputations that chain-dp never beats in Revolve's model",
    async (n, c, revolveModel) => {
      const instance = homogeneous(n, revolveModel);
      const result = await solve(instance, { solver: "revolve", budget: "100%", extra: { snapshots: c } });
      expect(result.status).toBe("feasible");
      const evaluation = evaluate(instance, parseSchedule(result.schedule));
      if (!evaluation.valid) throw new Error("invalid");
      expect(evaluation.recomputations).toBe(extraForwards(n, c));
      expect(result.makespanMs).toBe(n * (FWD + BWD) + extraForwards(n, c) * FWD);
      const dp = await solve(instance, {
        solver: "chain-dp",
        budget: result.peakBytes as number,
        slots: 1_000_000,
      });
      if (revolveModel) expect(dp.makespanMs).toBe(result.makespanMs);
      else expect(dp.makespanMs as number).toBeLessThanOrEqual(result.makespanMs as number);
    },
  );

  it("picks the most snapshots that fit the budget, or says the least budget", async () => {
    const instance = homogeneous(12, false);
    const one = await solve(instance, { solver: "revolve", budget: "100%", extra: { snapshots: 1 } });
    const tight = await solve(instance, { solver: "revolve", budget: one.peakBytes as number });
    expect(tight.status).toBe("feasible");
    expect(tight.stats.snapshots).toBe(1);
    const below = await solve(instance, { solver: "revolve", budget: (one.peakBytes as number) - 1 });
    expect(below.status).toBe("infeasible");
    expect(below.minFeasibleBudgetBytes).toBe(one.peakBytes);
    const roomy = await solve(instance, { solver: "revolve", budget: "100%" });
    expect(roomy.stats.snapshots as number).toBeGreaterThan(1);
  });

  it("rejects chains whose stages differ in time", async () => {
    const { revolve } = await import("../../solvers/chain/index.js");
    expect(revolve.rejects?.(randomChain(1, 5))).toMatch(/equal times/);
  });
});
