/**
 * `remat report` (src/report/, src/cli/commands/report.ts): per-instance tables with budgets as rows and
 * solvers as columns, the best per row marked, the certified gap where a bound was recorded, a summary of
 * wins and geometric-mean makespan ratios against the reference solver; Markdown and CSV; bad logs refused
 * with exit 2 naming the file, the line and the field.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { buildReport, type Report } from "../../src/report/model.js";
import { parseResultRecords } from "../../src/report/records.js";
import { csvField } from "../../src/report/text.js";
import { cli, tempFolder } from "../cli/run.js";
import { handLog, line, solved, writeLog } from "./fixture.js";

const folder = tempFolder("remat-report-");

function reportOf(lines: readonly unknown[], reference?: string): Report {
  const text = lines.map((entry) => JSON.stringify(entry)).join("\n");
  const report = buildReport(parseResultRecords(text, "log.jsonl", "test").records, reference);
  if ("unknownReference" in report) throw new Error("unexpected unknown reference");
  return report;
}

describe("the report model", () => {
  it("marks the least makespan of each row, ties included, and only cells with a schedule", () => {
    const report = reportOf(handLog());
    const [a, b] = report.instances;
    const best = (table: typeof a) =>
      table?.rows.map((row) => [
        row.budget,
        [...row.cells.values()].filter((c) => c.best).map((c) => c.solver),
      ]);
    expect(best(a)).toEqual([
      ["50%", ["chain-dp"]],
      ["70%", ["chain-dp"]],
      ["90%", ["store-all"]],
    ]);
    expect(best(b)).toEqual([
      ["50%", ["chen-greedy"]],
      ["90%", ["store-all", "chen-greedy"]],
    ]);
  });

  it("leaves out of an instance's columns a solver that rejected every budget, and names it", () => {
    const [, b] = reportOf(handLog()).instances;
    expect(b?.solvers).toEqual(["store-all", "chen-greedy"]);
    expect(b?.rejectedBy).toEqual(["chain-dp"]);
  });

  it("counts wins per solver and takes the geometric mean of makespan ratios over rows both solved", () => {
    const report = reportOf(handLog(), "store-all");
    const summary = Object.fromEntries(report.summary.map((s) => [s.solver, s]));
    expect([summary["store-all"]?.wins, summary["chen-greedy"]?.wins, summary["chain-dp"]?.wins]).toEqual([
      2, 2, 2,
    ]);
    expect(summary["chen-greedy"]?.ratio).toBeCloseTo(Math.sqrt(1.1), 12);
    expect(summary["chen-greedy"]?.compared).toBe(2);
    expect(summary["chain-dp"]?.ratio).toBeCloseTo(1.1, 12);
    expect(summary["store-all"]?.ratio).toBe(1);
  });

  it("takes as reference, when none is asked for, the solver that solved the most rows", () => {
    const report = reportOf(handLog());
    expect(report.reference).toBe("chen-greedy");
    const chainDp = report.summary.find((s) => s.solver === "chain-dp");
    expect(chainDp?.ratio).toBeCloseTo(((1.1 / 1.1) * (1.2 / 1.3) * (1.4 / 1.6)) ** (1 / 3), 12);
  });

  it("reads the certified gap from a recorded bound that covers the answer, and from a bound over all schedules", () => {
    const [a] = reportOf(handLog()).instances;
    expect(a?.rows[1]?.cells.get("chain-dp")?.gap).toBe(0.04);
    expect(a?.rows[0]?.cells.get("chain-dp")?.gap).toBeNull();
    const overAll = reportOf([
      solved("c.json", "milp", "50%", 0.5, "feasible", {
        gridBound: { status: "bound", valueMs: 120, over: "all", coversAnswer: false, gap: null },
      }),
    ]);
    expect(overAll.instances[0]?.rows[0]?.cells.get("milp")?.gap).toBeCloseTo(150 / 120 - 1, 12);
  });

  it("counts the last answered line of a job when a log holds a failure and a rerun", () => {
    const report = reportOf([
      line("a.json", "milp", "50%", "error", { reason: "worker died" }),
      solved("a.json", "milp", "50%", 0.25),
      line("a.json", "milp", "50%", "timeout", { stopped: true }),
    ]);
    const cell = report.instances[0]?.rows[0]?.cells.get("milp");
    expect([cell?.status, cell?.overhead, cell?.line]).toEqual(["feasible", 0.25, 2]);
  });
});

describe("remat report", () => {
  const log = writeLog(folder, "hand.jsonl", handLog());

  it("prints Markdown tables per instance, the best in bold, the gap, and the summary", async () => {
    const run = await cli("report", log, "--reference", "store-all");
    expect(run.code).toBe(0);
    expect(run.out).toContain("| budget | store-all | chen-greedy | chain-dp |");
    expect(run.out).toContain("| 70% | infeasible | 30.0% feasible | **20.0% optimal, gap 4.0%** |");
    expect(run.out).toContain("| 90% | **0.0% optimal** | **0.0% feasible** |");
    expect(run.out).toContain("Not applicable (rejected): chain-dp.");
    expect(run.out).toContain(
      "| solver | wins | solved | optimal | failed | rows | makespan / store-all (geo-mean) |",
    );
    expect(run.out).toContain("| chen-greedy | 2 | 5 | 0 | 0 | 5 | 1.049 (2 rows) |");
  });

  it("writes one CSV row per instance x budget x solver, best and gap unrounded", async () => {
    const out = join(folder, "hand.csv");
    const run = await cli("report", log, "--out", out);
    expect(run.code).toBe(0);
    const [header, ...rows] = readFileSync(out, "utf8").trim().split("\n");
    expect(header).toBe(
      "instance,file,budget,budget_bytes,solver,status,stopped,overhead,makespan_ms,peak_bytes,gap,best,log_line",
    );
    expect(rows).toHaveLength(15);
    expect(rows).toContain("a,a.json,70%,700,chain-dp,optimal,false,0.2,120,695,0.04,true,8");
    expect(rows).toContain("b,b.json,50%,500,chain-dp,rejected,false,,,,,false,15");
  });

  it("writes one HTML page with the libraries and data inlined and nothing loaded from elsewhere", async () => {
    const out = join(folder, "hand.html");
    const run = await cli("report", log, "--out", out);
    expect(run.code).toBe(0);
    const page = readFileSync(out, "utf8");
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import/);
    expect(page).toContain('<table class="sortable" id="summary">');
    expect(page).toContain('<td class="best status-optimal" data-sort="120">20.0% optimal, gap 4.0%</td>');
    expect(page).toContain("The log kept no schedules");
    expect(page.match(/<script>/g)).toHaveLength(4);
  });

  it("quotes CSV fields holding commas, quotes or line breaks", () => {
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField("plain")).toBe("plain");
    expect(csvField(null)).toBe("");
  });

  it("refuses a reference solver the log does not have, listing those it has", async () => {
    const run = await cli("report", log, "--reference", "revolve");
    expect(run.code).toBe(2);
    expect(run.err).toContain("--reference");
    expect(run.err).toContain("store-all, chen-greedy, chain-dp");
  });

  it("refuses an unknown format", async () => {
    const run = await cli("report", log, "--format", "pdf");
    expect(run.code).toBe(2);
    expect(run.err).toContain("--format");
  });

  it("refuses lines of the wrong shape, naming every line and field, with exit 2", () => {
    const text = [
      JSON.stringify(solved("a.json", "x", "50%", 0.1)),
      JSON.stringify({ ...solved("a.json", "y", "50%", 0.1), overhead: "12%" }),
      JSON.stringify({ ...solved("a.json", "z", "50%", 0.1), solver: 3 }),
    ].join("\n");
    const error = (() => {
      try {
        parseResultRecords(text, "bad.jsonl", "remat report");
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).file).toBe("bad.jsonl");
    expect((error as InputError).issues.map((issue) => [issue.code, issue.path])).toEqual([
      ["type", "line 2: overhead"],
      ["type", "line 3: solver"],
    ]);
  });

  it("exits 2 for a bad log, naming the file and the line", async () => {
    const bad = writeLog(folder, "bad.jsonl", [{ ...solved("a.json", "x", "50%", 0.1), makespanMs: "slow" }]);
    const run = await cli("report", bad);
    expect(run.code).toBe(2);
    expect(run.err).toContain("line 1: makespanMs");
    expect(run.err).toContain(bad);
    expect(run.err).not.toMatch(/^\s+at /m);
  });

  it("skips a torn line with a warning naming it and reports the rest", async () => {
    const lines = handLog().map((entry) => JSON.stringify(entry));
    const torn = writeLog(folder, "torn.jsonl", [
      lines[0],
      (lines[1] as string).slice(0, 30),
      ...lines.slice(1),
    ]);
    const run = await cli("report", torn);
    expect(run.code).toBe(0);
    expect(run.err).toContain(`${torn}: skipped 1 line that is not JSON (torn records?), first at line 2`);
    expect(run.out).toContain("### a (a.json)");
  });

  it("reports a real batch log end to end", async () => {
    const out = join(folder, "batch.jsonl");
    const batch = await cli(
      ...["batch", "--instances", "instances/examples", "--budgets", "100%,60%", "--solvers"],
      ...["store-all,recompute-all,chain-dp", "--out", out, "--quiet"],
    );
    expect(batch.code).toBe(0);
    const run = await cli("report", out, "--reference", "store-all");
    expect(run.code).toBe(0);
    expect(run.out).toContain("### hand-chain (instances/examples/chain.json)");
    expect(run.out).toMatch(
      /\| 100% \| \*\*0\.0% optimal\*\* \| [\d.]+% feasible \| \*\*0\.0% optimal\*\* \|/,
    );
    expect(run.out).toContain("Not applicable (rejected): chain-dp.");
  });
});
