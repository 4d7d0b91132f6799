/** solveMicrobatched (solvers/microbatch.ts): fixed k, auto, the instance at b/k, and what it refuses (proofs/microbatch.md). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { solveMicrobatched } from "../../solvers/microbatch.js";
import { solve } from "../../solvers/solve.js";
import { InputError } from "../../src/errors.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { divisorsOf } from "../../src/evaluate/microbatch.js";
import { parseInstance } from "../../src/instance/parse.js";
import type { Instance } from "../../src/instance/types.js";
import { storeAllEvaluation } from "../../src/schedule/builders.js";
import { parseSchedule } from "../../src/schedule/text.js";
import { zooRegeneration } from "../../src/zoo/at-batch.js";
import { example } from "../helpers.js";

function shipped(name: string): Instance {
  const path = new URL(`../../instances/zoo/${name}.json`, import.meta.url);
  return parseInstance(JSON.parse(readFileSync(path, "utf8")), path.pathname);
}

const mlp = shipped("mlp-b32-784-block");
const storeAllPeak = storeAllEvaluation(mlp).peakBytes;
/** Between fixedBytes and the store-all peak: batch 32 must recompute or split. */
const tight = Math.round(mlp.fixedBytes + 0.3 * (storeAllPeak - mlp.fixedBytes));

async function rejection(run: () => Promise<unknown>): Promise<string[][]> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).issues.map((issue) => [issue.code, issue.path]);
  }
  return [];
}

describe("solveMicrobatched", () => {
  it("prices k micro-batches as k times the micro-batch schedule's evaluation plus the accumulation", async () => {
    const result = await solveMicrobatched(mlp, { solver: "chain-dp", budget: tight, microbatches: 4 });
    expect(result).toMatchObject({ batch: 32, microbatches: 4, microBatch: 8, instanceFrom: "zoo" });
    const micro = zooRegeneration(mlp).at(8);
    const evaluation = evaluate(micro, parseSchedule(result.micro?.schedule ?? []));
    if (!evaluation.valid || result.step === null) throw new Error("expected a valid plan");
    expect(result.step.makespanMs).toBeCloseTo(4 * evaluation.makespanMs + result.step.accumulationMs, 9);
    expect(result.step.peakBytes).toBe(evaluation.peakBytes);
    expect(result.step.peakBytes).toBeLessThanOrEqual(tight);
    expect(result.overhead).toBeCloseTo(result.step.makespanMs / storeAllEvaluation(mlp).makespanMs - 1, 12);
  });

  it("chooses under auto the k of least step makespan over every divisor (agrees with solving each)", async () => {
    const auto = await solveMicrobatched(mlp, { solver: "chain-dp", budget: tight, microbatches: "auto" });
    const each = [];
    for (const k of divisorsOf(32)) {
      const fixed = await solveMicrobatched(mlp, { solver: "chain-dp", budget: tight, microbatches: k });
      if (fixed.step !== null) each.push({ k, ms: fixed.step.makespanMs });
    }
    const best = Math.min(...each.map((entry) => entry.ms));
    expect(auto.step?.makespanMs).toBe(best);
    expect(auto.microbatches).toBe(each.find((entry) => entry.ms === best)?.k);
    expect(auto.candidates.map((candidate) => candidate.microbatches)).toEqual(divisorsOf(32));
    for (const candidate of auto.candidates)
      if (candidate.status === "pruned") expect(candidate.stepLowerBoundMs).toBeGreaterThanOrEqual(best);
  });

  it("counts the accumulation buffer in the step peak and solves the micro-batch under the budget less it", async () => {
    const buffer = mlp.memory?.gradients ?? 0;
    const budget = storeAllPeak + buffer;
    const result = await solveMicrobatched(mlp, {
      solver: "chain-dp",
      budget,
      microbatches: 2,
      accumulation: "buffer",
    });
    expect(result.micro?.budgetBytes).toBe(budget - buffer);
    expect(result.step?.bufferBytes).toBe(buffer);
    expect(result.step?.peakBytes).toBe((result.micro?.peakBytes ?? 0) + buffer);
  });

  it("answers infeasible when no k fits, with every candidate listed", async () => {
    const result = await solveMicrobatched(mlp, {
      solver: "chain-dp",
      budget: mlp.fixedBytes,
      microbatches: "auto",
    });
    expect(result.status).toBe("infeasible");
    expect(result.microbatches).toBeNull();
    expect(result.candidates).toHaveLength(divisorsOf(32).length);
  });

  it("with k = 1 gives the solve of the instance itself", async () => {
    const budget = storeAllPeak;
    const result = await solveMicrobatched(mlp, { solver: "chain-dp", budget, microbatches: 1 });
    const plain = await solve(mlp, { solver: "chain-dp", budget });
    expect(plain.makespanMs).not.toBeNull();
    expect(result.instanceFrom).toBe("itself");
    expect(result.step?.makespanMs).toBe(plain.makespanMs);
    expect(result.micro?.schedule).toEqual(plain.schedule);
  });

  it("refuses a k that does not divide the batch (code option, path microbatches)", async () => {
    expect(
      await rejection(() => solveMicrobatched(mlp, { solver: "chain-dp", budget: tight, microbatches: 3 })),
    ).toEqual([["option", "microbatches"]]);
  });

  it("refuses an instance the zoo cannot regenerate, unless batch and instanceAt are given", async () => {
    const chain = example("chain");
    expect(await rejection(() => solveMicrobatched(chain, { solver: "store-all", microbatches: 2 }))).toEqual(
      [["structure", "model"]],
    );
    const memory = { weights: 0, gradients: 0, optimizer: 0 };
    const withMemory = parseInstance({ ...chain, memory: { ...memory, weights: chain.fixedBytes } });
    const result = await solveMicrobatched(withMemory, {
      solver: "store-all",
      microbatches: 2,
      batch: 2,
      instanceAt: () => withMemory,
    });
    expect(result).toMatchObject({ instanceFrom: "given", microbatches: 2, microBatch: 1 });
  });

  it("refuses the memory objective", async () => {
    expect(
      await rejection(() =>
        solveMicrobatched(mlp, { solver: "chain-dp", microbatches: 2, objective: "memory" }),
      ),
    ).toEqual([["option", "objective"]]);
  });
});
