/**
 * Sizes stated and bounded (issue 10): chain-dp computes the size of its tables before allocating
 * them and refuses, with an InputError (code `option`), a table past its caps, naming a slot count
 * whose table fits (path `slots`) or the longest chain (path `nodes`); revolve and chain-dp refuse
 * schedules past MAX_SCHEDULE_INSTRUCTIONS (path `budget` or `extra.snapshots`).
 * @see ../../proofs/chain-dp.md, "Time limits and sizes"
 */
import { describe, expect, it } from "vitest";
import { chainView } from "../../solvers/chain/chain-view.js";
import { discretize } from "../../solvers/chain/discretize.js";
import { segmentEdges } from "../../solvers/chain/feasibility.js";
import {
  EDGE_BYTES_PER_PAIR,
  longestChain,
  MAX_SCHEDULE_INSTRUCTIONS,
  MEMORY_CAP_BYTES,
  pairTableBytes,
  slotsThatFit,
  timeTableBytes,
} from "../../solvers/chain/limits.js";
import { tableSize } from "../../solvers/chain/table.js";
import { solve } from "../../solvers/solve.js";
import { InputError } from "../../src/errors.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { randomChain } from "../../src/generate/families.js";
import { parseInstance } from "../../src/instance/parse.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";

async function refusal(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

function homogeneous(n: number) {
  return parseInstance({
    format: "remat-instance/1",
    name: `homogeneous-${n}`,
    source: "test/chain/limits.test.ts",
    fixedBytes: 0,
    nodes: [
      { id: "x", fwd: 0, bwd: 0, bytes: 100, recomputable: false },
      ...Array.from({ length: n }, (_, l) => ({
        id: `s${l + 1}`,
        fwd: 1,
        bwd: 2,
        bytes: 100,
        inputs: [l === 0 ? "x" : `s${l}`],
      })),
    ],
  });
}

describe("chain-dp's table sizes", () => {
  it("states the longest chain each objective's tables allow under the cap", () => {
    for (const objective of ["time", "memory"] as const) {
      const longest = longestChain(objective);
      expect(pairTableBytes(longest, objective)).toBeLessThanOrEqual(MEMORY_CAP_BYTES);
      if (objective === "memory")
        expect(pairTableBytes(longest + 1, objective)).toBeGreaterThan(MEMORY_CAP_BYTES);
      else {
        expect(slotsThatFit(longest)).toBeGreaterThanOrEqual(1);
        expect(slotsThatFit(longest + 1)).toBe(0);
      }
    }
    expect(longestChain("memory")).toBe(Math.floor(Math.sqrt(MEMORY_CAP_BYTES / EDGE_BYTES_PER_PAIR)));
  });

  it("refuses a table past the cap before allocating it, naming a slot count whose table fits", async () => {
    const L = 400;
    const instance = randomChain(1, L);
    const error = await refusal(solve(instance, { solver: "chain-dp", budget: "40%", slots: 1_000_000 }));
    expect(error.issues[0]).toMatchObject({ code: "option", path: "slots" });
    // the count it names: its table fits, by the bound and in fact
    const fewer = slotsThatFit(L);
    expect(error.issues[0]?.expected).toContain(`at most ${fewer} slots`);
    const peak = evaluate(instance, storeAllSchedule(instance));
    if (!peak.valid) throw new Error("store-all must be valid");
    const view = chainView(instance);
    const chain = discretize(view, Math.floor(peak.peakBytes * 0.4), 0, fewer);
    if (chain === undefined) throw new Error("the budget covers fixedBytes");
    const size = tableSize(segmentEdges(chain.sizes, view.recomputable, L), chain.topSlots);
    expect(timeTableBytes(L, size.entries, size.coarseEntries)).toBeLessThanOrEqual(MEMORY_CAP_BYTES);
  });

  it("refuses chains longer than its tables allow, naming the longest", async () => {
    const instance = randomChain(1, longestChain("time") + 1);
    const error = await refusal(solve(instance, { solver: "chain-dp", budget: "40%" }));
    expect(error.issues[0]).toMatchObject({ code: "option", path: "nodes" });
    expect(error.issues[0]?.expected).toContain(`at most ${longestChain("time")} stages`);
  });
});

describe("schedule lengths", () => {
  it("are refused past MAX_SCHEDULE_INSTRUCTIONS instead of built", async () => {
    // one snapshot on 20,000 stages: L^2 forwards, about 4 * 10^8 instructions
    const instance = homogeneous(20_000);
    const bySwitch = await refusal(solve(instance, { solver: "revolve", extra: { snapshots: 1 } }));
    expect(bySwitch.issues[0]).toMatchObject({ code: "option", path: "extra.snapshots" });
    const least = await solve(instance, { solver: "revolve", budget: 1 });
    expect(least.status).toBe("infeasible");
    const byBudget = await refusal(
      solve(instance, { solver: "revolve", budget: least.minFeasibleBudgetBytes as number }),
    );
    expect(byBudget.issues[0]).toMatchObject({ code: "option", path: "budget" });
    expect(MAX_SCHEDULE_INSTRUCTIONS).toBeLessThan(20_000 * 20_000);
  });
});
