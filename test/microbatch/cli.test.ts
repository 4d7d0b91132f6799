/** `remat solve --microbatches`: the plan printed and as JSON, and the flags refused by name. */
import { describe, expect, it } from "vitest";
import { cli } from "../cli/run.js";

const MLP = "instances/zoo/mlp-b32-784-block.json";

describe("remat solve --microbatches", () => {
  it("prints k, the micro-batch instance, the step makespan and peak", async () => {
    const run = await cli("solve", MLP, "--solver", "chain-dp", "--microbatches", "4");
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^plan +4 micro-batches of 8 \(instance mlp-b8-784-block, from zoo\)$/m);
    expect(run.out).toMatch(/^step +[0-9.]+ ms = 4 x [0-9.]+ ms \+ accumulation [0-9.]+ ms/m);
    expect(run.out).toMatch(/^peak .*accumulation in-place\)$/m);
  });

  it("gives the whole plan with --json, the buffer counted with --accumulation buffer", async () => {
    const run = await cli(
      "solve",
      MLP,
      "--solver",
      "store-all",
      "--microbatches",
      "auto",
      "--accumulation",
      "buffer",
      "--json",
    );
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.out);
    expect(plan.format).toBe("remat-microbatch-result/1");
    expect(plan.microbatches).toBe(1);
    expect(plan.candidates.length).toBeGreaterThan(1);
  });

  for (const [path, extra] of [
    ["--microbatches", ["--microbatches", "two"]],
    ["--microbatches", ["--microbatches", "3"]],
    ["--accumulation", ["--microbatches", "2", "--accumulation", "sideways"]],
    ["--accumulation", ["--accumulation", "buffer"]],
    ["--bound", ["--microbatches", "2", "--bound"]],
  ] as const)
    it(`refuses ${extra.join(" ")} naming ${path} (exit 2)`, async () => {
      const run = await cli("solve", MLP, "--solver", "store-all", ...extra);
      expect(run.code).toBe(2);
      expect(run.err).toContain(path === "--microbatches" && extra[1] === "3" ? "microbatches" : path);
    });

  it("refuses an instance the zoo cannot regenerate, saying how to make the smaller one", async () => {
    const run = await cli(
      "solve",
      "instances/examples/chain.json",
      "--solver",
      "store-all",
      "--microbatches",
      "2",
    );
    expect(run.code).toBe(2);
    expect(run.err).toContain("remat zoo generate --batch N");
  });
});
