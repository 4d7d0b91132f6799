/**
 * The host link on the command line: `remat hardware` lists the presets; `remat solve` and `remat batch`
 * take `--hardware`, `--bandwidth`, `--latency` (bad values exit 2 naming the flag); results logs record
 * the link asked for, and a batch resume runs again what was solved under another link.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commands } from "../../src/cli/commands/index.js";
import { withFlagPaths } from "../../src/cli/flags.js";
import { InputError } from "../../src/errors.js";
import { findPreset, HARDWARE_PRESETS } from "../../src/hardware/index.js";
import { cli, tempFolder } from "../cli/run.js";

const chain = "instances/examples/chain.json";
const skipDag = "instances/examples/skip-dag.json";
const quiet = { out: () => undefined, err: () => undefined };

/** The issues (code, path) of the InputError that `remat NAME ARGS` throws, as the CLI prints them. */
async function issues(name: string, ...args: string[]): Promise<[string, string][]> {
  const command = commands.find((candidate) => candidate.name === name);
  if (command === undefined) throw new Error(`no command ${name}`);
  const error = await command.run(args, quiet).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error, `${name} ${args.join(" ")}`).toBeInstanceOf(InputError);
  return withFlagPaths(error as InputError).issues.map((issue) => [issue.code, issue.path]);
}

function logLines(path: string): Record<string, unknown>[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line));
}

/** The number in the resume report before `label`, e.g. `3 new`. */
function reported(err: string, label: string): number {
  const match = new RegExp(`(\\d+) ${label}`).exec(err);
  expect(match, `"${label}" in: ${err}`).not.toBeNull();
  return Number(match?.[1]);
}

describe("remat hardware", () => {
  it("lists every preset with its figures and its source", async () => {
    const run = await cli("hardware");
    expect(run.code).toBe(0);
    for (const preset of HARDWARE_PRESETS) {
      expect(run.out).toContain(preset.name);
      expect(run.out).toContain(String(Number((preset.bandwidth / 1e6).toPrecision(4))));
    }
    expect(run.out).toContain("Sources:");
    const json = await cli("hardware", "--json");
    expect(JSON.parse(json.out)).toEqual(JSON.parse(JSON.stringify(HARDWARE_PRESETS)));
  });
});

describe("remat evaluate link flags", () => {
  it("judge a schedule's transfers on the link given: latency + bytes / bandwidth per transfer", async () => {
    const folder = tempFolder();
    const schedule = join(folder, "offload.json");
    // test/hardware/apply.test.ts's offload schedule: D a:x waits for O x (100 bytes), the one stall
    const ops = ["F x", "F a", "O x", "D a:x", "F b", "D a:a", "F loss", "D a:loss", "B loss", "P x"];
    writeFileSync(schedule, JSON.stringify([...ops, "B b", "D a:b", "B a", "D a:x"]));
    const makespan = async (...flags: string[]) => {
      const run = await cli("evaluate", chain, schedule, "--json", ...flags);
      expect(run.code, run.err).toBe(0);
      return JSON.parse(run.out).makespanMs as number;
    };
    const compute = 9; // fwd + bwd of every node of chain.json
    expect(await makespan("--hardware", "sd-card")).toBeCloseTo(compute + 0.109 + 100 / 4616.51, 9);
    expect(await makespan("--hardware", "pcie4")).toBeCloseTo(compute + 0.01 + 100 / 25e6, 9);
    expect(await makespan("--latency", "0")).toBeCloseTo(compute + 100 / 100, 9);
    const none = await cli("evaluate", chain, schedule, "--hardware", "none");
    expect(none.code).toBe(2);
  });
});

describe("remat solve and batch link flags", () => {
  it("exit 2 for a bad link, naming the flag", async () => {
    const solveWith = (...more: string[]) => issues("solve", chain, "--solver", "store-all", ...more);
    expect(await solveWith("--hardware", "pcie9")).toEqual([["option", "--hardware"]]);
    expect(await solveWith("--bandwidth", "0")).toEqual([["option", "--bandwidth"]]);
    expect(await solveWith("--bandwidth", "16Gb/s")).toEqual([["option", "--bandwidth"]]);
    expect(await solveWith("--latency", "-1")).toEqual([["option", "--latency"]]);
    expect(await solveWith("--hardware", "none", "--latency", "1")).toEqual([["option", "--latency"]]);
    expect(await solveWith("--bandwidth", "x", "--latency", "y")).toEqual([
      ["option", "--bandwidth"],
      ["option", "--latency"],
    ]);
    expect(await issues("solve", skipDag, "--solver", "store-all", "--bandwidth", "16GB/s")).toEqual([
      ["option", "--latency"],
    ]);
    const batch = ["--instances", chain, "--budgets", "100%", "--solvers", "store-all", "--out", "x.jsonl"];
    expect(await issues("batch", ...batch, "--hardware", "PCIe4")).toEqual([["option", "--hardware"]]);
    const run = await cli("solve", chain, "--solver", "store-all", "--bandwidth", "fast");
    expect(run.code).toBe(2);
    expect(run.err).toContain("--bandwidth");
    expect(run.err).not.toMatch(/^\s+at /m);
  });

  it("solve under the link asked for and record it in the result and the log's setting", async () => {
    const log = join(tempFolder(), "solve.jsonl");
    const args = [skipDag, "--solver", "store-all", "--hardware", "pcie5", "--latency", "20us"];
    const run = await cli("solve", ...args, "--json", "--out", log);
    expect(run.code).toBe(0);
    const pcie5 = findPreset("pcie5")?.bandwidth;
    expect(JSON.parse(run.out).options.hardware).toEqual({
      preset: "pcie5",
      bandwidth: pcie5,
      latency: 0.02,
    });
    expect(logLines(log)[0]?.setting).toMatchObject({
      hardware: { preset: "pcie5", bandwidth: pcie5, latency: 0.02 },
    });
  });

  it("resume a batch only under the same link: another --hardware runs every job again", async () => {
    const log = join(tempFolder(), "links.jsonl");
    const batch = (...more: string[]) =>
      cli(
        "batch",
        "--instances",
        chain,
        "--budgets",
        "100%",
        "--solvers",
        "store-all",
        "--out",
        log,
        ...more,
      );
    expect(reported((await batch()).err, "new")).toBe(1);
    expect(reported((await batch("--hardware", "pcie4")).err, "new")).toBe(1);
    expect(reported((await batch("--hardware", "pcie4", "--bandwidth", "25GB/s")).err, "done")).toBe(1);
    expect(reported((await batch("--hardware", "pcie3")).err, "new")).toBe(1);
    expect(reported((await batch("--hardware", "pcie3", "--latency", "1ms")).err, "new")).toBe(1);
    expect(reported((await batch()).err, "done")).toBe(1);
    const lines = logLines(log);
    expect(lines).toHaveLength(4);
    expect(lines.map((line) => (line.setting as { hardware: unknown }).hardware)).toEqual([
      null,
      { preset: "pcie4", bandwidth: 25e6, latency: 0.01 },
      { preset: "pcie3", bandwidth: 12e6, latency: 0.01 },
      { preset: "pcie3", bandwidth: 12e6, latency: 1 },
    ]);
    expect(
      lines.map((line) => (line.options as { hardware: { bandwidth: number } }).hardware.bandwidth),
    ).toEqual([100, 25e6, 12e6, 12e6]);
  });

  it("count log lines written before links could be chosen as solved under the instance's own link", async () => {
    const log = join(tempFolder(), "old.jsonl");
    const batch = (...more: string[]) =>
      cli(
        "batch",
        "--instances",
        chain,
        "--budgets",
        "100%",
        "--solvers",
        "store-all",
        "--out",
        log,
        ...more,
      );
    expect((await batch()).code).toBe(0);
    const [line] = logLines(log) as [{ setting: Record<string, unknown> }];
    const { hardware: _dropped, ...oldSetting } = line.setting;
    writeFileSync(log, `${JSON.stringify({ ...line, setting: oldSetting })}\n`);
    const rerun = await batch();
    expect(reported(rerun.err, "done")).toBe(1);
    expect(reported(rerun.err, "new")).toBe(0);
    expect(reported((await batch("--hardware", "sd-card")).err, "new")).toBe(1);
  });
});
