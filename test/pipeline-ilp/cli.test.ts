/**
 * `remat pipeline --solver pipeline-ilp`: an optimal answer with its class, `--lp` choosing the backend,
 * `--recompute-per microbatch` showing its per-micro-batch choices, bad `--lp` and `--recompute-per`
 * exiting 2.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, tempFolder } from "../cli/run.js";

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

  it("exits 2 naming --recompute-per for an unknown value", async () => {
    const run = await cli(
      "pipeline",
      chain,
      ...problem,
      "--solver",
      "pipeline-ilp",
      "--recompute-per",
      "layer",
    );
    expect(run.code).toBe(2);
    expect(run.err).toContain("--recompute-per");
  });
});

describe("remat pipeline --solver pipeline-ilp --recompute-per microbatch", () => {
  const folder = tempFolder();
  // 4 equal layers, 2 devices, 1F1B, 4 micro-batches at 90% of the one-device store-all peak (test/pipeline-ilp/microbatch.test.ts)
  const nodes: Record<string, unknown>[] = [{ id: "x", fwd: 0, bwd: 0, bytes: 40, recomputable: false }];
  for (let i = 0; i < 4; i++)
    nodes.push({ id: `l${i}`, fwd: 2, bwd: 4, bytes: 100, inputs: [i === 0 ? "x" : `l${i - 1}`] });
  const file = join(folder, "elf-chain.json");
  writeFileSync(
    file,
    JSON.stringify({ format: "remat-instance/1", name: "elf-chain", source: "test", fixedBytes: 0, nodes }),
  );
  const args = [
    "--devices",
    "2",
    "--memory",
    "90%",
    "--microbatches",
    "4",
    "--schedule",
    "1f1b",
    "--solver",
    "pipeline-ilp",
    "--recompute-per",
    "microbatch",
  ];

  it("shows each micro-batch's schedule in the JSON plan and which one each ran in the device reports", async () => {
    const run = await cli("pipeline", file, ...args, "--json");
    expect(run.code).toBe(0);
    const result = JSON.parse(run.out);
    expect(result.status).toBe("optimal");
    const stage = result.plan.stages.find(
      (s: { microbatchSchedules?: unknown[] }) => s.microbatchSchedules !== undefined,
    );
    expect(stage.microbatchSchedules).toHaveLength(4);
    const device = result.evaluation.devices.find(
      (d: { profileOf: number[] }) => new Set(d.profileOf).size > 1,
    );
    expect(device.profileOf).toHaveLength(4);
    expect(device.profiles.length).toBeGreaterThan(1);
  });

  it("summarises the per-micro-batch choices per stage and says over what the plan is proven", async () => {
    const run = await cli("pipeline", file, ...args);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/device 0 per micro-batch: \d+ \([0-9,]+\) keep/);
    expect(run.out).toContain(
      "optimal over contiguous partitions into at most P stages, each (stage, micro-batch)",
    );
  });
});
