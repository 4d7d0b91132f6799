/**
 * `remat plot` on a results log that a killed writer left with a torn record: the torn line is skipped with
 * a warning naming the file and the line, and the other results are plotted; a file with no JSON line at all
 * (a pretty-printed schedule given without --instance) is still refused with exit 2.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, tempFolder } from "./run.js";

const chain = "instances/examples/chain.json";
const folder = tempFolder("remat-plot-");

describe("remat plot on a results log", () => {
  it("skips a torn record with a warning and plots the rest", async () => {
    const log = join(folder, "torn.jsonl");
    expect((await cli("solve", chain, "--solver", "store-all", "--budget", "none", "--out", log)).code).toBe(
      0,
    );
    const whole = readFileSync(log, "utf8");
    writeFileSync(log, `${whole}${whole.slice(0, 40)}\n${whole}`);
    const svg = join(folder, "torn.svg");
    const run = await cli("plot", log, "--out", svg);
    expect(run.code).toBe(0);
    expect(run.err).toContain(`${log}: skipped 1 line that is not JSON (torn records?), first at line 2`);
    expect(readFileSync(svg, "utf8")).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  });

  it("refuses a file with no JSON line, naming its first line", async () => {
    const schedule = join(folder, "schedule.json");
    writeFileSync(schedule, '{\n  "format": "remat-schedule",\n  "schedule": []\n}\n');
    const run = await cli("plot", schedule, "--out", join(folder, "schedule.svg"));
    expect(run.code).toBe(2);
    expect(run.err).toContain("line 1");
    expect(run.err).toContain("use --instance for a schedule");
  });
});
