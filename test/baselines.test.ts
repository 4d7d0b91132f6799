/**
 * Laws of the baselines beyond the conformance suite (test/conformance/): no baseline peaks above
 * store-all where that must hold, when every backward reads its inputs (rotor's model) and forwards have
 * no temporaries (proofs/checkpoint-schedule.md, claim 3). Elsewhere keeping a node only to recompute
 * from it can cost more than storing everything (for example a large input that no backward reads), so
 * the peak comparison is not a law there. Plus solve()'s answers on the hand-made examples.
 */
import { test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { solve } from "../solvers/index.js";
import { InputError } from "../src/errors.js";
import { PROPERTY_SEED, rotorLikeInstance } from "./arbitraries.js";
import { example } from "./helpers.js";

describe("baselines on random DAGs", () => {
  test.prop([rotorLikeInstance], { seed: PROPERTY_SEED, numRuns: 40 })(
    "peak no higher than store-all when every backward reads its inputs and forwards have no temporaries",
    async (instance) => {
      const reference = await solve(instance, { solver: "store-all" });
      for (const name of ["recompute-all", "chen-sqrt", "chen-greedy"]) {
        const result = await solve(instance, { solver: name });
        expect(result.peakBytes ?? Number.POSITIVE_INFINITY, name).toBeLessThanOrEqual(
          reference.peakBytes ?? 0,
        );
      }
    },
  );
});

describe("solve", () => {
  it("answers infeasible, with the least budget that would work, when the budget is too small", async () => {
    const result = await solve(example("chain"), { solver: "store-all", budget: 1500 });
    expect(result).toMatchObject({
      status: "infeasible",
      minFeasibleBudgetBytes: 1700,
      makespanMs: null,
      schedule: [],
    });
  });

  it("calls store-all optimal when it fits and reports zero overhead", async () => {
    const result = await solve(example("chain"), { solver: "store-all", budget: "100%" });
    expect(result).toMatchObject({
      status: "optimal",
      overhead: 0,
      peakBytes: 1700,
      budgetBytes: 1700,
      lowerBoundMs: 9,
    });
  });

  it("chen-greedy keeps the fastest schedule that fits the budget", async () => {
    const instance = example("skip-dag");
    const tight = await solve(instance, { solver: "chen-greedy", budget: "80%" });
    const loose = await solve(instance, { solver: "chen-greedy", budget: "100%" });
    if (tight.status === "feasible")
      expect(tight.makespanMs ?? 0).toBeGreaterThanOrEqual(loose.makespanMs ?? 0);
    expect(loose.overhead).toBe(0);
  });

  it("rejects an unknown solver with the list of valid names", async () => {
    const error = await solve(example("chain"), { solver: "magic" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues[0]).toMatchObject({ code: "option", path: "solver" });
    expect((error as InputError).message).toContain("store-all");
  });

  it("rejects unknown checkpoint ids", async () => {
    const error = await solve(example("chain"), { solver: "checkpoints", checkpoints: ["a", "zz"] }).catch(
      (caught: unknown) => caught,
    );
    expect((error as InputError).issues).toEqual([
      expect.objectContaining({ code: "unknown-id", path: "checkpoints[1]" }),
    ]);
  });

  it("rejects a malformed budget", async () => {
    for (const budget of ["-5", "12 parsecs", "0", "0%"]) {
      const error = await solve(example("chain"), { solver: "store-all", budget }).catch(
        (caught: unknown) => caught,
      );
      expect((error as InputError).issues[0]).toMatchObject({ code: "option", path: "budget" });
    }
  });
});
