/**
 * milp against an exhaustive search of its class on tiny DAGs (test/milp/grid-exhaustive.ts), its
 * schedules' membership in the stage grid, and the incumbents' membership (proofs/milp.md, "Tests").
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodePlan } from "../../solvers/milp/decode.js";
import { stageGrid } from "../../solvers/milp/grid.js";
import { inStageGrid } from "../../solvers/milp/membership.js";
import { buildGridModel, gridBinaries } from "../../solvers/milp/model.js";
import { rebuildSchedule } from "../../solvers/milp/rebuild.js";
import { milpStart } from "../../solvers/milp/start.js";
import { solve } from "../../solvers/solve.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import type { Instance } from "../../src/instance/types.js";
import { keepSchedule, recomputeAllSchedule, storeAllEvaluation } from "../../src/schedule/builders.js";
import { parseSchedule } from "../../src/schedule/text.js";
import { NO_DEADLINE } from "../../src/time-limit.js";
import { buildDag, type DagSpec, dagArb } from "../graph/dags.js";
import { gridOptimum } from "./grid-exhaustive.js";

const SEED = 20261202;
const TOLERANCE = 1e-6;

/**
 * A tiny DAG (tapes dropped when `tapes` is false) and a budget between recompute-all's peak (or
 * store-all's, when lower) and store-all's, where recomputation decides the optimum.
 */
function tinyDag(maxNodes: number, tapes: boolean) {
  return fc.tuple(dagArb(maxNodes), fc.integer({ min: 0, max: 100 })).map(([spec, percent]) => {
    const own: DagSpec = tapes
      ? spec
      : { ...spec, nodes: spec.nodes.map((node) => ({ ...node, tapeBytes: 0 })) };
    const instance = buildDag(own);
    const high = storeAllEvaluation(instance).peakBytes;
    const least = evaluate(instance, recomputeAllSchedule(instance));
    const low = least.valid ? Math.min(least.peakBytes, high) : high;
    return { instance, budget: Math.floor(low + ((high - low) * percent) / 100) - (percent === 0 ? 1 : 0) };
  });
}

/** Checks a result's schedule with the evaluator and its membership in the grid. */
function checkResult(instance: Instance, budget: number, result: Awaited<ReturnType<typeof solve>>) {
  if (result.schedule.length === 0) return;
  const schedule = parseSchedule(result.schedule);
  const e = evaluate(instance, schedule);
  expect(e.valid).toBe(true);
  if (!e.valid) return;
  expect(e.peakBytes).toBeLessThanOrEqual(budget);
  expect(e.makespanMs).toBe(result.makespanMs);
  expect(inStageGrid(stageGrid(instance), schedule)).toBe(true);
}

describe("milp", () => {
  it("equals the exhaustive optimum of the stage grid on tiny DAGs without tapes", {
    timeout: 240_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(tinyDag(5, false), async ({ instance, budget }) => {
        const exact = gridOptimum(instance, budget);
        const result = await solve(instance, { solver: "milp", budget, extra: { warmStart: false } });
        const warm = await solve(instance, { solver: "milp", budget });
        checkResult(instance, budget, result);
        checkResult(instance, budget, warm);
        expect(warm.status).toBe(result.status);
        expect(warm.makespanMs).toBeCloseTo(result.makespanMs ?? 0, 6);
        if (exact === undefined) {
          expect(result.status).toBe("infeasible");
          return;
        }
        const e = evaluate(instance, exact.schedule);
        expect(e.valid && e.peakBytes <= budget && Math.abs(e.makespanMs - exact.makespanMs) < 1e-9).toBe(
          true,
        );
        expect(result.status).toBe("optimal");
        expect(Math.abs((result.makespanMs as number) - exact.makespanMs)).toBeLessThanOrEqual(
          TOLERANCE * Math.max(1, exact.makespanMs),
        );
      }),
      { seed: SEED, numRuns: 30 },
    );
  });

  it("equals the exhaustive optimum of the stage grid on tiny DAGs with tapes", {
    timeout: 240_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(tinyDag(3, true), async ({ instance, budget }) => {
        const exact = gridOptimum(instance, budget);
        const result = await solve(instance, { solver: "milp", budget, extra: { warmStart: false } });
        checkResult(instance, budget, result);
        if (exact === undefined) {
          expect(result.status).toBe("infeasible");
          return;
        }
        expect(result.status).toBe("optimal");
        expect(Math.abs((result.makespanMs as number) - exact.makespanMs)).toBeLessThanOrEqual(
          TOLERANCE * Math.max(1, exact.makespanMs),
        );
      }),
      { seed: SEED + 1, numRuns: 40 },
    );
  });

  it("counts the model's binaries before building it", () => {
    fc.assert(
      fc.property(dagArb(8), (spec) => {
        const instance = buildDag(spec);
        const grid = stageGrid(instance);
        const built = buildGridModel(grid, {
          budgetBytes: 1000,
          fixedBytes: instance.fixedBytes,
          deadline: NO_DEADLINE,
        });
        expect(gridBinaries(grid)).toBe(built.binaries);
        expect(built.model.variables.filter((v) => v.kind === "binary").length).toBe(built.binaries);
      }),
      { seed: SEED + 3, numRuns: 100 },
    );
  });

  it("maps a checkpoint schedule to a grid point whose rebuilt schedule is no slower and peaks no higher", () => {
    fc.assert(
      fc.property(dagArb(7), fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }), (spec, keep) => {
        const instance = buildDag(spec);
        const grid = stageGrid(instance);
        const schedule = keepSchedule(
          instance,
          instance.nodes.flatMap((_, v) => (keep[v] ? [v] : [])),
        );
        const before = evaluate(instance, schedule);
        const built = buildGridModel(grid, {
          budgetBytes: 1e9,
          fixedBytes: instance.fixedBytes,
          deadline: NO_DEADLINE,
        });
        const start = milpStart(grid, built.columns, schedule);
        const values = new Float64Array(built.model.variables.length);
        start.indices.forEach((column, k) => {
          values[column] = start.values[k] as number;
        });
        const plan = decodePlan(grid, built.columns, values);
        expect(plan).toBeDefined();
        if (plan === undefined || !before.valid) return;
        const after = evaluate(instance, rebuildSchedule(grid, plan));
        expect(after.valid).toBe(true);
        if (!after.valid) return;
        expect(after.makespanMs).toBeLessThanOrEqual(before.makespanMs + 1e-9);
        expect(after.peakBytes).toBeLessThanOrEqual(before.peakBytes);
      }),
      { seed: SEED + 4, numRuns: 200 },
    );
  });

  it("holds every checkpoint schedule in the stage grid", () => {
    fc.assert(
      fc.property(dagArb(7), fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }), (spec, keep) => {
        const instance = buildDag(spec);
        const kept = instance.nodes.flatMap((_, v) => (keep[v] ? [v] : []));
        expect(inStageGrid(stageGrid(instance), keepSchedule(instance, kept))).toBe(true);
      }),
      { seed: SEED + 2, numRuns: 200 },
    );
  });
});
