/**
 * Long inputs: every registered solver, on a chain of 20,000 stages and a layered DAG of about
 * 5,000 nodes (revolve on a homogeneous chain of 20,000), at 50% of the store-all peak with a 2 s limit,
 * either answers (any status, checked by solve) or refuses with an InputError saying why — never a stack
 * overflow, a heap exhaustion or a hang. How far a solve overruns its limit is measured in
 * bench/time-limits.ts, not here; this test only bounds it loosely, to catch a solver that ignores it.
 */
import { describe, expect, it } from "vitest";
import { benchInstance } from "../bench/time-limit-inputs.js";
import { solve, solvers } from "../solvers/index.js";
import { InputError } from "../src/errors.js";

const LIMIT_SEC = 2;
/** Far above any measured overrun (bench/results/time-limits.md): only a solver ignoring its limit passes it. */
const IGNORED_LIMIT_SEC = 60;

const inputs = [
  { family: "chain", size: 20_000 },
  { family: "dag", size: 5_000 },
  { family: "homogeneous", size: 20_000 },
] as const;

describe("every solver on long inputs", () => {
  for (const { family, size } of inputs) {
    const instance = benchInstance(family, size);
    for (const solver of solvers) {
      if (solver.reads.includes("checkpoints") || solver.rejects?.(instance) !== undefined) continue;
      it(
        `${solver.name} answers or refuses on a ${family} of ${size} within its time limit`,
        async () => {
          const started = performance.now();
          const outcome = await solve(instance, {
            solver: solver.name,
            budget: "50%",
            timeLimitSec: LIMIT_SEC,
          }).then(
            (result) => result.status,
            (error: unknown) => {
              if (error instanceof InputError) return "refused";
              throw error;
            },
          );
          expect(["optimal", "feasible", "infeasible", "timeout", "refused"]).toContain(outcome);
          expect((performance.now() - started) / 1000).toBeLessThan(LIMIT_SEC + IGNORED_LIMIT_SEC);
        },
        (LIMIT_SEC + IGNORED_LIMIT_SEC + 30) * 1000,
      );
    }
  }
});
