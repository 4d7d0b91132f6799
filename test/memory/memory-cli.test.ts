/** `remat memory`: the breakdown of a zoo instance, a plan from a result file, and bad options. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, tempFolder } from "../cli/run.js";

const MLP = "instances/zoo/mlp-b32-784-op.json";

describe("remat memory", () => {
  it("prints weights, gradients, optimizer state, activations, workspace and peak that add up", async () => {
    const run = await cli("memory", MLP, "--optimizer", "momentum", "--json");
    expect(run.code).toBe(0);
    const breakdown = JSON.parse(run.out);
    expect(breakdown.parts.optimizer).toBe(breakdown.parts.weights);
    const { activations, workspace, peak } = breakdown.storeAll;
    expect(breakdown.fixedBytes + activations + workspace).toBe(peak);
  });

  it("breaks down a plan given as a solve result", async () => {
    const folder = tempFolder();
    const result = join(folder, "result.json");
    const solved = await cli("solve", MLP, "--solver", "chen-sqrt", "--json");
    expect(solved.code).toBe(0);
    writeFileSync(result, solved.out);
    const run = await cli("memory", MLP, "--plan", result, "--json");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out).plan.peak).toBe(JSON.parse(solved.out).peakBytes);
  });

  it("prints a table with a row per part", async () => {
    const run = await cli("memory", MLP);
    for (const row of ["weights", "gradients", "optimizer state", "activations", "workspace", "peak"])
      expect(run.out).toMatch(new RegExp(`^${row} `, "m"));
  });

  it("refuses an unknown optimizer or precision with exit code 2, naming the flag", async () => {
    const optimizer = await cli("memory", MLP, "--optimizer", "lion");
    expect(optimizer.code).toBe(2);
    expect(optimizer.err).toContain("--optimizer");
    const precision = await cli("memory", MLP, "--precision", "int8");
    expect(precision.code).toBe(2);
    expect(precision.err).toContain("--precision");
  });
});
