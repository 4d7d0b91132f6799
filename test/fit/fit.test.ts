/**
 * fitBatches: the largest batch per solver agrees with a scan of every batch size, the overhead cap
 * and the memory are both honoured, and a solver that refuses the instance's class is not applicable.
 */
import { describe, expect, it } from "vitest";
import { solve } from "../../solvers/index.js";
import { InputError } from "../../src/errors.js";
import { fitBatches } from "../../src/fit/fit.js";
import type { FitSolve } from "../../src/fit/types.js";
import { storeAllEvaluation } from "../../src/schedule/builders.js";
import type { SolveResult } from "../../src/solve-result.js";
import { toInstance } from "../../src/zoo/level.js";
import { zooModel } from "../../src/zoo/registry.js";

const run = solve as unknown as FitSolve;

/** The store-all peak of the MLP at `batch`, from the evaluator directly. */
const storeAllPeak = (batch: number) =>
  storeAllEvaluation(toInstance(zooModel("mlp").build({ batch }), { level: "block" })).peakBytes;

/** The largest batch whose store-all peak is within `memory`, by scanning every batch from 1. */
function scanStoreAll(memory: number): number {
  let batch = 0;
  while (storeAllPeak(batch + 1) <= memory) batch++;
  return batch;
}

describe("fitBatches", () => {
  it("finds store-all's largest MLP batch as a scan of every batch size does", async () => {
    const memory = storeAllPeak(23) + 1;
    const report = await fitBatches(
      { model: "mlp", levels: ["block"], memoryBytes: memory, solvers: ["store-all"] },
      run,
    );
    const row = report.rows[0];
    expect(row?.batch).toBe(scanStoreAll(memory));
    expect(row?.batch).toBe(23);
    expect(row?.peakBytes).toBe(storeAllPeak(23));
    expect(row?.firstFailing?.batch).toBe(24);
    expect(report.sizesMonotone.block).toBe(true);
  });

  it("lets chain-dp fit a larger batch than store-all in the same memory, and keeps its peak within it", async () => {
    const memory = storeAllPeak(16);
    const report = await fitBatches(
      { model: "mlp", levels: ["block"], memoryBytes: memory, solvers: ["store-all", "chain-dp"] },
      run,
    );
    const [storeAll, chainDp] = report.rows;
    expect(storeAll?.batch).toBe(16);
    expect(chainDp?.batch).toBeGreaterThan(16);
    expect(chainDp?.peakBytes).toBeLessThanOrEqual(memory);
  });

  it("stops at the overhead cap: every batch it answers has at most that overhead", async () => {
    const memory = storeAllPeak(16);
    const free = await fitBatches(
      { model: "mlp", levels: ["block"], memoryBytes: memory, solvers: ["recompute-all"] },
      run,
    );
    const capped = await fitBatches(
      { model: "mlp", levels: ["block"], memoryBytes: memory, solvers: ["recompute-all"], maxOverhead: 0 },
      run,
    );
    expect(free.rows[0]?.overhead).toBeGreaterThan(0);
    expect(capped.rows[0]?.batch).toBeLessThan(free.rows[0]?.batch ?? 0);
    for (const probe of capped.rows[0]?.probes ?? [])
      if (probe.passes) expect(probe.detail.overhead).toBeLessThanOrEqual(0);
  });

  it("marks a solver that refuses the instance's class not applicable, with its reason", async () => {
    const refusing: FitSolve = async () => {
      throw new InputError("solve", [
        { code: "structure", path: "nodes", expected: "a chain", received: "a DAG" },
      ]);
    };
    const report = await fitBatches(
      { model: "mlp", levels: ["op"], memoryBytes: 1e9, solvers: ["some-chain-solver"] },
      refusing,
    );
    expect(report.rows[0]).toMatchObject({ applicable: false, reason: "a DAG", batch: 0 });
  });

  it("passes other solver errors on", async () => {
    const failing: FitSolve = async () => {
      throw new InputError("solve", [
        { code: "option", path: "solver", expected: "a solver", received: "x" },
      ]);
    };
    await expect(
      fitBatches({ model: "mlp", levels: ["op"], memoryBytes: 1e9, solvers: ["x"] }, failing),
    ).rejects.toThrow(InputError);
  });

  it("answers batch 0 when batch 1 does not fit", async () => {
    const report = await fitBatches(
      { model: "mlp", levels: ["block"], memoryBytes: storeAllPeak(1) - 1, solvers: ["store-all"] },
      run,
    );
    expect(report.rows[0]).toMatchObject({ batch: 0, peakBytes: null });
    expect(report.rows[0]?.firstFailing?.batch).toBe(1);
  });

  it("records the solves' results as the solver gave them", async () => {
    const seen: SolveResult[] = [];
    const recording: FitSolve = async (instance, options) => {
      const result = await run(instance, options);
      seen.push(result);
      return result;
    };
    const report = await fitBatches(
      { model: "mlp", levels: ["block"], memoryBytes: storeAllPeak(5), solvers: ["store-all"] },
      recording,
    );
    expect(report.rows[0]?.probes.map((probe) => probe.detail.peakBytes)).toEqual(
      seen.map((r) => r.peakBytes),
    );
  });
});
