/**
 * chain-dp with `--storage none`, or with modes on instances that offer no stored form, answers exactly
 * as without the option (issue 14 item 4): over every chain instance of instances/ (the examples and
 * the zoo's block chains), at several budgets and both objectives, the whole result but its wall time,
 * the options it records and the storage fields that only a named mode adds.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chainRejection } from "../../solvers/chain/chain-view.js";
import { solve } from "../../solvers/index.js";
import { parseInstance } from "../../src/instance/parse.js";
import type { Instance } from "../../src/instance/types.js";
import type { SolveResult } from "../../src/solve-result.js";

const ROOT = new URL("../../instances/", import.meta.url).pathname;

/** Every instance file of instances/ that is a chain. */
function chainInstances(): Instance[] {
  const files = ["examples", "zoo"].flatMap((dir) =>
    readdirSync(join(ROOT, dir))
      .filter((name) => name.endsWith(".json"))
      .map((name) => join(ROOT, dir, name)),
  );
  return files
    .map((file) => parseInstance(JSON.parse(readFileSync(file, "utf8"))))
    .filter((instance) => chainRejection(instance) === undefined);
}

/** The result without what differs by design: wall time, recorded options, storage fields. */
function comparable(result: SolveResult): Record<string, unknown> {
  const { stats: _stats, options: _options, storedModes: _modes, lossy: _lossy, ...rest } = result;
  return rest;
}

describe("chain-dp without stored forms to plan", () => {
  const instances = chainInstances();

  it("finds chains among the instances", () => {
    expect(instances.length).toBeGreaterThan(5);
  });

  it("answers byte for byte as without the option, with --storage none or modes the instance does not offer", async () => {
    for (const instance of instances)
      for (const setting of [
        { budget: "40%" },
        { budget: "75%" },
        { budget: "60%", slots: 50 },
        { objective: "memory" as const },
      ]) {
        const options = { solver: "chain-dp", ...setting };
        const plain = comparable(await solve(instance, options));
        for (const storage of ["none", "bitmap,fp16,bf16"])
          expect(
            comparable(await solve(instance, { ...options, storage })),
            `${instance.name} ${storage}`,
          ).toEqual(plain);
      }
  }, 120_000);
});
