/**
 * pofo's time limit and caps (proofs/pofo.md, claims 6 and the time limits of chain-dp it shares): a
 * solve stopped at any check of any phase answers `timeout` naming that phase, with the sum-of-times
 * bound and, once the slot edges are known and the persistent class fits, a no-offload schedule within
 * the budget (checked by solve); a limit that does not pass changes nothing; a spine table past its cap
 * is refused with an InputError naming the slots that fit.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { solve } from "../../solvers/index.js";
import { pofo, solvePofo } from "../../solvers/pofo/index.js";
import { InputError } from "../../src/errors.js";
import { randomChain } from "../../src/generate/families.js";
import { parseInstance } from "../../src/instance/parse.js";
import type { SolveResult } from "../../src/solve-result.js";
import type { Solver } from "../../src/solver.js";
import type { Deadline } from "../../src/time-limit.js";
import { PROPERTY_SEED } from "../arbitraries.js";
import { CountingDeadline } from "../chain/counting-deadline.js";
import { withLink } from "../offload/instances.js";

/** pofo run against `deadline`, through solve() and its checks. */
function within(deadline: Deadline): Solver {
  return { ...pofo, solve: (instance, options) => solvePofo(instance, options, deadline) };
}

/** A result without what depends on the run (wall time, the recorded limit). */
function comparable(result: SolveResult) {
  const { stats, options, ...rest } = result;
  const { wallMs: _wallMs, ...counters } = stats;
  const { timeLimitSec: _limit, ...recorded } = options;
  return { ...rest, counters, recorded };
}

describe("pofo's limits", () => {
  test.prop(
    [
      fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      fc.integer({ min: 2, max: 8 }),
      fc.integer({ min: 30, max: 90 }),
    ],
    {
      seed: PROPERTY_SEED,
      numRuns: 8,
    },
  )(
    "stops in any phase with a timeout naming it, and a limit that does not pass changes nothing",
    async (seed, length, percent) => {
      const instance = withLink(randomChain(seed, length), { bandwidth: 10, latency: 0.5 });
      const options = { budget: `${percent}%`, slots: 60 } as const;
      const free = await solve(instance, { solver: "pofo", ...options });
      const counting = new CountingDeadline();
      const counted = await solve(instance, { solver: within(counting), ...options });
      expect(comparable(counted)).toEqual(comparable(free));
      if (free.status === "optimal" && free.certificate?.kind === "meets-bound") return;
      if (free.status === "optimal") expect([...counting.phases.keys()]).toContain("spine fill");
      for (const [phase, { first, checks }] of counting.phases)
        for (const at of [first, first + checks - 1]) {
          const stopped = await solve(instance, { solver: within(new CountingDeadline(at)), ...options });
          expect(stopped.status, phase).toBe("timeout");
          expect(stopped.reason).toContain(`during ${phase}`);
          expect(stopped.bounds.some((bound) => bound.objective === "time")).toBe(true);
        }
    },
  );

  it("refuses a spine table past its cap, naming the slots that fit", async () => {
    const plain = randomChain(3, 60);
    const nodes = plain.nodes.map((node) => ({
      ...node,
      bytes: node.bytes * 1e6,
      gradBytes: node.gradBytes * 1e6,
    }));
    const instance = parseInstance({ ...plain, nodes, hardware: { bandwidth: 1e6, latency: 0 } });
    const error = await solve(instance, { solver: "pofo", budget: "60%", slots: 30_000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues[0]?.path).toBe("slots");
    expect((error as InputError).issues[0]?.expected).toMatch(/at most \d+ slots for 60 stages/);
  });
});
