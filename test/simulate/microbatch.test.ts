/**
 * simulateMicrobatched (src/simulate/microbatch.ts): k micro-batches with accumulated gradients against
 * the full batch's plain backprop, on real kernels. Models without batch normalization agree to the
 * stated float32 reassociation tolerance; a model with it is flagged, never called equal
 * (proofs/microbatch.md, last claim).
 */
import { describe, expect, it } from "vitest";
import { solve } from "../../solvers/solve.js";
import { InputError } from "../../src/errors.js";
import { recomputeAllSchedule, storeAllSchedule } from "../../src/schedule/builders.js";
import { parseSchedule } from "../../src/schedule/text.js";
import { MICROBATCH_TOLERANCE, simulateMicrobatched } from "../../src/simulate/microbatch.js";
import { toInstance } from "../../src/zoo/level.js";
import { zooModel } from "../../src/zoo/registry.js";

function at(zoo: string, config: Record<string, number>) {
  return toInstance(zooModel(zoo).build(config), { level: "op" });
}

describe("simulateMicrobatched", () => {
  for (const k of [2, 4, 16])
    it(`accumulates the mlp-chain's gradients over ${k} micro-batches to the full batch's within the tolerance`, async () => {
      const full = at("mlp-chain", { batch: 16, hidden: 32, inputSize: 24 });
      const micro = at("mlp-chain", { batch: 16 / k, hidden: 32, inputSize: 24 });
      const result = await simulateMicrobatched(full, micro, storeAllSchedule(micro));
      expect(result.maxAbsGradient).toBeGreaterThan(0);
      expect(result.maxRelativeGradError).toBeLessThanOrEqual(MICROBATCH_TOLERANCE);
      expect(result).toMatchObject({ equal: true, microbatches: k, batchStatistics: [], reason: null });
      expect(result.microLoss).toBeCloseTo(result.loss, 5);
    });

  it("agrees with a recomputing micro-batch schedule and the softmax cross-entropy MLP", async () => {
    const full = at("mlp", { batch: 8, hidden: 16, inputSize: 12, layers: 2 });
    const micro = at("mlp", { batch: 2, hidden: 16, inputSize: 12, layers: 2 });
    const result = await simulateMicrobatched(full, micro, recomputeAllSchedule(micro));
    expect(result.equal).toBe(true);
  });

  it("runs a solver's micro-batch schedule (chain-dp at 60% of the store-all peak)", async () => {
    // test/simulate/chain-loop.test.ts's deep, narrow chain, where the activations outweigh the weights
    const config = { inputSize: 8, hidden: 16, layers: 10, outputs: 4 };
    const full = at("mlp-chain", { ...config, batch: 128 });
    const micro = at("mlp-chain", { ...config, batch: 64 });
    const plan = await solve(micro, { solver: "chain-dp", budget: "60%" });
    expect(plan.status).toBe("optimal");
    expect(plan.overhead).toBeGreaterThan(0);
    const result = await simulateMicrobatched(full, micro, parseSchedule(plan.schedule));
    expect(result.equal).toBe(true);
  });

  it("reports the reassociation error it measures: not bitwise zero, so tolerance 0 calls it unequal", async () => {
    const full = at("mlp-chain", { batch: 8, hidden: 32, inputSize: 24 });
    const micro = at("mlp-chain", { batch: 4, hidden: 32, inputSize: 24 });
    const strict = await simulateMicrobatched(full, micro, storeAllSchedule(micro), { tolerance: 0 });
    expect(strict.maxRelativeGradError).toBeGreaterThan(0);
    expect(strict.maxRelativeGradError).toBeLessThanOrEqual(MICROBATCH_TOLERANCE);
    expect(strict.equal).toBe(false);
  });

  /** ResNet-18 is the zoo's smallest network with batch normalization; 8x8 inputs keep it short. */
  const BN_TIMEOUT_MS = 180_000;
  it("flags a network with batch normalization instead of calling it equal", {
    timeout: BN_TIMEOUT_MS,
  }, async () => {
    const full = at("resnet-18", { batch: 2, inputSize: 8, classes: 4 });
    const micro = at("resnet-18", { batch: 1, inputSize: 8, classes: 4 });
    const result = await simulateMicrobatched(full, micro, storeAllSchedule(micro));
    expect(result.equal).toBe(false);
    expect(result.batchStatistics).toContain("stem.bn");
    expect(result.reason).toMatch(/batch normalization/);
  });

  it("refuses a micro-batch instance of another network or a batch that does not divide", async () => {
    const full = at("mlp-chain", { batch: 6, hidden: 32, inputSize: 24 });
    const other = at("mlp-chain", { batch: 3, hidden: 16, inputSize: 24 });
    const four = at("mlp-chain", { batch: 4, hidden: 32, inputSize: 24 });
    await expect(simulateMicrobatched(full, other, storeAllSchedule(other))).rejects.toThrow(InputError);
    await expect(simulateMicrobatched(full, four, storeAllSchedule(four))).rejects.toThrow(InputError);
  });
});
