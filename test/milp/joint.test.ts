/**
 * milp-offload (solvers/milp/joint.ts; proofs/milp.md, "The joint model"): without a link it is milp;
 * with a link it never answers slower than milp (the grid-offload class holds the stage grid); with
 * recomputation forbidden it never beats the offload class's brute-force optimum (grid-offload is then
 * a subclass of it) and meets it where the offload class's best copies in production order.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { solve } from "../../solvers/solve.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import type { Instance } from "../../src/instance/types.js";
import { storeAllEvaluation } from "../../src/schedule/builders.js";
import { buildInstance, type InstanceSpec, instanceSpec } from "../conformance/instances.js";
import { bruteForceOffload } from "../offload-milp/brute-force.js";

const SEED = 20261202;
const TOLERANCE = 1e-6;

/** Tiny instances with or without a link (and with or without recomputation), at 50% to 99% of store-all's peak. */
function drawn(maxNodes: number, link: boolean, recompute: boolean, shape?: "chain" | "dag") {
  return fc
    .tuple(
      instanceSpec(maxNodes),
      fc.record({ bandwidth: fc.integer({ min: 1, max: 30 }), latency: fc.integer({ min: 0, max: 2 }) }),
      fc.integer({ min: 40, max: 99 }),
    )
    .map(([spec, hardware, percent]) => {
      const nodes = recompute ? spec.nodes : spec.nodes.map((node) => ({ ...node, recomputable: false }));
      const full: InstanceSpec = {
        ...spec,
        nodes,
        ...(shape === undefined ? {} : { shape }),
        hardware: link ? hardware : null,
      };
      const instance = buildInstance(full);
      const budget = Math.max(1, Math.floor((storeAllEvaluation(instance).peakBytes * percent) / 100));
      return { instance, budget };
    });
}

/** The evaluator's verdict on an answer's schedule: valid, within the budget, the claimed makespan. */
function checkSchedule(instance: Instance, budget: number, result: Awaited<ReturnType<typeof solve>>) {
  if (result.status === "infeasible" || result.schedule === null || result.schedule === undefined) return;
  const e = evaluate(instance, result.schedule);
  expect(e.valid).toBe(true);
  if (!e.valid) return;
  expect(e.peakBytes).toBeLessThanOrEqual(budget);
  expect(e.makespanMs).toBeCloseTo(result.makespanMs as number, 9);
}

const close = (a: number, b: number) => Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(b));

describe("milp-offload", () => {
  it("answers exactly as milp on random DAGs without a link", async () => {
    await fc.assert(
      fc.asyncProperty(drawn(7, false, true), async ({ instance, budget }) => {
        const joint = await solve(instance, { solver: "milp-offload", budget });
        const plain = await solve(instance, { solver: "milp", budget });
        expect(joint.status).toBe(plain.status);
        if (plain.makespanMs !== null) expect(close(joint.makespanMs as number, plain.makespanMs)).toBe(true);
      }),
      { seed: SEED, numRuns: 25 },
    );
  });

  it("never answers slower than milp when both prove optimality with a link, and fits or speeds up some budgets milp cannot", async () => {
    let gained = 0;
    await fc.assert(
      fc.asyncProperty(drawn(7, true, true), async ({ instance, budget }) => {
        const joint = await solve(instance, { solver: "milp-offload", budget, timeLimitSec: 5 });
        const plain = await solve(instance, { solver: "milp", budget, timeLimitSec: 5 });
        checkSchedule(instance, budget, joint);
        if (plain.status === "optimal") expect(joint.status).not.toBe("infeasible");
        const jointMs = joint.makespanMs;
        if (jointMs !== null && (plain.makespanMs === null || jointMs < plain.makespanMs * (1 - TOLERANCE)))
          gained++;
        if (joint.status !== "optimal" || plain.status !== "optimal") return;
        expect(jointMs as number).toBeLessThanOrEqual((plain.makespanMs as number) * (1 + TOLERANCE));
      }),
      { seed: SEED, numRuns: 40 },
    );
    // Offloading must matter somewhere in 40 drawn cases, or the joint model's transfers are dead.
    expect(gained).toBeGreaterThan(0);
  }, 300_000);

  it("never beats the offload class's brute-force optimum with recomputation forbidden", async () => {
    let equal = 0;
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(drawn(6, true, false, "chain"), async ({ instance, budget }) => {
        const brute = bruteForceOffload(instance, budget);
        fc.pre(!brute.capped);
        const joint = await solve(instance, { solver: "milp-offload", budget });
        checkSchedule(instance, budget, joint);
        if (brute.makespanMs === undefined) {
          expect(joint.status).toBe("infeasible");
          return;
        }
        if (joint.makespanMs === null) return;
        expect(joint.makespanMs).toBeGreaterThanOrEqual(brute.makespanMs * (1 - TOLERANCE));
        compared++;
        if (close(joint.makespanMs, brute.makespanMs)) equal++;
      }),
      { seed: SEED, numRuns: 30 },
    );
    console.log(`milp-offload equals the brute force on ${equal} of ${compared}`);
  });
});
