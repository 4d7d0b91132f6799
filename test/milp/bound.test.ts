/**
 * The bound behind every answer (solvers/milp/bound.ts, `remat solve --bound`; proofs/milp.md, claim 6):
 * the stage-grid LP bound is at most every grid answer's makespan at that budget (graph-mincut, chen-greedy,
 * chain-dp, milp), with the gap it implies; no gap for answers without a schedule.
 */

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { solveWithBound } from "../../solvers/index.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { recomputeAllSchedule, storeAllEvaluation } from "../../src/schedule/builders.js";
import { cli, tempFolder } from "../cli/run.js";
import { buildDag, dagArb } from "../graph/dags.js";

const SEED = 20261205;
const TOLERANCE = 1e-6;

/** A small DAG and a budget between recompute-all's peak and store-all's. */
const smallDag = fc.tuple(dagArb(7), fc.integer({ min: 0, max: 100 })).map(([spec, percent]) => {
  const instance = buildDag(spec);
  const high = storeAllEvaluation(instance).peakBytes;
  const least = evaluate(instance, recomputeAllSchedule(instance));
  const low = least.valid ? Math.min(least.peakBytes, high) : high;
  return { instance, budget: Math.floor(low + ((high - low) * percent) / 100) };
});

describe("solveWithBound", () => {
  it("bounds every stage-grid answer from below and reports its gap", { timeout: 240_000 }, async () => {
    let gaps = 0;
    await fc.assert(
      fc.asyncProperty(smallDag, async ({ instance, budget }) => {
        const answers = [];
        for (const solver of ["graph-mincut", "chen-greedy", "milp"])
          answers.push(await solveWithBound(instance, { solver, budget }));
        const milp = answers[2];
        for (const result of answers) {
          const report = result.gridBound;
          expect(report).toBeDefined();
          if (report === undefined || result.makespanMs === null) {
            expect(report?.gap ?? null).toBeNull();
            continue;
          }
          expect(report.status).toBe("bound");
          expect(report.coversAnswer).toBe(true);
          expect(report.valueMs as number).toBeLessThanOrEqual(result.makespanMs * (1 + TOLERANCE));
          expect(report.gap as number).toBeCloseTo(result.makespanMs / (report.valueMs as number) - 1, 9);
          if (milp?.makespanMs !== null && milp !== undefined)
            expect(report.valueMs as number).toBeLessThanOrEqual(
              (milp.makespanMs as number) * (1 + TOLERANCE),
            );
          gaps++;
        }
      }),
      { seed: SEED, numRuns: 25 },
    );
    expect(gaps).toBeGreaterThan(0);
  });

  it("prints the bound and the gap with remat solve --bound", async () => {
    const [{ instance, budget }] = fc.sample(
      smallDag.filter(({ instance: i, budget: b }) => storeAllEvaluation(i).peakBytes > b && b > 0),
      { seed: SEED + 1, numRuns: 1 },
    ) as [{ instance: Parameters<typeof JSON.stringify>[0]; budget: number }];
    const file = join(tempFolder(), "dag.json");
    writeFileSync(file, JSON.stringify(instance));
    const run = await cli(
      "solve",
      file,
      "--budget",
      String(budget),
      "--solver",
      "recompute-all",
      "--bound",
      "--json",
    );
    expect(run.code).toBe(0);
    const result = JSON.parse(run.out);
    expect(["bound", "infeasible"]).toContain(result.gridBound.status);
    const text = await cli("solve", file, "--budget", String(budget), "--solver", "recompute-all", "--bound");
    expect(text.out).toContain("LP bound");
  });
});
