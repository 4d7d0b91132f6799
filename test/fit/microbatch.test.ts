/** fitBatches with microbatching (src/fit/microbatch-probe.ts) and `remat fit --microbatches`. */
import { describe, expect, it } from "vitest";
import { solve } from "../../solvers/solve.js";
import { fitBatches } from "../../src/fit/fit.js";
import { cli } from "../cli/run.js";

const MEMORY = 160e6;
const BASE = {
  model: "resnet-18",
  config: { inputSize: 32 },
  levels: ["block"] as const,
  memoryBytes: MEMORY,
};

describe("fit with microbatching", () => {
  it("with k fixed finds k times the largest micro-batch that fits, and a step within the memory", async () => {
    const plain = await fitBatches({ ...BASE, solvers: ["store-all"], maxBatch: 4096 }, solve);
    const four = await fitBatches(
      { ...BASE, solvers: ["store-all"], maxBatch: 4096, microbatches: 4 },
      solve,
    );
    const [row] = plain.rows;
    const [micro] = four.rows;
    expect(row?.batch).toBeGreaterThan(0);
    expect(micro?.microbatches).toBe(4);
    expect(micro?.batch).toBe(4 * (row?.batch ?? 0));
    expect(micro?.peakBytes).toBeLessThanOrEqual(MEMORY);
    expect(micro?.probes.every((probe) => probe.batch % 4 === 0)).toBe(true);
  });

  it("under auto without an overhead cap reaches the largest batch tried", async () => {
    const report = await fitBatches(
      { ...BASE, solvers: ["store-all"], maxBatch: 256, microbatches: "auto" },
      solve,
    );
    expect(report.rows[0]).toMatchObject({ batch: 256, capped: true });
    expect(report.microbatches).toBe("auto");
  });

  it("prints a k column with remat fit --microbatches", async () => {
    const run = await cli(
      "fit",
      "--model",
      "resnet-18",
      "--input-size",
      "32",
      "--memory",
      "160MB",
      "--level",
      "block",
      "--solvers",
      "store-all",
      "--microbatches",
      "2",
      "--max-batch",
      "512",
    );
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/probes +k$/m);
    expect(run.out).toMatch(/^store-all +block .* 2$/m);
  });
});
