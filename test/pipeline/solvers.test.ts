/**
 * Pipeline solvers (proofs/pipeline-dp.md): every plan valid and within every device's memory;
 * pipeline-dp's table equals an exhaustive search over contiguous partitions; one device reduces to
 * chain-dp; more memory never makes pipeline-dp's objective worse; bad options are refused.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pipelineSolvers } from "../../solvers/pipeline/registry.js";
import { solvePipeline } from "../../solvers/pipeline/solve.js";
import { LADDER_RATIO } from "../../solvers/pipeline/stage-ladder.js";
import { StageMenu } from "../../solvers/pipeline/stage-menu.js";
import { solve } from "../../solvers/solve.js";
import { InputError } from "../../src/errors.js";
import { DEFAULT_COSTS, randomChain } from "../../src/generate/families.js";
import type { Instance } from "../../src/instance/types.js";
import type { PipelineProblem, PipelineScheduleKind } from "../../src/pipeline/types.js";
import { storeAllEvaluation } from "../../src/schedule/builders.js";
import { NO_DEADLINE } from "../../src/time-limit.js";
import { PROPERTY_SEED } from "../arbitraries.js";
import { problem, uniformChain } from "./chains.js";
import { expectExhaustiveOptimum, expectNoWorseWithMoreMemory, expectSolversValid } from "./dp-checks.js";

const coarse = { ...DEFAULT_COSTS, tapeChance: 0.5 };
const kinds: PipelineScheduleKind[] = ["gpipe", "1f1b"];

/** A small random chain with a memory between 20% and 100% of its store-all peak. */
const setting = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  length: fc.integer({ min: 2, max: 7 }),
  devices: fc.integer({ min: 1, max: 4 }),
  microbatches: fc.integer({ min: 1, max: 5 }),
  percent: fc.integer({ min: 20, max: 100 }),
  kind: fc.constantFrom(...kinds),
  link: fc.boolean(),
});

type Setting = {
  seed: number;
  length: number;
  devices: number;
  microbatches: number;
  percent: number;
  kind: PipelineScheduleKind;
  link: boolean;
};

const LINK = { bandwidth: 1e4, latency: 0.01 };

function problemOf(s: Setting): PipelineProblem {
  const instance = randomChain(s.seed, s.length, coarse);
  return problem(instance, {
    devices: Math.min(s.devices, instance.nodes.length - 1),
    memory: `${s.percent}%`,
    microbatches: s.microbatches,
    schedule: s.kind,
    ...(s.link ? { link: LINK } : {}),
  });
}

const options = { slots: 40, checkpointing: true, timeLimitSec: Number.POSITIVE_INFINITY };

describe("pipeline solvers", () => {
  it("return plans that the pipeline evaluator finds valid and within every device's memory", () => {
    fc.assert(
      fc.property(setting, (s) => expectSolversValid(problemOf(s), s.link ? LINK : undefined)),
      { seed: PROPERTY_SEED, numRuns: 40 },
    );
  });

  it("give pipeline-dp the least (period, latency) of an exhaustive search over partitions", () => {
    fc.assert(
      fc.property(setting, (s) => expectExhaustiveOptimum(problemOf(s))),
      { seed: PROPERTY_SEED, numRuns: 60 },
    );
  });

  it("reduce to chain-dp on one device with one micro-batch: never slower than chain-dp at that memory, never faster than its best rung", async () => {
    await fc.assert(
      fc.asyncProperty(setting, fc.integer({ min: 0, max: 10 }), async (s, rung) => {
        const instance: Instance = randomChain(s.seed, s.length, coarse);
        const peak = storeAllEvaluation(instance).peakBytes;
        const budgetAt = (i: number) =>
          Math.floor(instance.fixedBytes + (peak - instance.fixedBytes) * LADDER_RATIO ** i);
        const memory = budgetAt(rung);
        const single = await solve(instance, { solver: "chain-dp", budget: memory, slots: 40 });
        // the menu holds store-all and chain-dp's answers at rungs of the ladder: none fitting M beats the best of them
        let best = peak <= memory ? storeAllEvaluation(instance).makespanMs : Number.POSITIVE_INFINITY;
        for (let i = 0; i < 16; i++) {
          const answer = await solve(instance, { solver: "chain-dp", budget: budgetAt(i), slots: 40 });
          if (answer.makespanMs !== null && (answer.peakBytes ?? Number.POSITIVE_INFINITY) <= memory)
            best = Math.min(best, answer.makespanMs);
        }
        for (const kind of kinds) {
          const result = solvePipeline(instance, {
            devices: 1,
            memory,
            microbatches: 1,
            schedule: kind,
            solver: "pipeline-dp",
            slots: 40,
          });
          if (best === Number.POSITIVE_INFINITY) expect(result.status).toBe("infeasible");
          else expect(result.evaluation?.stepMs).toBeGreaterThanOrEqual(best - 1e-9);
          if (single.makespanMs !== null)
            expect(result.evaluation?.stepMs).toBeLessThanOrEqual(single.makespanMs + 1e-9);
        }
      }),
      { seed: PROPERTY_SEED, numRuns: 40 },
    );
  });

  it("never make pipeline-dp's (period, latency) worse with more memory", () => {
    fc.assert(
      fc.property(setting, fc.integer({ min: 1, max: 80 }), (s, more) =>
        expectNoWorseWithMoreMemory(problemOf(s), problemOf({ ...s, percent: s.percent + more })),
      ),
      { seed: PROPERTY_SEED, numRuns: 40 },
    );
  });

  it("offer each stage GPipe's rematerialization: a forward sweep that keeps only the stage's input", () => {
    const instance = randomChain(3, 6, coarse);
    const p = problem(instance, { devices: 2, microbatches: 4, schedule: "gpipe" });
    const menu = new StageMenu(p, { ...options, deadline: NO_DEADLINE });
    const swept = menu.optionsOf(3, 6).filter((option) => option.label.startsWith("sweep+"));
    expect(swept.length).toBeGreaterThan(0);
    for (const option of swept) {
      // the received activation is all a micro-batch keeps between its parts
      expect(option.profile.keptBytes).toBe(instance.nodes[2]?.bytes);
      const plain = menu.optionsOf(3, 6).find((o) => o.label === option.label.slice("sweep+".length));
      const work = instance.nodes.slice(3, 7).reduce((sum, node) => sum + node.fwd, 0);
      expect(option.profile.forwardMs).toBeCloseTo(work, 9);
      expect(option.profile.backwardMs).toBeCloseTo(
        (plain?.profile.forwardMs ?? 0) + (plain?.profile.backwardMs ?? 0),
        9,
      );
    }
  });

  it("prove a balanced 1F1B pipeline optimal: its step time meets the partition bound", () => {
    const instance = uniformChain(4, { fwd: 1, bwd: 2, bytes: 10 });
    const result = solvePipeline(instance, {
      devices: 4,
      memory: "none",
      microbatches: 5,
      schedule: "1f1b",
      solver: "pipeline-dp",
    });
    expect(result.status).toBe("optimal");
    expect(result.evaluation?.stepMs).toBeCloseTo((5 + 4 - 1) * 3, 9);
    expect(result.lowerBound.valueMs).toBeCloseTo((5 + 4 - 1) * 3, 9);
  });

  it("answer timeout, with a reason and the bound, when the time limit passes while menus are built", () => {
    const instance = randomChain(987_654, 7, coarse);
    for (const solver of pipelineSolvers.filter((candidate) => candidate.asynchronous !== true)) {
      const result = solvePipeline(instance, {
        devices: 3,
        memory: "60%",
        microbatches: 4,
        schedule: "1f1b",
        solver: solver.name,
        checkpointing: true,
        timeLimitSec: 1e-9,
        slots: 41,
      });
      expect(result.status).toBe("timeout");
      expect(result.reason).toContain("time limit");
      expect(result.lowerBound.valueMs).toBeGreaterThan(0);
    }
  });

  it("refuses an unknown solver, bad slots and a non-chain with every issue at once", () => {
    const instance = randomChain(1, 4, coarse);
    try {
      solvePipeline(instance, {
        devices: 2,
        memory: "50%",
        microbatches: 2,
        schedule: "1f1b",
        solver: "nope",
        slots: 0,
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).issues.map((i) => i.path).sort()).toEqual(["slots", "solver"]);
    }
  });
});
