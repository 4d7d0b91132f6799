/** `remat pipeline --solver pipeline-ilp`: an optimal answer with its class, `--lp` choosing the backend, bad `--lp` exiting 2. */
import { describe, expect, it } from "vitest";
import { cli } from "../cli/run.js";

const chain = "instances/examples/chain.json";
const problem = ["--devices", "2", "--memory", "none", "--microbatches", "3", "--schedule", "1f1b"];

describe("remat pipeline --solver pipeline-ilp", () => {
  it("prints an optimal plan, the class it is optimal over and the class bound", async () => {
    const run = await cli("pipeline", chain, ...problem, "--solver", "pipeline-ilp");
    expect(run.code).toBe(0);
    expect(run.out).toContain("pipeline-ilp: optimal");
    expect(run.out).toContain("optimal over contiguous partitions");
    expect(run.out).toMatch(/bound over the solver's class [0-9.]+ ms/);
  });

  it("gives the same step time with GLPK as with HiGHS", async () => {
    const step = async (lp: string) => {
      const run = await cli("pipeline", chain, ...problem, "--solver", "pipeline-ilp", "--lp", lp, "--json");
      expect(run.code).toBe(0);
      return JSON.parse(run.out).evaluation.stepMs as number;
    };
    expect(await step("glpk")).toBeCloseTo(await step("highs"), 6);
  });

  it("exits 2 naming --lp for an unknown backend", async () => {
    const run = await cli("pipeline", chain, ...problem, "--solver", "pipeline-ilp", "--lp", "cplex");
    expect(run.code).toBe(2);
    expect(run.err).toContain("--lp");
  });
});
