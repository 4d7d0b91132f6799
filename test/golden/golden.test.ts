/**
 * Golden results on the shipped zoo instances: status, makespan and peak of the deterministic solvers
 * at fixed budgets, so that any change in behaviour is a deliberate diff of test/golden/expected.json.
 * chain-dp's entries are optimal values: a faster implementation must reproduce them exactly.
 * Regenerate after an intended change with: UPDATE_GOLDEN=1 npx vitest run test/golden
 */
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { solve } from "../../solvers/index.js";
import { loadInstance } from "../../src/instance/load.js";

interface GoldenCase {
  readonly instance: string;
  readonly solver: string;
  readonly budget: string;
}

interface GoldenAnswer {
  readonly status: string;
  readonly makespanMs: number | null;
  readonly peakBytes: number | null;
}

const CASES: readonly GoldenCase[] = [
  ...["resnet-50-b32-224-op", "densenet-121-b32-224-op", "inception-v3-b32-299-op", "unet-b4-512-op"].flatMap(
    (instance) =>
      ["store-all", "recompute-all", "chen-sqrt", "chen-greedy"].flatMap((solver) =>
        ["50%", "80%"].map((budget) => ({ instance, solver, budget })),
      ),
  ),
  ...[
    "resnet-50-b32-224-block",
    "gpt2-small-b8-t1024-block",
    "mobilenet-v2-b32-224-block",
    "vgg-16-b32-224-block",
  ].flatMap((instance) =>
    ["chain-dp", "chen-greedy"].flatMap((solver) =>
      ["40%", "60%", "80%"].map((budget) => ({ instance, solver, budget })),
    ),
  ),
];

const expectedPath = new URL("./expected.json", import.meta.url);
const keyOf = (c: GoldenCase) => `${c.instance} ${c.solver} ${c.budget}`;

async function answer(golden: GoldenCase): Promise<GoldenAnswer> {
  const instance = await loadInstance(`instances/zoo/${golden.instance}.json`);
  const result = await solve(instance, { solver: golden.solver, budget: golden.budget });
  return { status: result.status, makespanMs: result.makespanMs, peakBytes: result.peakBytes };
}

describe("golden results on the zoo instances", () => {
  if (process.env.UPDATE_GOLDEN) {
    it("regenerates test/golden/expected.json", async () => {
      const entries: Record<string, GoldenAnswer> = {};
      for (const golden of CASES) entries[keyOf(golden)] = await answer(golden);
      writeFileSync(expectedPath, `${JSON.stringify(entries, null, 2)}\n`);
    });
    return;
  }
  const expected = JSON.parse(readFileSync(expectedPath, "utf8")) as Record<string, GoldenAnswer>;
  for (const golden of CASES) {
    it(`${keyOf(golden)} answers as recorded`, async () => {
      const recorded = expected[keyOf(golden)];
      expect(recorded, "no recorded answer: regenerate with UPDATE_GOLDEN=1").toBeDefined();
      const now = await answer(golden);
      expect(now.status).toBe(recorded?.status);
      expect(now.peakBytes).toBe(recorded?.peakBytes);
      if (now.makespanMs === null) expect(recorded?.makespanMs).toBeNull();
      else expect(now.makespanMs).toBeCloseTo(recorded?.makespanMs ?? Number.NaN, 9);
    });
  }
});
