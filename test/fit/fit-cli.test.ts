/** `remat fit`: the table and --json on a small network, and bad options named by their flag. */
import { describe, expect, it } from "vitest";
import { cli } from "../cli/run.js";

describe("remat fit", () => {
  it("reports store-all's and chain-dp's largest MLP batch in 50 MB, chain-dp's at least store-all's", async () => {
    const run = await cli(
      "fit",
      "--model",
      "mlp",
      "--memory",
      "50MB",
      "--level",
      "block",
      "--solvers",
      "store-all,chain-dp",
      "--json",
    );
    expect(run.code).toBe(0);
    const report = JSON.parse(run.out);
    const [storeAll, chainDp] = report.rows;
    expect(storeAll.batch).toBeGreaterThan(0);
    expect(chainDp.batch).toBeGreaterThanOrEqual(storeAll.batch);
    expect(chainDp.peakBytes).toBeLessThanOrEqual(50e6);
  });

  it("prints one table row per solver and level", async () => {
    const run = await cli("fit", "--model", "mlp", "--memory", "50MB", "--solvers", "store-all");
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^store-all +op /m);
    expect(run.out).toMatch(/^store-all +block /m);
  });

  it("says which storage modes it planned and that the densities were measured at initialisation", async () => {
    const run = await cli(
      "fit",
      ...["--model", "mobilenet-v2", "--input-size", "32", "--memory", "34MB", "--level", "block"],
      ...["--solvers", "chain-dp", "--storage", "bitmap"],
    );
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^chain-dp +block +[1-9]/m);
    expect(run.out).toMatch(/Storage modes: bitmap; densities measured by the simulator at initialisation/);
  });

  for (const [flag, args] of [
    ["storage", ["--model", "mlp", "--memory", "1GB", "--storage", "zip"]],
    ["--model", ["--model", "alexnet", "--memory", "1GB"]],
    ["--memory", ["--model", "mlp", "--memory", "50%"]],
    ["--memory", ["--model", "mlp"]],
    ["--level", ["--model", "mlp", "--memory", "1GB", "--level", "chain"]],
    ["--max-overhead", ["--model", "mlp", "--memory", "1GB", "--max-overhead", "lots"]],
    ["--set", ["--model", "mlp", "--memory", "1GB", "--set", "batch=4"]],
    ["--input-size", ["--model", "mlp", "--memory", "1GB", "--input-size", "0"]],
  ] as const) {
    it(`refuses ${args.join(" ")} with exit code 2, naming ${flag}`, async () => {
      const run = await cli("fit", ...args);
      expect(run.code).toBe(2);
      expect(run.err).toContain(flag);
    });
  }
});
