/**
 * solve() checks everything a solver says (solvers/check-answer.ts): each test hands it a solver that
 * breaks one promise and expects an InternalError naming it; honest answers pass and are reported with
 * their certificate, bounds and every option they were solved with.
 */
import { describe, expect, it } from "vitest";
import { solve } from "../solvers/index.js";
import { InputError, InternalError } from "../src/errors.js";
import { SUM_OF_TIMES } from "../src/evaluate/bounds.js";
import { evaluate, type ValidEvaluation } from "../src/evaluate/evaluate.js";
import { NO_SWITCHES } from "../src/options.js";
import { recomputeAllSchedule, storeAllSchedule } from "../src/schedule/builders.js";
import type { Solver, SolverAnswer } from "../src/solver.js";
import { example } from "./helpers.js";

const chain = example("chain");
const storeAll = evaluate(chain, storeAllSchedule(chain)) as ValidEvaluation;
const recompute = evaluate(chain, recomputeAllSchedule(chain)) as ValidEvaluation;

/** A solver that returns `answer` whatever it is asked. */
function saying(answer: SolverAnswer, overrides: Partial<Solver> = {}): Solver {
  return {
    name: "fake",
    family: "baselines",
    problem: "any DAG",
    guarantee: "none",
    reference: "test",
    objectives: ["time", "memory"],
    emits: {},
    switches: NO_SWITCHES,
    reads: [],
    solve: () => answer,
    ...overrides,
  };
}

const honest: SolverAnswer = {
  status: "feasible",
  schedule: recomputeAllSchedule(chain),
  claimedMakespanMs: recompute.makespanMs,
  claimedPeakBytes: recompute.peakBytes,
};

async function rejection(answer: SolverAnswer, budget: number | string = "none"): Promise<unknown> {
  return solve(chain, { solver: saying(answer), budget }).catch((caught: unknown) => caught);
}

describe("solve checks what a solver says", () => {
  it("passes an honest answer through with the evaluator's numbers", async () => {
    const result = await solve(chain, { solver: saying(honest) });
    expect(result).toMatchObject({ status: "feasible", makespanMs: recompute.makespanMs, certificate: null });
  });

  it.each([
    ["a NaN makespan claim", { ...honest, claimedMakespanMs: Number.NaN }],
    ["an infinite peak claim", { ...honest, claimedPeakBytes: Number.POSITIVE_INFINITY }],
    ["a wrong makespan claim", { ...honest, claimedMakespanMs: recompute.makespanMs + 1 }],
    ["a missing makespan claim", { ...honest, claimedMakespanMs: undefined as unknown as number }],
    ["optimal without a certificate", { ...honest, status: "optimal" } as unknown as SolverAnswer],
    [
      "a makespan bound above its own answer",
      { ...honest, lowerBoundMs: { value: recompute.makespanMs + 1, over: "all", method: "made up" } },
    ],
    [
      "a NaN peak bound",
      { ...honest, lowerBoundBytes: { value: Number.NaN, over: "all", method: "made up" } },
    ],
    [
      "a wrong sum-of-times bound",
      { ...honest, lowerBoundMs: { value: storeAll.makespanMs - 1, over: "all", method: SUM_OF_TIMES } },
    ],
    ["a NaN counter", { ...honest, counters: { steps: Number.NaN } }],
    [
      "a front point whose claimed makespan differs",
      {
        ...honest,
        front: [{ schedule: storeAllSchedule(chain), peakBytes: storeAll.peakBytes, makespanMs: 1 }],
      },
    ],
    [
      "an optimal answer that does not meet the bound it cites",
      {
        ...honest,
        status: "optimal",
        certificate: { kind: "meets-bound", over: "all", objective: "time", bound: "x", value: 1 },
      } as SolverAnswer,
    ],
    [
      "an enumeration of zero candidates",
      {
        ...honest,
        status: "optimal",
        certificate: { kind: "enumeration", over: "checkpoint", count: 0, of: "kept sets" },
      } as SolverAnswer,
    ],
  ])("rejects %s as a bug in the solver", async (_, answer) => {
    expect(await rejection(answer as SolverAnswer)).toBeInstanceOf(InternalError);
  });

  it("rejects a schedule above the budget, also for a timeout", async () => {
    const budget = recompute.peakBytes - 1;
    expect(await rejection(honest, budget)).toBeInstanceOf(InternalError);
    expect(await rejection({ ...honest, status: "timeout", reason: "late" }, budget)).toBeInstanceOf(
      InternalError,
    );
  });

  it("rejects an infeasible answer whose least budget is not above the budget", async () => {
    const answer: SolverAnswer = { status: "infeasible", minFeasibleBudgetBytes: 1000, reason: "too small" };
    expect(await rejection(answer, 1500)).toBeInstanceOf(InternalError);
    const fine = await solve(chain, {
      solver: saying({ ...answer, minFeasibleBudgetBytes: 1501 }),
      budget: 1500,
    });
    expect(fine).toMatchObject({ status: "infeasible", minFeasibleBudgetBytes: 1501, schedule: [] });
  });

  it("requires a peak claim for the memory objective", async () => {
    const { claimedPeakBytes: _, ...withoutPeak } = honest as { claimedPeakBytes: number };
    const error = await solve(chain, {
      solver: saying(withoutPeak as SolverAnswer),
      objective: "memory",
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InternalError);
  });

  it("reports a certified optimum with what it is optimal over", async () => {
    const result = await solve(chain, { solver: "store-all", budget: "100%" });
    expect(result.status).toBe("optimal");
    expect(result.certificate).toMatchObject({
      kind: "meets-bound",
      over: "all",
      value: storeAll.makespanMs,
    });
    expect(result.optimalOver).toMatch(/^all schedules: its makespan equals the lower bound/);
    expect(result.bounds).toEqual([
      { objective: "time", value: storeAll.makespanMs, over: "all", method: SUM_OF_TIMES },
    ]);
  });
});

describe("solve checks its options", () => {
  it("records every option, switch defaults included, so the result can be reproduced", async () => {
    const result = await solve(example("skip-dag"), { solver: "graph-mincut", budget: "80%", slots: 100 });
    expect(result.options).toMatchObject({
      budget: "80%",
      objective: "time",
      slots: 100,
      timeLimitSec: null,
    });
    expect(result.options.extra).toMatchObject({ pareto: false, method: "search", spanWork: 2e6 });
    const again = await solve(example("skip-dag"), { solver: "graph-mincut", ...result.options });
    expect(again.makespanMs).toBe(result.makespanMs);
  });

  it.each([
    [{ solver: "chen-sqrt", slots: 10 }, "slots"],
    [{ solver: "store-all", checkpoints: ["a"] }, "checkpoints"],
    [{ solver: "chen-sqrt", extra: { pareto: true } }, "extra.pareto"],
    [{ solver: "graph-mincut", extra: { spanwork: 1 } }, "extra.spanwork"],
    [{ solver: "graph-mincut", extra: { spanWork: -1 } }, "extra.spanWork"],
    [{ solver: "store-all", timeLimitSec: Number.NaN }, "timeLimitSec"],
    [{ solver: "store-all", objective: "memory" }, "objective"],
    [{ solver: "store-all", budgte: "50%" }, "budgte"],
  ])("refuses %o, naming %s", async (options, path) => {
    const error = await solve(chain, options as never).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues.map((issue) => issue.path)).toContain(path);
  });

  it("refuses an instance that did not come from parseInstance", async () => {
    const plain = JSON.parse(JSON.stringify(chain));
    const error = await solve(plain, { solver: "store-all" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues[0]).toMatchObject({ code: "type", path: "instance" });
  });
});
