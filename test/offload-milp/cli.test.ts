/**
 * `--lp NAME` (src/cli/flags.ts): sets offload-milp's `lp` switch, is refused with exit 2 for an unknown
 * backend, for a solver without the switch, and when given both as `--lp` and `--extra lp`.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { threePartitionInstance } from "../../src/generate/three-partition.js";
import { cli, tempFolder } from "../cli/run.js";

/**
 * A 3-PARTITION no-instance (proofs/offload-np-hard.md) written to a file, with its memory threshold:
 * no schedule reaches the sum of times, so an `optimal` answer needs the MILP's own proof (the
 * heuristics' incumbents cannot meet the sum-of-times bound).
 */
function instanceFile(): { file: string; budget: string } {
  const r = threePartitionInstance([6, 4, 4, 4, 4, 4]);
  const file = join(tempFolder(), "three-partition.json");
  writeFileSync(file, JSON.stringify(r.instance));
  return { file, budget: String(r.memoryBytes) };
}

describe("remat solve --lp", () => {
  it("solves offload-milp with the backend it names", async () => {
    const { file, budget } = instanceFile();
    const run = await cli(
      "solve",
      file,
      "--budget",
      budget,
      "--solver",
      "offload-milp",
      "--lp",
      "glpk",
      "--json",
    );
    expect(run.code).toBe(0);
    const result = JSON.parse(run.out);
    expect(result.options.extra.lp).toBe("glpk");
    expect(result.status).toBe("optimal");
    expect(result.certificate.backend).toBe("glpk");
  });

  it("exits 2 naming --lp for an unknown backend, a solver without the switch, or --lp given twice", async () => {
    const { file, budget } = instanceFile();
    const cases = [
      ["--solver", "offload-milp", "--lp", "cplex"],
      ["--solver", "store-all", "--lp", "highs"],
      ["--solver", "offload-milp", "--lp", "glpk", "--extra", "lp=highs"],
    ];
    for (const extra of cases) {
      const run = await cli("solve", file, "--budget", budget, ...extra);
      expect(run.code, extra.join(" ")).toBe(2);
      expect(run.err, extra.join(" ")).toContain("--lp");
    }
  });
});
