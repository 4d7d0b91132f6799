/**
 * Time limits in every phase (issue 10): chain-dp and revolve check the limit in every phase that grows
 * with the chain, answer `timeout` naming the phase with the best schedule known within the budget
 * (checked by solve() like any other), and a limit never changes the answer of a solve that finishes
 * within it. Stopped deterministically at chosen checks (counting-deadline.ts), and once on the clock.
 * @see ../../proofs/chain-dp.md, "Time limits and sizes"
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { chainDp, revolve, solveChainDp, solveRevolve } from "../../solvers/chain/index.js";
import { solve } from "../../solvers/solve.js";
import { randomChain } from "../../src/generate/families.js";
import { parseInstance } from "../../src/instance/parse.js";
import type { Instance } from "../../src/instance/types.js";
import type { Objective } from "../../src/optimality.js";
import type { SolveResult } from "../../src/solve-result.js";
import type { Solver } from "../../src/solver.js";
import type { Deadline } from "../../src/time-limit.js";
import { CountingDeadline } from "./counting-deadline.js";

/** chain-dp (or revolve) run against `deadline`, through solve() and its checks. */
function within(solver: Solver, deadline: Deadline): Solver {
  const run = solver === revolve ? solveRevolve : solveChainDp;
  return { ...solver, solve: (instance, options) => run(instance, options, deadline) };
}

/** A result without what depends on the run (wall time, the recorded limit). */
function comparable(result: SolveResult) {
  const { stats, options, ...rest } = result;
  const { wallMs: _wallMs, ...counters } = stats;
  const { timeLimitSec: _limit, ...recorded } = options;
  return { ...rest, counters, recorded };
}

function homogeneous(n: number, bytes = 100): Instance {
  return parseInstance({
    format: "remat-instance/1",
    name: `homogeneous-${n}`,
    source: "test/chain/time-limits.test.ts",
    fixedBytes: 0,
    nodes: [
      { id: "x", fwd: 0, bwd: 0, bytes, recomputable: false },
      ...Array.from({ length: n }, (_, l) => ({
        id: `s${l + 1}`,
        fwd: 1,
        bwd: 2,
        bytes: bytes + (l % 7),
        inputs: [l === 0 ? "x" : `s${l}`],
      })),
    ],
  });
}

/** A homogeneous chain whose 5th stage must not be recomputed. */
function homogeneousFixed(): Instance {
  const base = homogeneous(10);
  return parseInstance({
    ...base,
    nodes: base.nodes.map((node) => (node.id === "s5" ? { ...node, recomputable: false } : node)),
  });
}

const solveCase = fc.record({
  seed: fc.integer({ min: 1, max: 100_000 }),
  // from 75 stages on, the edges make more than 2^16 moves and so check the limit too
  length: fc.integer({ min: 8, max: 90 }),
  percent: fc.integer({ min: 1, max: 70 }),
  slots: fc.integer({ min: 20, max: 300 }),
  objective: fc.constantFrom<Objective>("time", "time", "memory"),
});

/** The checks to stop at: the first and the last of every phase a full run made. */
function stops(deadline: CountingDeadline): { phase: string; at: number }[] {
  return [...deadline.phases].flatMap(([phase, { first, checks }]) => [
    { phase, at: first },
    { phase, at: first + checks - 1 },
  ]);
}

describe("chain-dp under a time limit", () => {
  test.prop([solveCase], { numRuns: 20, seed: 111 })(
    "answers as without a limit when the limit does not pass, and otherwise names the phase it stopped in",
    async ({ seed, length, percent, slots, objective }) => {
      const instance = randomChain(seed, length);
      const options = { budget: `${percent}%`, objective, slots } as const;
      const free = await solve(instance, { solver: "chain-dp", ...options });
      const counting = new CountingDeadline();
      const counted = await solve(instance, { solver: within(chainDp, counting), ...options });
      const limited = await solve(instance, { solver: "chain-dp", ...options, timeLimitSec: 3600 });
      expect(comparable(counted)).toEqual(comparable(free));
      expect(comparable(limited)).toEqual(comparable(free));
      for (const { phase, at } of stops(counting)) {
        const stopped = await solve(instance, {
          solver: within(chainDp, new CountingDeadline(at)),
          ...options,
        });
        expect(stopped.reason).toContain(`during ${phase}`);
        if (phase === "least budget") {
          // infeasibility is proven before the search for the least budget starts
          expect(stopped.status).toBe("infeasible");
          expect(stopped.minFeasibleBudgetBytes).toBeNull();
          continue;
        }
        expect(stopped.status).toBe("timeout");
        expect(stopped.bounds.some((bound) => bound.objective === "time")).toBe(true);
        // once the edges are known, the least-peak plan is (a schedule within the budget, checked by solve);
        // before, Revolve's plan when one fits
        if (phase !== "segment edges" && phase !== "fallback plan")
          expect(stopped.schedule.length).toBeGreaterThan(0);
      }
    },
  );

  it("carries Revolve's plan, found before its tables, when it stops in the edges", async () => {
    const instance = randomChain(3, 100);
    const counting = new CountingDeadline();
    await solve(instance, { solver: within(chainDp, counting), budget: "50%" });
    const edges = counting.phases.get("segment edges");
    if (edges === undefined) throw new Error("the edges of 100 stages check the limit");
    const stopped = await solve(instance, {
      solver: within(chainDp, new CountingDeadline(edges.first)),
      budget: "50%",
    });
    expect(stopped.status).toBe("timeout");
    expect(stopped.reason).toContain("Revolve's plan");
    expect(stopped.schedule.length).toBeGreaterThan(0);
  });

  it("carries no Revolve plan for a chain with a stage that must not be recomputed", async () => {
    const base = randomChain(3, 100);
    const instance = parseInstance({
      ...base,
      nodes: base.nodes.map((node) => (node.id === "s40" ? { ...node, recomputable: false } : node)),
    });
    const counting = new CountingDeadline();
    await solve(instance, { solver: within(chainDp, counting), budget: "50%" });
    expect(counting.phases.has("fallback plan")).toBe(false);
    expect(revolve.rejects?.(homogeneousFixed())).toMatch(/not recomputable/);
  });

  it("carries the all-chain plan when the memory objective stops in its edges", async () => {
    const instance = randomChain(7, 100);
    const stopped = await solve(instance, {
      solver: within(chainDp, new CountingDeadline(0)),
      objective: "memory",
    });
    expect(stopped.status).toBe("timeout");
    expect(stopped.reason).toContain("during segment edges");
    expect(stopped.schedule.filter((op) => op.endsWith(" tape"))).toHaveLength(100);
    expect(stopped.peakBytes).toBeGreaterThan(0);
  });

  it("stops a 3,000-stage chain on the clock within its limit, where the edges alone take minutes", async () => {
    const instance = randomChain(1, 3000);
    const started = performance.now();
    const result = await solve(instance, { solver: "chain-dp", budget: "40%", timeLimitSec: 0.5 });
    const wallSec = (performance.now() - started) / 1000;
    expect(result.status).toBe("timeout");
    expect(result.reason).toContain("during segment edges");
    // a loose sanity bound on a shared machine (the overrun is measured in bench/chain-dp-limits.ts)
    expect(wallSec).toBeLessThan(0.5 + 5);
  });
});

describe("revolve under a time limit", () => {
  it("answers as without a limit, and otherwise carries the best fitting snapshot count found", async () => {
    const instance = homogeneous(60);
    const free = await solve(instance, { solver: "revolve", budget: "40%" });
    const counting = new CountingDeadline();
    const counted = await solve(instance, { solver: within(revolve, counting), budget: "40%" });
    expect(comparable(counted)).toEqual(comparable(free));
    const checks = counting.count;
    let carried = 0;
    for (const at of [0, Math.floor(checks / 3), Math.floor((2 * checks) / 3), checks - 1]) {
      const stopped = await solve(instance, {
        solver: within(revolve, new CountingDeadline(at)),
        budget: "40%",
      });
      expect(stopped.status).toBe("timeout");
      if (stopped.schedule.length > 0) carried++;
    }
    // the first probe fits nothing yet; by the last check a fitting count is known
    expect(carried).toBeGreaterThan(0);
  });
});

describe("20,000-stage chains", () => {
  it("get a clean refusal from chain-dp's tables, or an answer without them", async () => {
    const instance = randomChain(1, 20_000);
    for (const objective of ["time", "memory"] as const) {
      const error = await solve(instance, {
        solver: "chain-dp",
        budget: "40%",
        objective,
        timeLimitSec: 1,
      }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ name: "InputError" });
      expect((error as { issues: { code: string; path: string }[] }).issues[0]).toMatchObject({
        code: "option",
        path: "nodes",
      });
    }
    const roomy = await solve(instance, { solver: "chain-dp", budget: "100%", timeLimitSec: 1 });
    expect(roomy.status).toBe("optimal");
  });

  it("get revolve's schedule", async () => {
    const result = await solve(homogeneous(20_000), { solver: "revolve", budget: "40%", timeLimitSec: 60 });
    expect(result.status).toBe("feasible");
    expect(result.stats.snapshots as number).toBeGreaterThan(1);
  });
});
