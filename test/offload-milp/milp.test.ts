/**
 * offload-milp against a brute force on tiny chains and DAGs with a host link, its backends against
 * each other, its answers without a link, its switch and its failures (proofs/offload-milp.md, "Tests").
 */
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { solve } from "../../solvers/solve.js";
import { InputError } from "../../src/errors.js";
import { makespanLowerBound } from "../../src/evaluate/bounds.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { parseInstance } from "../../src/instance/parse.js";
import type { Instance } from "../../src/instance/types.js";
import { highsBackend, LpBackendError } from "../../src/lp/index.js";
import { storeAllEvaluation } from "../../src/schedule/builders.js";
import { buildInstance, instanceSpec } from "../conformance/instances.js";
import { bruteForceOffload } from "./brute-force.js";

const SEED = 20261201;
const TOLERANCE = 1e-6;

/** Tiny instances (up to `maxNodes` nodes) with a host link, and a budget between 65% and 100% of store-all's peak. */
function linked(shape: "chain" | "dag", maxNodes: number) {
  return fc
    .tuple(
      instanceSpec(maxNodes),
      fc.record({ bandwidth: fc.integer({ min: 1, max: 30 }), latency: fc.integer({ min: 0, max: 2 }) }),
      fc.integer({ min: 65, max: 99 }),
    )
    .map(([spec, hardware, percent]) => {
      const instance = buildInstance({ ...spec, shape, hardware });
      const budget = Math.max(1, Math.floor((storeAllEvaluation(instance).peakBytes * percent) / 100));
      return { instance, budget };
    });
}

/** Checks the answer's schedule with the evaluator: valid, within the budget, the claimed makespan. */
function checkSchedule(instance: Instance, budget: number, result: Awaited<ReturnType<typeof solve>>) {
  if (result.status === "infeasible" || result.schedule === null || result.schedule === undefined) return;
  const e = evaluate(instance, result.schedule);
  expect(e.valid).toBe(true);
  if (!e.valid) return;
  expect(e.peakBytes).toBeLessThanOrEqual(budget);
  expect(e.makespanMs).toBeCloseTo(result.makespanMs as number, 9);
}

describe("offload-milp", () => {
  it("finds the brute force's optimum on random chains of up to 6 nodes with a host link (those it enumerates within its cap)", async () => {
    let optimal = 0;
    let stalled = 0;
    await fc.assert(
      fc.asyncProperty(linked("chain", 6), async ({ instance, budget }) => {
        const brute = bruteForceOffload(instance, budget);
        fc.pre(!brute.capped);
        const result = await solve(instance, { solver: "offload-milp", budget });
        checkSchedule(instance, budget, result);
        if (brute.makespanMs === undefined) {
          expect(result.status).toBe("infeasible");
          return;
        }
        const bound = result.lowerBoundMs as number;
        expect(bound).toBeLessThanOrEqual(brute.makespanMs * (1 + TOLERANCE));
        // Every schedule offload-milp rebuilds on a chain lies in the brute force's class.
        expect(result.makespanMs as number).toBeGreaterThanOrEqual(brute.makespanMs * (1 - TOLERANCE));
        if (brute.makespanMs > makespanLowerBound(instance)) stalled++;
        if (result.status === "optimal") {
          optimal++;
          expect(result.makespanMs as number).toBeCloseTo(brute.makespanMs, 6);
        }
      }),
      { seed: SEED, numRuns: 60 },
    );
    // Some drawn cases must need stalls (else the property would only check store-all-like answers).
    expect(optimal).toBeGreaterThan(0);
    expect(stalled).toBeGreaterThan(0);
  }, 120_000);

  it("never answers worse than the brute force when optimal, nor bounds above it, on random DAGs of up to 6 nodes (within the cap)", async () => {
    await fc.assert(
      fc.asyncProperty(linked("dag", 6), async ({ instance, budget }) => {
        const brute = bruteForceOffload(instance, budget);
        fc.pre(!brute.capped);
        const result = await solve(instance, { solver: "offload-milp", budget });
        checkSchedule(instance, budget, result);
        if (result.status === "infeasible") {
          expect(brute.makespanMs).toBeUndefined();
          return;
        }
        if (brute.makespanMs === undefined) return;
        expect(result.lowerBoundMs as number).toBeLessThanOrEqual(brute.makespanMs * (1 + TOLERANCE));
        if (result.status === "optimal")
          expect(result.makespanMs as number).toBeLessThanOrEqual(brute.makespanMs * (1 + TOLERANCE));
      }),
      { seed: SEED + 1, numRuns: 30 },
    );
  }, 120_000);

  it("gives the same optimum with HiGHS and GLPK on random chains and DAGs of up to 7 nodes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(linked("chain", 7), linked("dag", 7)), async ({ instance, budget }) => {
        const highs = await solve(instance, { solver: "offload-milp", budget });
        const glpk = await solve(instance, { solver: "offload-milp", budget, extra: { lp: "glpk" } });
        checkSchedule(instance, budget, glpk);
        expect(glpk.status === "infeasible").toBe(highs.status === "infeasible");
        if (highs.status === "optimal" && glpk.status === "optimal")
          expect(glpk.makespanMs as number).toBeCloseTo(highs.makespanMs as number, 6);
      }),
      { seed: SEED + 2, numRuns: 20 },
    );
  }, 120_000);

  // parseInstance refuses bandwidth 0, so "no link" is an instance without a hardware block.
  it("answers exactly as store-all without a link", async () => {
    await fc.assert(
      fc.asyncProperty(linked("dag", 7), async ({ instance, budget }) => {
        const { hardware: _, ...rest } = JSON.parse(JSON.stringify(instance));
        const unlinked = parseInstance(rest);
        const milp = await solve(unlinked, { solver: "offload-milp", budget });
        const storeAll = await solve(unlinked, { solver: "store-all", budget });
        expect(milp.status).toBe(storeAll.status);
        expect(milp.makespanMs).toBe(storeAll.makespanMs);
        expect(milp.status).toBe(budget >= storeAllEvaluation(unlinked).peakBytes ? "optimal" : "infeasible");
      }),
      { seed: SEED + 3, numRuns: 20 },
    );
  });

  it("refuses an unknown lp backend naming the switch", async () => {
    const { instance, budget } = fc.sample(linked("chain", 5), { seed: SEED, numRuns: 1 })[0] as {
      instance: Instance;
      budget: number;
    };
    const error = await solve(instance, { solver: "offload-milp", budget, extra: { lp: "cplex" } }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues.map((i) => [i.code, i.path])).toEqual([["option", "extra.lp"]]);
  });

  describe("when the backend fails", () => {
    afterEach(() => vi.restoreAllMocks());

    it("throws an LpBackendError naming the backend", async () => {
      const instance = hardChain();
      vi.spyOn(highsBackend, "solve").mockRejectedValue(new LpBackendError("highs", "the runtime crashed"));
      const error = await solve(instance, { solver: "offload-milp", budget: "50%" }).catch((e) => e);
      expect(error).toBeInstanceOf(LpBackendError);
      expect((error as LpBackendError).backend).toBe("highs");
    });
  });

  it("returns the best schedule with the backend's bound when the time limit stops it", async () => {
    const instance = hardChain(24);
    const result = await solve(instance, { solver: "offload-milp", budget: "45%", timeLimitSec: 0.3 });
    expect(["timeout", "optimal"]).toContain(result.status);
    checkSchedule(instance, result.budgetBytes as number, result);
    expect(result.makespanMs).not.toBeNull();
    expect(result.lowerBoundMs as number).toBeLessThanOrEqual(result.makespanMs as number);
  });
});

/** A chain of `length` stages whose transfers take about as long as its compute, so offloading stalls. */
function hardChain(length = 10): Instance {
  const nodes = [{ id: "x", fwd: 0, bwd: 0, bytes: 40, recomputable: false }];
  for (let i = 1; i <= length; i++)
    nodes.push({
      id: `s${i}`,
      fwd: 1 + (i % 3),
      bwd: 2 + (i % 4),
      bytes: 10 + ((i * 37) % 50),
      inputs: [nodes[i - 1]?.id as string],
    } as never);
  return parseInstance({
    format: "remat-instance/1",
    name: "hard-chain",
    source: "test",
    fixedBytes: 0,
    hardware: { bandwidth: 8, latency: 0.5 },
    nodes,
  });
}
