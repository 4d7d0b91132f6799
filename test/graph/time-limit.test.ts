/**
 * graph-mincut's effort is counted work only (solvers/graph/options.ts; STYLE.md, "An answer never
 * depends on the clock"): a time limit that the solve finishes within changes nothing, and a limit
 * that stops it gives `timeout` with a schedule within the budget or none, naming the phase, wherever
 * the search is stopped (a deadline passing after a counted number of checks stands for the clock).
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { graphMincut, solveGraph } from "../../solvers/graph/solver.js";
import { solve } from "../../solvers/index.js";
import type { Solver } from "../../src/solver.js";
import { Deadline } from "../../src/time-limit.js";
import { labelledInstance, PROPERTY_SEED } from "../arbitraries.js";
import { buildDag, dagArb } from "./dags.js";

/** A deadline that passes after a given number of checks: a stop at a chosen point of the search. */
class DeadlineAfter extends Deadline {
  constructor(private checks: number) {
    super(Number.POSITIVE_INFINITY);
  }

  override passed(): boolean {
    this.checks--;
    return this.checks < 0;
  }
}

const anyDag = fc.oneof(
  labelledInstance,
  dagArb(10).map((spec) => buildDag(spec)),
);
const objective = fc.constantFrom("time" as const, "memory" as const);
const budget = fc.constantFrom("none", "40%", "60%", "90%");

describe("graph-mincut under a time limit", () => {
  test.prop([anyDag, objective, budget], { seed: PROPERTY_SEED, numRuns: 60 })(
    "answers the same with a generous limit as without one",
    async (instance, goal, within) => {
      const options = { solver: "graph-mincut", objective: goal, budget: within, extra: { spanWork: 2e5 } };
      const free = await solve(instance, options);
      const limited = await solve(instance, { ...options, timeLimitSec: 3600 });
      expect(limited.status).toBe(free.status);
      expect(limited.schedule).toEqual(free.schedule);
      expect(limited.bounds).toEqual(free.bounds);
      expect(limited.certificate).toEqual(free.certificate);
    },
  );

  test.prop([anyDag, objective, budget], { seed: PROPERTY_SEED, numRuns: 40 })(
    "answers timeout, with no schedule or one within the budget, when the limit passes at once",
    async (instance, goal, within) => {
      const result = await solve(instance, {
        solver: "graph-mincut",
        objective: goal,
        budget: within,
        timeLimitSec: 1e-9,
      });
      expect(result.status).toBe("timeout");
      expect(result.reason).toEqual(expect.any(String));
      if (result.peakBytes !== null)
        expect(result.peakBytes).toBeLessThanOrEqual(result.budgetBytes ?? Number.POSITIVE_INFINITY);
    },
  );

  test.prop([anyDag, objective, budget, fc.integer({ min: 0, max: 400 })], {
    seed: PROPERTY_SEED,
    numRuns: 80,
  })(
    "answers timeout with a valid schedule within the budget (or none) wherever the search is stopped",
    async (instance, goal, within, checks) => {
      const stopped: Solver = {
        ...graphMincut,
        solve: (i, options) => solveGraph(i, options, new DeadlineAfter(checks)),
      };
      const result = await solve(instance, { solver: stopped, objective: goal, budget: within });
      if (result.status === "timeout") {
        expect(result.reason).toEqual(expect.any(String));
        if (result.peakBytes !== null)
          expect(result.peakBytes).toBeLessThanOrEqual(result.budgetBytes ?? Number.POSITIVE_INFINITY);
        return;
      }
      const free = await solve(instance, { solver: "graph-mincut", objective: goal, budget: within });
      expect(result.schedule).toEqual(free.schedule);
    },
  );
});
