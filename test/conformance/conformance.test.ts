/**
 * One conformance suite over the whole solver registry (STYLE.md, "Tests"): every registered solver, on
 * every drawn instance it accepts, at several budgets and each of its objectives, is checked
 * independently of its claims. A solver added to solvers/registry.ts is covered without a test of its own.
 *
 * Per answer: the schedule is valid and within the budget by the evaluator, and the result's numbers
 * are the evaluator's; every bound is at most the answer's cost and at most the enumerated optimum of
 * its class; the enumerated optimum of the class the solver emits is never worse than its answer, and
 * equals it for optimal answers over that class; a proven infeasibility means no class member fits.
 * Across budgets: exact answers over a budget-independent class never get worse as the budget grows.
 * Laws: times x k give makespans x k with the same statuses and peaks; renaming every node gives the
 * same answer with the schedule renamed; a zero-cost pass-through node never makes an exact answer worse.
 *
 * `REMAT_PROPERTY_RUNS` multiplies the number of runs (e.g. 20 for a long run); the seed is fixed.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, vi } from "vitest";
import { solve, solvers } from "../../solvers/index.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { graphOf } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";
import type { Certificate, Objective, ScheduleClass } from "../../src/optimality.js";
import { storeAllEvaluation } from "../../src/schedule/builders.js";
import { parseSchedule } from "../../src/schedule/text.js";
import type { SolveResult } from "../../src/solve-result.js";
import type { Solver } from "../../src/solver.js";
import { PROPERTY_SEED } from "../arbitraries.js";
import { classEvaluations, classOptimum } from "./class-optimum.js";
import { anyInstance } from "./instances.js";
import { insertPassThrough, relabel, renameSchedule, renaming, scaleTimes } from "./transforms.js";

const RUNS = Math.max(1, Number(process.env.REMAT_PROPERTY_RUNS ?? 1));
// A longer run gets proportionally longer per property (each property is one test of many runs). The
// first property solves every registered solver at drawn switches: 56 s at load 7 on 2 cores, three
// quarters of it milp's (HiGHS in WASM); milp-offload adds about 9 s, so each property gets 180 s.
vi.setConfig({ testTimeout: 180_000 * RUNS });
const runs = (base: number) => Math.round(base * RUNS);
/** Relative tolerance for float sums taken in another order. */
const TOLERANCE = 1e-9;

/** Budgets as percentages of the store-all peak, ascending. */
const budgets = fc
  .uniqueArray(fc.integer({ min: 10, max: 130 }), { minLength: 1, maxLength: 3 })
  .map((list) => [...list].sort((a, b) => a - b));

/** A kept set for solvers that read `checkpoints`: a bitmask over the nodes. */
const keptMask = fc.nat({ max: 2 ** 12 - 1 });

function keptIds(instance: Instance, mask: number): string[] {
  return instance.nodes.filter((_, v) => ((mask >>> v) & 1) === 1).map((node) => node.id);
}

function accepting(instance: Instance): Solver[] {
  return solvers.filter((solver) => solver.rejects?.(instance) === undefined);
}

/**
 * Switch values drawn from a solver's own table, so that every code path its switches reach is tried:
 * each integer or number at its minimum, its default or halfway between (never above the default, so the
 * suite stays fast), each choice and boolean any of its values, lists at their default.
 */
function drawnSwitches(solver: Solver, picks: readonly number[]): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  Object.entries(solver.switches).forEach(([key, spec], index) => {
    const pick = picks[index % Math.max(1, picks.length)] ?? 0;
    if (spec.type === "integer" || spec.type === "number") {
      const values = [spec.default, spec.min, Math.floor((spec.min + spec.default) / 2)];
      extra[key] = values[pick % values.length];
    } else if (spec.type === "choice") extra[key] = spec.values[pick % spec.values.length];
    else if (spec.type === "boolean") extra[key] = pick % 2 === 1;
  });
  return extra;
}

async function solveWith(
  solver: Solver,
  instance: Instance,
  objective: Objective,
  percent: number,
  mask: number,
  picks: readonly number[] = [],
) {
  return solve(instance, {
    solver: solver.name,
    objective,
    budget: `${percent}%`,
    ...(solver.reads.includes("checkpoints") ? { checkpoints: keptIds(instance, mask) } : {}),
    ...(picks.length === 0 ? {} : { extra: drawnSwitches(solver, picks) }),
  });
}

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

function cost(result: SolveResult, objective: Objective): number | null {
  return objective === "time" ? result.makespanMs : result.peakBytes;
}

/** The evaluator agrees with the result, the schedule fits, every bound is at most the cost. */
function checkAgainstEvaluator(instance: Instance, result: SolveResult): void {
  const label = `${result.solver} ${result.status} at ${result.options.budget}`;
  if (result.schedule.length === 0) {
    expect(["infeasible", "timeout"], label).toContain(result.status);
    return;
  }
  const evaluation = evaluate(instance, parseSchedule(result.schedule));
  if (!evaluation.valid) throw new Error(`${label}: invalid schedule: ${evaluation.error.reason}`);
  expect(evaluation.makespanMs, label).toBe(result.makespanMs);
  expect(evaluation.peakBytes, label).toBe(result.peakBytes);
  expect(evaluation.peakBytes, label).toBeLessThanOrEqual(result.budgetBytes ?? Number.POSITIVE_INFINITY);
  for (const bound of result.bounds) {
    const value = bound.objective === "time" ? evaluation.makespanMs : evaluation.peakBytes;
    expect(bound.value, `${label} ${bound.objective} bound`).toBeLessThanOrEqual(value * (1 + TOLERANCE));
  }
}

/** The enumerated optima of every class that can be enumerated on this instance. */
function optimaOf(instance: Instance) {
  const classes: ScheduleClass[] = [
    "checkpoint",
    "persistent-chain",
    "offload",
    "offload-chain",
    "stage-grid",
  ];
  const tables = new Map(classes.map((over) => [over, classEvaluations(instance, over)] as const));
  return (over: ScheduleClass, objective: Objective, budgetBytes: number) => {
    const evaluations = tables.get(over);
    return evaluations === undefined
      ? { known: false as const }
      : { known: true as const, value: classOptimum(evaluations, objective, budgetBytes) };
  };
}

/** Bounds, answers and certificates against the enumerated class optima. */
function checkAgainstClasses(
  solver: Solver,
  result: SolveResult,
  optimum: ReturnType<typeof optimaOf>,
): void {
  const budget = result.budgetBytes ?? Number.POSITIVE_INFINITY;
  const objective = result.objective;
  const label = `${solver.name} ${objective} at ${result.options.budget}`;
  const answer = cost(result, objective);
  const emitted = solver.emits[objective] ?? "all";
  const own = optimum(emitted, objective, budget);
  if (own.known && answer !== null)
    expect(own.value, `${label}: class optimum vs answer`).toBeLessThanOrEqual(answer * (1 + TOLERANCE));
  for (const bound of result.bounds) {
    const classes: ScheduleClass[] =
      bound.over === "all" ? ["checkpoint", "persistent-chain", "offload", "offload-chain"] : [bound.over];
    for (const over of classes) {
      if (result.status === "infeasible" && bound.objective === "memory" && bound.value > budget) {
        const fits = optimum(over, "memory", budget);
        if (fits.known) expect(fits.value, `${label}: proven infeasible over ${over}`).toBeUndefined();
      }
      // a memory bound holds for every schedule; a time bound for those within the budget
      const reference = optimum(
        over,
        bound.objective,
        bound.objective === "memory" ? Number.POSITIVE_INFINITY : budget,
      );
      if (reference.known && reference.value !== undefined)
        expect(bound.value, `${label}: ${bound.objective} bound over ${over}`).toBeLessThanOrEqual(
          reference.value * (1 + TOLERANCE),
        );
    }
  }
  if (result.certificate !== null && answer !== null) {
    const reference = optimum(result.certificate.over, objective, budget);
    if (reference.known && reference.value !== undefined) {
      expect(answer, `${label}: optimal over ${result.certificate.over}`).toBeLessThanOrEqual(
        reference.value * (1 + TOLERANCE),
      );
      if (result.certificate.over === emitted) expect(close(answer, reference.value), label).toBe(true);
    }
  }
}

/** Whether a certificate's class is the same at every budget (so optima must be monotone in it). */
function budgetFree(certificate: Certificate | null): string | undefined {
  if (certificate === null) return undefined;
  if (certificate.kind === "dynamic-program" && certificate.unitBytes !== 1) return undefined;
  return certificate.over;
}

describe("every registered solver", () => {
  test.prop([anyInstance(8), budgets, keptMask, fc.array(fc.nat({ max: 5 }), { maxLength: 16 })], {
    seed: PROPERTY_SEED,
    numRuns: runs(70),
  })(
    "answers validly within budget, with bounds and class optima in order, monotone where exact, at any switches",
    async (instance, percents, mask, picks) => {
      const optimum = optimaOf(instance);
      for (const solver of accepting(instance))
        for (const objective of solver.objectives) {
          let previous: SolveResult | undefined;
          for (const percent of percents) {
            const result = await solveWith(solver, instance, objective, percent, mask, picks);
            checkAgainstEvaluator(instance, result);
            checkAgainstClasses(solver, result, optimum);
            const exactNow = budgetFree(result.certificate);
            if (
              previous !== undefined &&
              exactNow !== undefined &&
              exactNow === budgetFree(previous.certificate)
            )
              expect(cost(result, objective) as number, `${solver.name} monotone`).toBeLessThanOrEqual(
                (cost(previous, objective) as number) * (1 + TOLERANCE),
              );
            previous = result;
          }
        }
    },
  );

  test.prop([anyInstance(8), budgets, fc.integer({ min: 2, max: 4 }), keptMask], {
    seed: PROPERTY_SEED,
    numRuns: runs(30),
  })("scales makespans by k when every time is scaled by k", async (instance, percents, k, mask) => {
    const scaled = scaleTimes(instance, k);
    for (const solver of accepting(instance))
      for (const objective of solver.objectives)
        for (const percent of percents) {
          const plain = await solveWith(solver, instance, objective, percent, mask);
          const times = await solveWith(solver, scaled, objective, percent, mask);
          const label = `${solver.name} ${objective} ${percent}% x${k}`;
          expect(times.status, label).toBe(plain.status);
          // an LP backend picks among equally fast schedules by its numerics, which the scaling changes
          // (offload-milp: peaks of 288 and 287 bytes at equal makespans on a drawn 8-node DAG)
          if ("lp" in solver.switches && times.peakBytes !== null)
            expect(times.peakBytes, label).toBeLessThanOrEqual(times.budgetBytes ?? Number.POSITIVE_INFINITY);
          else expect(times.peakBytes, label).toBe(plain.peakBytes);
          if (plain.makespanMs !== null)
            expect(close(times.makespanMs as number, plain.makespanMs * k), label).toBe(true);
        }
  });

  test.prop([anyInstance(8), budgets, keptMask], { seed: PROPERTY_SEED, numRuns: runs(30) })(
    "gives the same answer, schedule renamed, when every node is renamed",
    async (instance, percents, mask) => {
      const renamed = relabel(instance);
      const names = renaming(instance);
      for (const solver of accepting(instance))
        for (const objective of solver.objectives)
          for (const percent of percents) {
            const plain = await solveWith(solver, instance, objective, percent, mask);
            const other = await solve(renamed, {
              solver: solver.name,
              objective,
              budget: `${percent}%`,
              ...(solver.reads.includes("checkpoints")
                ? { checkpoints: keptIds(instance, mask).map((id) => names.get(id) as string) }
                : {}),
            });
            const label = `${solver.name} ${objective} ${percent}%`;
            expect([other.status, other.makespanMs, other.peakBytes], label).toEqual([
              plain.status,
              plain.makespanMs,
              plain.peakBytes,
            ]);
            expect(other.schedule, label).toEqual(renameSchedule(plain.schedule, names));
          }
    },
  );

  test.prop([anyInstance(7), fc.nat(), budgets], { seed: PROPERTY_SEED, numRuns: runs(30) })(
    "never gets worse, where exact, when a zero-cost pass-through node is inserted",
    async (instance, position, percents) => {
      const g = graphOf(instance);
      const at = position % (g.size - 1); // any node but the loss
      const passed = insertPassThrough(instance, at);
      for (const over of ["checkpoint", "persistent-chain"] as const) {
        const before = classEvaluations(instance, over);
        const after = classEvaluations(passed, over);
        if (before !== undefined && after !== undefined)
          for (const objective of ["time", "memory"] as const) {
            const a = classOptimum(before, objective, Number.POSITIVE_INFINITY) as number;
            const b = classOptimum(after, objective, Number.POSITIVE_INFINITY) as number;
            expect(b, `${over} ${objective} optimum`).toBeLessThanOrEqual(a * (1 + TOLERANCE));
          }
      }
      const exactCandidates = accepting(instance).filter(
        (solver) => solver.rejects?.(passed) === undefined && !solver.reads.includes("checkpoints"),
      );
      for (const solver of exactCandidates)
        for (const objective of solver.objectives)
          for (const percent of percents) {
            const bytes = storeAllEvaluation(instance).peakBytes * (percent / 100);
            const plain = await solve(instance, {
              solver: solver.name,
              objective,
              budget: Math.max(1, Math.floor(bytes)),
            });
            const other = await solve(passed, {
              solver: solver.name,
              objective,
              budget: Math.max(1, Math.floor(bytes)),
            });
            const exact = budgetFree(plain.certificate);
            if (exact === undefined || exact !== budgetFree(other.certificate)) continue;
            expect(cost(other, objective) as number, `${solver.name} ${objective}`).toBeLessThanOrEqual(
              (cost(plain, objective) as number) * (1 + TOLERANCE),
            );
          }
    },
  );
});
