/**
 * The CLI as a user meets it: exit codes (0 an answer, 2 bad input, 1 other failures), every problem
 * printed without a stack trace, JSON output fields, and result logs that are appended, never truncated.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../src/cli/main.js";

const chain = "instances/examples/chain.json";
const folder = mkdtempSync(join(tmpdir(), "remat-cli-"));

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(args, {
    out: (text) => (out += `${text}\n`),
    err: (text) => (err += `${text}\n`),
  });
  return { code, out, err };
}

function file(name: string, content: unknown): string {
  const path = join(folder, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

describe("remat CLI", () => {
  it("lists its commands on --help", async () => {
    const { code, out } = await cli("--help");
    expect(code).toBe(0);
    for (const command of ["solve", "evaluate", "solvers", "demo"]) expect(out).toContain(command);
  });

  it("solves with --json and prints the documented fields", async () => {
    const { code, out } = await cli("solve", chain, "--budget", "100%", "--solver", "chen-greedy", "--json");
    expect(code).toBe(0);
    const result = JSON.parse(out);
    for (const field of [
      "status",
      "solver",
      "budgetBytes",
      "makespanMs",
      "peakBytes",
      "overhead",
      "lowerBoundMs",
      "schedule",
    ])
      expect(result).toHaveProperty(field);
    expect(result.stats.wallMs).toBeGreaterThanOrEqual(0);
  });

  it("passes --extra switches to the solver, values read as JSON when they parse", async () => {
    const zoo = "instances/zoo/resnet-18-b4-32-classes10-op.json";
    const args = ["solve", zoo, "--solver", "graph-mincut", "--objective", "memory", "--json"];
    const search = JSON.parse((await cli(...args)).out);
    const partition = JSON.parse((await cli(...args, "--extra", "method=partition")).out);
    expect(search.stats.lowerSets).toBeGreaterThan(0);
    expect(partition.stats.savedBytes).toBeGreaterThan(0);
    expect(partition.stats.lowerSets).toBeUndefined();
  });

  it("answers infeasible with exit code 0", async () => {
    const { code, out } = await cli("solve", chain, "--budget", "1KB", "--solver", "store-all");
    expect(code).toBe(0);
    expect(out).toContain("infeasible");
  });

  it("exits 2 with every problem and no stack trace for bad input", async () => {
    const broken = file("broken.json", "{ nope");
    const cyclic = file("cyclic.json", {
      format: "remat-instance/1",
      name: "c",
      nodes: [
        { id: "x", fwd: 0, bwd: 0, bytes: -1 },
        { id: "a", fwd: 1, bwd: 1, bytes: 1, inputs: ["x", "b"] },
        { id: "b", fwd: 1, bwd: 1, bytes: 1, inputs: ["a"] },
      ],
    });
    const cases: [string[], RegExp][] = [
      [["solve", chain, "--solver", "magic"], /--solver must be one of store-all/],
      [["solve", chain, "--solver", "store-all", "--budget", "lots"], /--budget must be/],
      [["solve", join(folder, "absent.json"), "--solver", "store-all"], /absent\.json/],
      [["solve", broken, "--solver", "store-all"], /valid JSON.*broken\.json/],
      [
        ["solve", cyclic, "--solver", "store-all"],
        /nodes\[0\]\.bytes must be a non-negative integer, got -1/,
      ],
      [["solve", chain, "--solver", "store-all", "--colour"], /Unknown option/],
      [["solve", chain, "--solver", "checkpoints", "--checkpoints", "a,zz"], /checkpoints\[1\]/],
      [["solve", chain, "--solver", "graph-mincut", "--extra", "spanWork"], /--extra must be KEY=VALUE/],
      [["solve", chain, "--solver", "graph-mincut", "--extra", "spanWork=-1"], /--extra spanWork/],
      [["frobnicate"], /unknown command/],
    ];
    for (const [args, message] of cases) {
      const { code, err } = await cli(...args);
      expect(code, args.join(" ")).toBe(2);
      expect(err).toMatch(message);
      expect(err).not.toMatch(/^\s+at /m);
    }
  });

  it("evaluates schedule files and results, and exits 2 for an invalid schedule naming file, ops[i], instruction and reason", async () => {
    const solved = await cli("solve", chain, "--solver", "recompute-all", "--json");
    const result = file("result.json", solved.out);
    const valid = await cli("evaluate", chain, result, "--json");
    expect(valid.code).toBe(0);
    expect(JSON.parse(valid.out)).toMatchObject({ valid: true, peakBytes: JSON.parse(solved.out).peakBytes });
    const bad = file("bad.json", { format: "remat-schedule/1", instance: "hand-chain", ops: ["F x", "F b"] });
    const invalid = await cli("evaluate", chain, bad, "--json");
    expect(invalid.code).toBe(2);
    expect(JSON.parse(invalid.out).error).toMatchObject({ index: 1, tensor: "a:a" });
    const text = await cli("evaluate", chain, bad);
    expect(text.code).toBe(2);
    for (const part of [bad, "ops[1]", '"F b"', "a:a"]) expect(text.err).toContain(part);
    expect(text.err).not.toMatch(/^\s+at /m);
    const list = await cli("evaluate", chain, file("bad-list.json", ["F x", "F b"]));
    expect(list.err).toContain("[1] must be");
  });

  it("appends to a .jsonl results log and never truncates it", async () => {
    const log = file("results.jsonl", '{"earlier":true}\n');
    await cli("solve", chain, "--solver", "store-all", "--out", log);
    await cli("solve", chain, "--solver", "chen-sqrt", "--out", log);
    const lines = readFileSync(log, "utf8").trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0] as string)).toEqual({ earlier: true });
  });

  it("runs as the installed bin with the same exit codes", () => {
    expect(execFileSync("node", ["bin/remat.js", "solvers"], { encoding: "utf8" })).toContain("chen-greedy");
    const bad = spawnSync(
      "node",
      ["bin/remat.js", "solve", chain, "--solver", "store-all", "--budget", "-3"],
      { encoding: "utf8" },
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--budget");
    expect(bad.stderr).not.toMatch(/^\s+at /m);
  });

  it("batch-solves into a results log, resumes without repeating, and plots it", async () => {
    const log = join(folder, "batch.jsonl");
    const args = [
      "batch",
      "--instances",
      "instances/examples",
      "--budgets",
      "100%,70%",
      "--solvers",
      "store-all,chen-greedy",
      "--out",
      log,
      "--jobs",
      "2",
    ];
    const first = await cli(...args);
    expect(first.code).toBe(0);
    const lines = readFileSync(log, "utf8").trim().split("\n");
    expect(lines).toHaveLength(3 * 2 * 2);
    expect(JSON.parse(lines[0] as string)).toHaveProperty("status");
    const second = await cli(...args);
    expect(second.out).toContain("nothing to run");
    expect(readFileSync(log, "utf8").trim().split("\n")).toHaveLength(12);
    const svg = join(folder, "front.svg");
    expect((await cli("plot", log, "--out", svg)).code).toBe(0);
    expect(readFileSync(svg, "utf8")).toMatch(/^<svg[\s\S]*hand-skip-dag[\s\S]*<\/svg>\s*$/);
    const partitioned = join(folder, "partition.jsonl");
    const extra = ["--solvers", "graph-mincut", "--budgets", "100%", "--extra", "method=partition"];
    expect((await cli("batch", "--instances", chain, ...extra, "--out", partitioned)).code).toBe(0);
    expect(JSON.parse(readFileSync(partitioned, "utf8")).stats.savedBytes).toBeGreaterThanOrEqual(0);
  });

  it("plots the memory timeline of a result against its budget", async () => {
    const result = file(
      "timeline-result.json",
      (await cli("solve", chain, "--solver", "store-all", "--budget", "2KB", "--json")).out,
    );
    const svg = join(folder, "timeline.svg");
    expect((await cli("plot", result, "--instance", chain, "--out", svg)).code).toBe(0);
    expect(readFileSync(svg, "utf8")).toContain("budget");
  });

  it("runs the demo (npm start) on the bundled ResNet-50, op-level and block-level, at two budgets, within 100 columns", async () => {
    const { code, out } = await cli("demo");
    expect(code).toBe(0);
    expect(out).toContain("resnet-50-b32-224-op");
    expect(out).toContain("resnet-50-b32-224-block");
    for (const solver of [
      "store-all",
      "chen-sqrt",
      "chen-greedy",
      "recompute-all",
      "chain-dp",
      "graph-mincut",
    ])
      expect(out).toContain(solver);
    expect(out).toMatch(/store-all\s+50% = [^\n]*infeasible/);
    expect(Math.max(...out.split("\n").map((line) => line.length))).toBeLessThanOrEqual(100);
  }, 180_000); // 13 s on the quiet machine; over 60 s at load 20

  it("refuses to simulate a full-size network beyond --max-memory before any kernel runs", async () => {
    const resnet50 = "instances/zoo/resnet-50-b32-224-op.json";
    const result = file("r50.json", (await cli("solve", resnet50, "--solver", "chen-sqrt", "--json")).out);
    const { code, err } = await cli("simulate", resnet50, result);
    expect(code).toBe(2);
    expect(err).toContain("--max-memory");
  });
});
