/**
 * `remat report` on a log written by `remat batch --bound` (issue 17 item 2 with issue 13 item 4): the
 * bound record of each instance and budget gives every answer it covers a certified gap, and a bound
 * over the stage grid does not cover an answer outside it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildReport } from "../../src/report/model.js";
import { parseResultRecords } from "../../src/report/records.js";
import { cli, tempFolder } from "../cli/run.js";

const folder = tempFolder("remat-report-bound-");

describe("remat report on a log with bound records", () => {
  it("prints a certified gap of at least 0 for each answer the recorded bound covers", async () => {
    const log = join(folder, "bounded.jsonl");
    const batch = await cli(
      "batch",
      "--instances",
      "instances/examples/coarse-chain.json",
      "--budgets",
      "60%,90%",
      "--solvers",
      "chen-greedy,chain-dp",
      "--bound",
      "--quiet",
      "--out",
      log,
    );
    expect(batch.code).toBe(0);
    const text = readFileSync(log, "utf8");
    expect(text).toMatch(/"kind":"bound"/);
    const report = buildReport(parseResultRecords(text, log, "test").records);
    if ("unknownReference" in report) throw new Error("unexpected unknown reference");
    const cells = report.instances.flatMap((table) => table.rows.flatMap((row) => [...row.cells.values()]));
    const gaps = cells.map((cell) => cell.gap).filter((gap) => gap !== null);
    expect(gaps.length).toBeGreaterThan(0);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(-1e-9);
    const csv = await cli("report", log, "--format", "csv");
    expect(csv.code).toBe(0);
  });

  it("gives no gap from a stage-grid bound to an answer the log says lies outside the grid", () => {
    const result = (inStageGrid: boolean) => ({
      file: "a.json",
      instance: "a",
      solver: "s",
      budget: "50%",
      budgetBytes: 10,
      status: "feasible",
      makespanMs: 12,
      peakBytes: 9,
      overhead: 0.2,
      inStageGrid,
    });
    const bound = {
      kind: "bound",
      file: "a.json",
      budget: "50%",
      status: "bound",
      valueMs: 10,
      over: "stage-grid",
      setting: {},
    };
    const gapOf = (inStageGrid: boolean) => {
      const text = [bound, result(inStageGrid)].map((entry) => JSON.stringify(entry)).join("\n");
      return parseResultRecords(text, "log", "test").records.map((record) => record.gridBound?.valueMs)[0];
    };
    expect(gapOf(true)).toBe(10);
    const report = (inStageGrid: boolean) => {
      const text = [bound, result(inStageGrid)].map((entry) => JSON.stringify(entry)).join("\n");
      const built = buildReport(parseResultRecords(text, "log", "test").records);
      if ("unknownReference" in built) throw new Error("unexpected");
      return [...(built.instances[0]?.rows[0]?.cells.values() ?? [])][0]?.gap;
    };
    expect(report(true)).toBeCloseTo(0.2, 12);
    expect(report(false)).toBeNull();
  });
});
