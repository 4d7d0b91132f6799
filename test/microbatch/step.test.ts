/** The step arithmetic of microbatching (src/evaluate/microbatch.ts; proofs/microbatch.md): makespan, peak, buffer, divisors. */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { accumulationCost, divisorsOf, stepCost } from "../../src/evaluate/microbatch.js";
import { toInstance } from "../../src/zoo/level.js";
import { zooModel } from "../../src/zoo/registry.js";
import { example } from "../helpers.js";

const mlp = toInstance(zooModel("mlp-chain").build({ batch: 8 }), { level: "op" });
const gradients = mlp.memory?.gradients ?? 0;

describe("stepCost", () => {
  it("is the micro-batch's own figures when k = 1, with no accumulation", () => {
    const step = stepCost(mlp, 1, { makespanMs: 2.5, peakBytes: 1000 }, { accumulation: "buffer" });
    expect(step).toMatchObject({ makespanMs: 2.5, peakBytes: 1000, accumulationMs: 0, bufferBytes: 0 });
  });

  it("adds k micro-batch makespans and k - 1 memory-bound adds over the gradients", () => {
    const bandwidth = 1e6;
    const step = stepCost(mlp, 4, { makespanMs: 2, peakBytes: 1000 }, { bandwidth });
    expect(gradients).toBeGreaterThan(0);
    expect(step.accumulationMs).toBeCloseTo((3 * 3 * gradients) / bandwidth, 12);
    expect(step.makespanMs).toBeCloseTo(8 + step.accumulationMs, 12);
  });

  it("keeps the peak with in-place accumulation and adds the gradients' bytes with a buffer", () => {
    const micro = { makespanMs: 1, peakBytes: 5000 };
    expect(stepCost(mlp, 2, micro).peakBytes).toBe(5000);
    expect(stepCost(mlp, 2, micro, { accumulation: "buffer" })).toMatchObject({
      peakBytes: 5000 + gradients,
      bufferBytes: gradients,
    });
  });

  it("refuses k > 1 on an instance that does not split fixedBytes, naming microbatches", () => {
    const chain = example("chain");
    expect(chain.memory).toBeUndefined();
    expect(accumulationCost(chain, 1).accumulationMs).toBe(0);
    try {
      accumulationCost(chain, 2);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).issues.map((issue) => issue.path)).toEqual(["microbatches"]);
    }
  });

  it("refuses every bad option at once", () => {
    try {
      accumulationCost(mlp, 0, { accumulation: "sideways" as never, bandwidth: -1 });
      expect.unreachable();
    } catch (error) {
      expect((error as InputError).issues.map((issue) => issue.path)).toEqual([
        "microbatches",
        "accumulation",
        "bandwidth",
      ]);
    }
  });
});

describe("divisorsOf", () => {
  it("lists the divisors in ascending order", () => {
    expect(divisorsOf(1)).toEqual([1]);
    expect(divisorsOf(12)).toEqual([1, 2, 3, 4, 6, 12]);
    expect(divisorsOf(49)).toEqual([1, 7, 49]);
    expect(divisorsOf(13)).toEqual([1, 13]);
  });

  it("agrees with trial division up to 200", () => {
    for (let b = 1; b <= 200; b++)
      expect(divisorsOf(b)).toEqual(Array.from({ length: b }, (_, i) => i + 1).filter((d) => b % d === 0));
  });

  it("refuses a batch that is not a positive integer", () => {
    expect(() => divisorsOf(0)).toThrow(InputError);
    expect(() => divisorsOf(2.5)).toThrow(InputError);
  });
});
