/**
 * `remat batch --bound` (src/cli/batch-bounds.ts; issue 13, item 4): one bound record per instance and
 * budget for all the batch's solvers, never duplicated by a rerun, at most every covered answer's
 * makespan; each answer line says whether the stage-grid bound covers it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, tempFolder } from "../cli/run.js";

const TOLERANCE = 1e-6;

function records(path: string): Record<string, unknown>[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("remat batch --bound", () => {
  it("records one bound per instance and budget, below every covered answer, and a rerun adds none", async () => {
    const log = join(tempFolder("remat-batch-bound-"), "results.jsonl");
    const args = [
      "batch",
      "--instances",
      "instances/examples",
      "--budgets",
      "60%,100%",
      "--solvers",
      "chen-greedy,graph-mincut",
      "--out",
      log,
      "--bound",
    ];
    expect((await cli(...args)).code).toBe(0);
    const first = records(log);
    const bounds = first.filter((line) => line.kind === "bound");
    const answers = first.filter((line) => line.kind === undefined);
    expect(answers.length).toBe(3 * 2 * 2);
    expect(bounds.length).toBe(3 * 2);
    expect(new Set(bounds.map((b) => `${b.file} ${b.budget}`)).size).toBe(bounds.length);
    let covered = 0;
    for (const answer of answers) {
      expect(typeof answer.inStageGrid).toBe("boolean");
      const bound = bounds.find((b) => b.file === answer.file && b.budget === answer.budget);
      expect(bound).toBeDefined();
      if (bound?.status !== "bound" || typeof answer.makespanMs !== "number") continue;
      if (bound.over === "stage-grid" && answer.inStageGrid !== true) continue;
      expect(bound.valueMs as number).toBeLessThanOrEqual(answer.makespanMs * (1 + TOLERANCE));
      covered++;
    }
    expect(covered).toBeGreaterThan(0);
    const rerun = await cli(...args);
    expect(rerun.code).toBe(0);
    expect(rerun.err).not.toContain("another shape");
    expect(records(log).length).toBe(first.length);
  });
});
