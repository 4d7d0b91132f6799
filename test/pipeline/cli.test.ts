/** `remat pipeline`: the partition table, JSON result, the timeline plot, and bad input exiting 2. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, tempFolder } from "../cli/run.js";

const chain = "instances/examples/chain.json";

describe("remat pipeline", () => {
  const folder = tempFolder();

  it("prints the partition, every device's peak and the step time against the ideal and the bound", async () => {
    const run = await cli(
      "pipeline",
      chain,
      "--devices",
      "2",
      "--memory",
      "none",
      "--microbatches",
      "3",
      "--schedule",
      "1f1b",
    );
    expect(run.code).toBe(0);
    expect(run.out).toContain("pipeline-dp: ");
    expect(run.out).toMatch(/step time [0-9.]+ ms/);
    expect(run.out).toContain("ideal");
    expect(run.out).toContain("lower bound");
  });

  it("cuts an op-level graph only at its cut points and names the node each stage ends at", async () => {
    const run = await cli(
      "pipeline",
      "instances/examples/skip-dag.json",
      "--devices",
      "4",
      "--memory",
      "none",
      "--microbatches",
      "2",
      "--schedule",
      "gpipe",
      "--json",
    );
    expect(run.code).toBe(0);
    const result = JSON.parse(run.out);
    const ends = result.evaluation.devices.map((device: { lastNode: string }) => device.lastNode);
    expect(ends.length).toBeGreaterThan(0);
    // c2 is inside the residual block (r1 is read after it): no stage may end there
    expect(ends).not.toContain("c2");
    expect(ends[ends.length - 1]).toBe("loss");
  });

  it("gives a JSON result the pipeline evaluator checked, and draws the timeline", async () => {
    const plot = join(folder, "timeline.svg");
    const run = await cli(
      "pipeline",
      chain,
      "--devices",
      "2",
      "--memory",
      "none",
      "--microbatches",
      "4",
      "--schedule",
      "gpipe",
      "--solver",
      "balance-time",
      "--link",
      "1GB/s",
      "--latency",
      "5us",
      "--json",
      "--plot",
      plot,
    );
    expect(run.code).toBe(0);
    const result = JSON.parse(run.out);
    expect(result.format).toBe("remat-pipeline-result/1");
    expect(result.solver).toBe("balance-time");
    expect(result.link.latencyMs).toBeCloseTo(0.005, 12);
    expect(result.evaluation.devices.length).toBe(result.plan.stages.length);
    const svg = readFileSync(plot, "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    // the background, then one box per part: 2 devices x 4 micro-batches x (forward, backward)
    expect(svg.match(/<rect /g)?.length).toBe(1 + 2 * 4 * 2);
  });

  it("exits 2 naming every bad flag", async () => {
    const run = await cli(
      "pipeline",
      chain,
      "--devices",
      "0",
      "--memory",
      "lots",
      "--microbatches",
      "2",
      "--schedule",
      "zb",
      "--solver",
      "x",
    );
    expect(run.code).toBe(2);
    for (const flag of ["--devices", "--memory", "--schedule", "--solver"]) expect(run.err).toContain(flag);
    expect(run.err).not.toContain("    at ");
    const missing = await cli("pipeline", chain, "--devices", "2");
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("--memory");
  });

  it("exits 2 for a state file that does not sum to fixedBytes, and for more devices than a graph has units", async () => {
    const state = join(folder, "state.json");
    writeFileSync(state, JSON.stringify({ x: 1 }));
    const bad = await cli(
      "pipeline",
      chain,
      "--devices",
      "2",
      "--memory",
      "none",
      "--microbatches",
      "2",
      "--schedule",
      "1f1b",
      "--state",
      state,
    );
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--state");
    const dag = await cli(
      "pipeline",
      "instances/examples/skip-dag.json",
      "--devices",
      "5",
      "--memory",
      "none",
      "--microbatches",
      "2",
      "--schedule",
      "1f1b",
    );
    expect(dag.code).toBe(2);
    expect(dag.err).toContain("--devices");
    expect(dag.err).toContain("cut points");
    expect(dag.err).not.toContain("    at ");
  });
});
