/**
 * chain-dp's claims on larger chains, checked by the evaluator through solve() (which throws when a
 * claimed makespan differs from the evaluated one, or a peak exceeds the budget): monotone in the
 * budget, linear in the times, exact at the feasibility edge and above the store-all peak, and
 * outright rejection of non-chains.
 * @see ../../proofs/chain-dp.md, claims 2, 5, 6 and 7
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { solveChainDp } from "../../solvers/chain/index.js";
import { solve } from "../../solvers/solve.js";
import { InputError } from "../../src/errors.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { randomChain, randomLayeredDag } from "../../src/generate/families.js";
import { parseInstance } from "../../src/instance/parse.js";
import type { Instance } from "../../src/instance/types.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";
import { parseSchedule } from "../../src/schedule/text.js";
import { buildChain, chainArb } from "./chains.js";

function storeAllOf(instance: Instance) {
  const evaluation = evaluate(instance, storeAllSchedule(instance));
  if (!evaluation.valid) throw new Error("store-all must be valid");
  return evaluation;
}

function scaled(instance: Instance, k: number): Instance {
  return parseInstance({
    ...instance,
    nodes: instance.nodes.map((node) => ({ ...node, fwd: node.fwd * k, bwd: node.bwd * k })),
  });
}

const chainCase = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  length: fc.integer({ min: 1, max: 40 }),
  percent: fc.integer({ min: 5, max: 110 }),
  slots: fc.integer({ min: 10, max: 300 }),
});

describe("chain-dp on random chains", () => {
  test.prop([chainCase], { numRuns: 60, seed: 11 })(
    "claims exactly the evaluator's makespan, within the budget",
    async ({ seed, length, percent, slots }) => {
      const instance = randomChain(seed, length);
      const result = await solve(instance, { solver: "chain-dp", budget: `${percent}%`, slots });
      expect(["optimal", "infeasible"]).toContain(result.status);
      if (result.status === "infeasible")
        expect(result.minFeasibleBudgetBytes).toBeGreaterThan(result.budgetBytes ?? 0);
    },
  );

  test.prop([chainCase, fc.integer({ min: 1, max: 50 })], { numRuns: 40, seed: 12 })(
    "never gets slower when the budget grows",
    async ({ seed, length, percent, slots }, extraPercent) => {
      const instance = randomChain(seed, length);
      const peak = storeAllOf(instance).peakBytes;
      const small = Math.max(1, Math.floor((peak * percent) / 100));
      const large = small + Math.floor((peak * extraPercent) / 100);
      const a = await solve(instance, { solver: "chain-dp", budget: small, slots });
      const b = await solve(instance, { solver: "chain-dp", budget: large, slots });
      if (a.status === "optimal") expect(b.makespanMs as number).toBeLessThanOrEqual(a.makespanMs as number);
    },
  );

  test.prop([chainCase, fc.integer({ min: 2, max: 7 })], { numRuns: 40, seed: 13 })(
    "scales its makespan by k when every time is scaled by k",
    async ({ seed, length, percent, slots }, k) => {
      const instance = randomChain(seed, length);
      const a = await solve(instance, { solver: "chain-dp", budget: `${percent}%`, slots });
      const b = await solve(scaled(instance, k), { solver: "chain-dp", budget: `${percent}%`, slots });
      expect(b.status).toBe(a.status);
      if (a.status === "optimal") expect(b.makespanMs).toBe((a.makespanMs as number) * k);
    },
  );

  test.prop([chainArb(12), fc.integer({ min: 5, max: 200 })], { numRuns: 60, seed: 14 })(
    "is feasible exactly from the least budget it reports",
    async (spec, slots) => {
      const instance = buildChain(spec);
      const tiny = await solve(instance, { solver: "chain-dp", budget: instance.fixedBytes + 1, slots });
      const least =
        tiny.status === "infeasible" ? (tiny.minFeasibleBudgetBytes as number) : instance.fixedBytes + 1;
      expect((await solve(instance, { solver: "chain-dp", budget: least, slots })).status).toBe("optimal");
      if (least > 1)
        expect((await solve(instance, { solver: "chain-dp", budget: least - 1, slots })).status).toBe(
          "infeasible",
        );
    },
  );

  test.prop([chainArb(12), fc.integer({ min: 0, max: 1000 })], { numRuns: 60, seed: 15 })(
    "gives store-all's makespan, without recomputation, at or above the store-all peak",
    async (spec, above) => {
      const instance = buildChain(spec);
      const storeAll = storeAllOf(instance);
      const result = await solve(instance, { solver: "chain-dp", budget: storeAll.peakBytes + above });
      expect(result.makespanMs).toBe(storeAll.makespanMs);
      const evaluation = evaluate(instance, parseSchedule(result.schedule));
      expect(evaluation.valid && evaluation.recomputations).toBe(0);
    },
  );
});

describe("chain-dp edge cases", () => {
  const stage = (bytes: number, fwd = 1) => ({
    fwd,
    bwd: 2,
    bytes,
    tapeBytes: 0,
    fwdTemp: 0,
    bwdTemp: 0,
    needs: ["inputs", "output"] as const,
  });

  it("solves chains of length 1 and 2", async () => {
    for (const stages of [[stage(5)], [stage(5), stage(3)]]) {
      const instance = buildChain({ inputBytes: 4, stages });
      const result = await solve(instance, { solver: "chain-dp", budget: "100%" });
      expect(result.status).toBe("optimal");
      expect(result.makespanMs).toBe(storeAllOf(instance).makespanMs);
    }
  });

  it("never recomputes zero-time stages without need", async () => {
    const instance = buildChain({ inputBytes: 4, stages: Array.from({ length: 8 }, () => stage(10, 0)) });
    const least = (await solve(instance, { solver: "chain-dp", budget: 1, slots: 100_000 }))
      .minFeasibleBudgetBytes as number;
    const peak = storeAllOf(instance).peakBytes;
    for (let budget = least; budget <= peak; budget += 5) {
      const result = await solve(instance, { solver: "chain-dp", budget, slots: 100_000 });
      const evaluation = evaluate(instance, parseSchedule(result.schedule));
      if (!evaluation.valid) throw new Error("invalid");
      // each extra checkpoint frees memory only by recomputing; fewer recomputations need more memory
      const roomier = await solve(instance, { solver: "chain-dp", budget: budget + 5, slots: 100_000 });
      const next = evaluate(instance, parseSchedule(roomier.schedule));
      expect(next.valid && next.recomputations).toBeLessThanOrEqual(evaluation.recomputations);
    }
    const full = evaluate(
      instance,
      parseSchedule((await solve(instance, { solver: "chain-dp", budget: peak })).schedule),
    );
    expect(full.valid && full.recomputations).toBe(0);
  });

  it("runs a non-recomputable stage forward exactly once", async () => {
    const spec = { inputBytes: 4, stages: Array.from({ length: 6 }, (_, l) => stage(10 + l)) };
    const base = buildChain(spec);
    const instance = parseInstance({
      ...base,
      nodes: base.nodes.map((node) => (node.id === "s3" ? { ...node, recomputable: false } : node)),
    });
    const least = (await solve(instance, { solver: "chain-dp", budget: 1 })).minFeasibleBudgetBytes as number;
    const result = await solve(instance, { solver: "chain-dp", budget: least });
    expect(result.status).toBe("optimal");
    expect(result.makespanMs as number).toBeGreaterThan(storeAllOf(instance).makespanMs);
    expect(result.schedule.filter((op) => op === "F s3" || op === "F s3 tape")).toHaveLength(1);
  });

  it("rejects instances that are not chains, with a reason", async () => {
    const dag = randomLayeredDag(3, 4, 3);
    const { chainDp } = await import("../../solvers/chain/index.js");
    expect(chainDp.rejects?.(dag)).toMatch(/must read exactly/);
    await expect(solve(dag, { solver: "chain-dp", budget: "50%" })).rejects.toBeInstanceOf(InputError);
    expect(() =>
      solveChainDp(dag, { budgetBytes: 1e9, objective: "time", slots: 500, timeLimitSec: 10, extra: {} }),
    ).toThrow(InputError);
  });

  it("refuses the floating variant, which it does not implement, as an unknown switch", async () => {
    const error = await solve(randomChain(2, 5), { solver: "chain-dp", extra: { floating: true } }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues[0]).toMatchObject({ code: "option", path: "extra.floating" });
  });

  it("answers timeout with the no-recomputation bound when out of time", () => {
    const instance = randomChain(5, 150);
    const answer = solveChainDp(instance, {
      budgetBytes: storeAllOf(instance).peakBytes / 4,
      objective: "time",
      slots: 2000,
      timeLimitSec: 0.001,
      extra: {},
    });
    expect(answer.status).toBe("timeout");
    expect(answer.lowerBoundMs?.value).toBeGreaterThan(0);
  });
});
