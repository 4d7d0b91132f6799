/**
 * `remat plot` through Vega-Lite (src/plot/): the SVG is parsed and the expected views, axes (by their aria
 * labels), legends and series (marks labelled with each solver) are found; the memory timeline shades each
 * instruction by phase, marks offloads and prefetches and draws the budget.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { phases } from "../../src/plot/timeline-spec.js";
import { parseSchedule } from "../../src/schedule/text.js";
import { cli, tempFolder } from "../cli/run.js";
import { handLog, writeLog } from "../report/fixture.js";
import { allElements, ariaLabels, parseSvg, texts } from "./svg-tree.js";

const folder = tempFolder("remat-plots-");
const log = writeLog(folder, "hand.jsonl", handLog());

async function plot(...args: string[]) {
  const out = join(folder, `${args.join("-").replace(/[^\w]+/g, "_")}.svg`);
  const run = await cli("plot", ...args, "--out", out);
  expect(run.code, run.err).toBe(0);
  return parseSvg(readFileSync(out, "utf8"));
}

/** The aria labels of the points of each line mark, grouped by the solver they name. */
function solversOfPoints(svg: ReturnType<typeof parseSvg>): Set<string> {
  return new Set(
    ariaLabels(svg, "point")
      .map((label) => /solver: ([\w-]+)/.exec(label)?.[1])
      .filter((name) => name !== undefined),
  );
}

describe("remat plot --kind front", () => {
  it("draws one view per instance with peak-memory and overhead axes and a point per solver and budget", async () => {
    const svg = await plot(log);
    const words = texts(svg);
    expect(words).toContain("a");
    expect(words).toContain("b");
    const axes = ariaLabels(svg, "axis");
    expect(axes.filter((label) => label.startsWith("X-axis titled 'peak memory (bytes)'"))).toHaveLength(2);
    expect(
      axes.filter((label) => label.startsWith("Y-axis titled 'time overhead (%, symlog scale)'")),
    ).toHaveLength(2);
    expect(solversOfPoints(svg)).toEqual(new Set(["store-all", "chen-greedy", "chain-dp"]));
    // a: store-all 1, chen-greedy 3, chain-dp 3; b: store-all 1, chen-greedy 2 (rejected and infeasible: none)
    expect(ariaLabels(svg, "point")).toHaveLength(10);
    expect(ariaLabels(svg, "legend").join()).toContain("solver");
  });
});

describe("remat plot --kind sweep", () => {
  it("puts the budget as a percentage on the x axis and the chen-greedy sweep of a through 50, 70, 90", async () => {
    const svg = await plot(log, "--kind", "sweep");
    const axes = ariaLabels(svg, "axis");
    expect(
      axes.filter((label) => label.startsWith("X-axis titled 'budget (% of store-all peak)'")),
    ).toHaveLength(2);
    const chen = ariaLabels(svg, "point").filter((label) => label.includes("solver: chen-greedy"));
    expect(chen.map((label) => /budget \(% of store-all peak\): (\d+)/.exec(label)?.[1]).sort()).toEqual([
      "50",
      "50",
      "70",
      "90",
      "90",
    ]);
  });

  it("refuses a log with no schedule within its budget", async () => {
    const none = writeLog(
      folder,
      "none.jsonl",
      handLog().filter((entry) => entry.makespanMs === null),
    );
    const run = await cli("plot", none, "--kind", "sweep", "--out", join(folder, "none.svg"));
    expect(run.code).toBe(2);
    expect(run.err).toContain("at least one result with a schedule");
  });

  it("refuses an unknown kind", async () => {
    const run = await cli("plot", log, "--kind", "pie", "--out", join(folder, "pie.svg"));
    expect(run.code).toBe(2);
    expect(run.err).toContain("--kind");
  });
});

describe("remat plot of a schedule's memory timeline", () => {
  const chain = "instances/examples/chain.json";
  const ops = ["F x", "F a", "O a", "F b", "D a:a", "F loss", "D a:loss", "B loss", "P a", "B b", "D a:b"];
  ops.push("D a:a", "F a", "D a:a", "B a", "D a:x");
  const schedule = join(folder, "schedule.json");
  writeFileSync(schedule, JSON.stringify({ format: "remat-schedule/1", budgetBytes: 1500, ops }));

  it("labels each instruction forward, recompute or backward", () => {
    const phaseOf = phases(parseSchedule(ops));
    expect(phaseOf.slice(0, 7).every((phase) => phase === "forward")).toBe(true);
    expect(phaseOf[7]).toBe("backward");
    expect(phaseOf[12]).toBe("recompute");
    expect(phaseOf[13]).toBe("recompute");
    expect(phaseOf[14]).toBe("backward");
  });

  it("shades one bar per instruction by phase, marks the transfers and draws the budget line", async () => {
    const svg = await plot(schedule, "--instance", chain);
    const bars = ariaLabels(svg, "rect mark");
    expect(bars).toHaveLength(ops.length);
    expect(bars.filter((label) => label.includes("phase: recompute"))).toHaveLength(2);
    expect(bars.filter((label) => label.includes("phase: backward"))).toHaveLength(7);
    const transfers = ariaLabels(svg, "point");
    expect(transfers.map((label) => /transfer: (\w+)/.exec(label)?.[1])).toEqual(["offload", "prefetch"]);
    expect(transfers[0]).toContain("instruction: O a");
    const legends = ariaLabels(svg, "legend").join("\n");
    expect(legends).toContain("'phase' for fill color with 3 values: forward, recompute, backward");
    expect(legends).toContain("'transfer' for shape with 2 values: offload, prefetch");
    expect(ariaLabels(svg, "rule mark").join()).toContain("budget: 1.5");
    expect(texts(svg)).toContain("budget");
    expect(ariaLabels(svg, "axis").join("\n")).toContain("Y-axis titled 'memory (KB)'");
    expect(allElements(svg).filter((element) => element.tag === "path").length).toBeGreaterThan(ops.length);
  });

  it("draws a result's timeline against its budget and writes the Vega-Lite spec on request", async () => {
    const result = join(folder, "result.json");
    writeFileSync(
      result,
      (await cli("solve", chain, "--solver", "store-all", "--budget", "2KB", "--json")).out,
    );
    const svg = await plot(result, "--instance", chain);
    expect(ariaLabels(svg, "rule mark").join()).toContain("budget: 2");
    expect(ariaLabels(svg, "point")).toEqual([]);
    const specPath = join(folder, "timeline.vl.json");
    expect(
      (await cli("plot", result, "--instance", chain, "--format", "vega-lite", "--out", specPath)).code,
    ).toBe(0);
    const spec = JSON.parse(readFileSync(specPath, "utf8"));
    expect(spec.$schema).toContain("vega-lite");
    expect(spec.data.values).toHaveLength(11);
  });
});
