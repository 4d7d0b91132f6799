/**
 * graph-mincut --objective time (proofs/graph-mincut.md, "Time objective"): on random DAGs and budgets
 * every schedule is valid and within budget (solve() checks claimed = evaluated), the makespan is
 * monotone in the budget and never above chen-sqrt's or chen-greedy's, and the Pareto front is
 * non-dominated.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { blockChainSchedules } from "../../solvers/graph/coarse-chain.js";
import { lowerSetSweep, nodeCapacities } from "../../solvers/graph/lower-sets.js";
import { Search } from "../../solvers/graph/search.js";
import { solve } from "../../solvers/index.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { randomChain, randomLayeredDag, randomSeriesParallel } from "../../src/generate/families.js";
import { graphOf } from "../../src/instance/graph.js";
import { parseInstance } from "../../src/instance/parse.js";

const SEED = 20261122;
const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });

const anyDag = fc.oneof(
  fc.tuple(seed, fc.integer({ min: 2, max: 30 })).map(([s, length]) => randomChain(s, length)),
  fc
    .tuple(seed, fc.integer({ min: 2, max: 10 }), fc.integer({ min: 1, max: 4 }))
    .map(([s, layers, width]) => randomLayeredDag(s, layers, width)),
  fc.tuple(seed, fc.integer({ min: 4, max: 40 })).map(([s, size]) => randomSeriesParallel(s, size)),
);

const fractions = fc.array(fc.integer({ min: 20, max: 110 }), { minLength: 2, maxLength: 4 });

describe("graph-mincut --objective time", () => {
  test.prop([anyDag, fractions, fc.integer({ min: 0, max: 20 })], { seed: SEED, numRuns: 50 })(
    "is monotone in the budget and never slower than chen-sqrt or chen-greedy (any lambda)",
    async (instance, percents, lambda) => {
      let previous = Number.POSITIVE_INFINITY;
      for (const percent of [...percents].sort((a, b) => a - b)) {
        const budget = `${percent}%`;
        // spanWork kept small: the exact span table's time program has its own test (span-time.test.ts)
        const ours = await solve(instance, {
          solver: "graph-mincut",
          budget,
          extra: { lambda, spanWork: 2e5 },
        });
        for (const baseline of ["chen-sqrt", "chen-greedy"]) {
          const theirs = await solve(instance, { solver: baseline, budget });
          if (theirs.makespanMs !== null) {
            expect(ours.makespanMs, baseline).not.toBeNull();
            expect(ours.makespanMs as number).toBeLessThanOrEqual(theirs.makespanMs);
          }
        }
        if (ours.makespanMs === null) {
          expect(ours.status).toBe("infeasible");
          expect(previous).toBe(Number.POSITIVE_INFINITY);
          continue;
        }
        expect(ours.peakBytes as number).toBeLessThanOrEqual(ours.budgetBytes ?? Number.POSITIVE_INFINITY);
        expect(ours.makespanMs).toBeLessThanOrEqual(previous);
        expect(ours.lowerBoundMs ?? Number.NaN).toBeLessThanOrEqual(ours.makespanMs);
        previous = ours.makespanMs;
      }
    },
  );

  test.prop([anyDag], { seed: SEED, numRuns: 30 })(
    "returns a non-dominated front whose ends are the least peak and the least makespan found",
    async (instance) => {
      const result = await solve(instance, {
        solver: "graph-mincut",
        extra: { pareto: true, spanWork: 2e5 },
      });
      const front = result.front ?? [];
      expect(front.length).toBeGreaterThan(0);
      for (let i = 1; i < front.length; i++) {
        const [a, b] = [front[i - 1], front[i]] as [(typeof front)[number], (typeof front)[number]];
        expect(b.peakBytes).toBeGreaterThan(a.peakBytes);
        expect(b.makespanMs).toBeLessThan(a.makespanMs);
      }
      const memory = await solve(instance, {
        solver: "graph-mincut",
        objective: "memory",
        extra: { spanWork: 2e5 },
      });
      expect(front[0]?.peakBytes).toBeLessThanOrEqual(memory.peakBytes ?? Number.NaN);
      expect(front[front.length - 1]?.makespanMs).toBe(result.makespanMs);
    },
  );

  test.prop([anyDag], { seed: SEED, numRuns: 40 })(
    "expands chain-dp's block-chain schedules into valid schedules of the DAG (a chain-dp error fails it)",
    async (instance) => {
      const g = graphOf(instance);
      const sets = lowerSetSweep(g, nodeCapacities(g, 0), 2);
      const schedules = await blockChainSchedules(new Search(instance), sets, [0.25, 0.5, 0.75, 1], 100);
      for (const schedule of schedules) {
        const evaluation = evaluate(instance, schedule);
        expect(evaluation.valid, evaluation.valid ? "" : evaluation.error.reason).toBe(true);
      }
    },
  );

  it("rejects a malformed switch with an InputError naming it", async () => {
    const instance = randomChain(1, 5);
    await expect(solve(instance, { solver: "graph-mincut", extra: { lambda: -1 } })).rejects.toMatchObject({
      name: "InputError",
      issues: [{ code: "option", path: "extra.lambda" }],
    });
  });

  it("answers on an instance whose block chain would count a shared value past 2^53 - 1 (the block chain is skipped)", async () => {
    const big = 2 ** 49; // read by every later node: each block of the chain holds it again
    const nodes: Record<string, unknown>[] = [
      { id: "x", fwd: 0, bwd: 0, bytes: 8, recomputable: false },
      { id: "wide", fwd: 1, bwd: 1, bytes: big, inputs: ["x"] },
    ];
    for (let k = 1; k <= 40; k++)
      nodes.push({
        id: `n${k}`,
        fwd: 1,
        bwd: 1,
        bytes: 8,
        inputs: k === 1 ? ["wide"] : [`n${k - 1}`, "wide"],
      });
    const instance = parseInstance({
      format: "remat-instance/1",
      name: "wide",
      source: "test",
      fixedBytes: 0,
      nodes,
    });
    const result = await solve(instance, {
      solver: "graph-mincut",
      budget: "100%",
      extra: { blockStages: 40 },
    });
    expect(["optimal", "feasible"]).toContain(result.status);
  });
});
