/**
 * pipeline-ilp's per-(stage, micro-batch) choice (proofs/pipeline-ilp.md, "Per micro-batch"): its MILP
 * equals an exhaustive search over its class on a fixed partition, and the whole solve one over every
 * partition, with HiGHS and with GLPK; the switch never makes pipeline-ilp slower, and on a constructed
 * chain it is strictly faster than the best plan with one option per stage; every answer is re-checked
 * by solvePipelineAsync; time limits and bad switches behave. ELF_RUNS=N runs each property N times (150 passed locally).
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { solvePipelineIlp } from "../../solvers/pipeline/ilp.js";
import { stageCandidates } from "../../solvers/pipeline/ilp-candidates.js";
import {
  microbatchOptions,
  microbatchStage,
  solveMicrobatchPhase,
} from "../../solvers/pipeline/ilp-microbatch.js";
import { menuFor } from "../../solvers/pipeline/menus.js";
import { solvePipelineAsync } from "../../solvers/pipeline/solve.js";
import { InputError } from "../../src/errors.js";
import { evaluatePipeline } from "../../src/pipeline/evaluate.js";
import { pipelineProblem } from "../../src/pipeline/problem.js";
import type { PipelineProblem, PipelineSolverOptions } from "../../src/pipeline/types.js";
import { storeAllEvaluation } from "../../src/schedule/builders.js";
import { NO_DEADLINE } from "../../src/time-limit.js";
import { exhaustiveJoint, exhaustiveMicrobatch, exhaustivePipeline } from "./exhaustive.js";
import { smallProblem, testChain } from "./problems.js";

const SEED = 20261202;
const TOLERANCE = 1e-6;
const options: PipelineSolverOptions = {
  slots: 50,
  checkpointing: true,
  timeLimitSec: Number.POSITIVE_INFINITY,
};
const perMicrobatch = { ...options, extra: { recomputePer: "microbatch" } };

/** Two devices, 2..3 micro-batches, a chain of 2..4 layers cut after node `cut`, memory 70%..250%. */
const tinyProblem = fc
  .record({
    layers: fc.array(
      fc.record({
        fwd: fc.integer({ min: 1, max: 9 }),
        bwd: fc.integer({ min: 1, max: 15 }),
        bytes: fc.integer({ min: 1, max: 90 }),
        tapeBytes: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 60 })),
      }),
      { minLength: 2, maxLength: 4 },
    ),
    schedule: fc.constantFrom("gpipe", "1f1b"),
    microbatches: fc.integer({ min: 2, max: 3 }),
    memory: fc.integer({ min: 70, max: 250 }),
    cut: fc.nat(),
    link: fc.boolean(),
  })
  .map(({ layers, schedule, microbatches, memory, cut, link }) => {
    const instance = testChain(layers, 30);
    const problem = pipelineProblem(instance, {
      devices: 2,
      memory: Math.floor((storeAllEvaluation(instance).peakBytes * memory) / 100),
      microbatches,
      schedule,
      ...(link ? { link: { bandwidth: 20, latency: 0.5 } } : {}),
    });
    return { problem, cut: 1 + (cut % (layers.length - 1)) };
  });

/** The partition cut after node `cut`, each stage with at most 3 of its candidates (the class's options). */
function fixedPartition(problem: PipelineProblem, cut: number) {
  const candidates = stageCandidates(problem, menuFor(problem, options, NO_DEADLINE), true, NO_DEADLINE).list;
  const L = problem.instance.nodes.length - 1;
  return [
    { first: 1, last: cut },
    { first: cut + 1, last: L },
  ].map((segment) => ({
    ...segment,
    few: candidates.filter((c) => c.first === segment.first && c.last === segment.last).slice(0, 3),
  }));
}

describe("pipeline-ilp's per-micro-batch MILP against exhaustive search", () => {
  for (const lp of ["highs", "glpk"] as const)
    test.prop([tinyProblem], { seed: SEED, numRuns: Number(process.env.ELF_RUNS ?? 14) })(
      `with ${lp}, its step time on a fixed partition is the least over every option per (stage, micro-batch)`,
      async ({ problem, cut }) => {
        const partition = fixedPartition(problem, cut);
        const stages = partition.map((stage, s) =>
          microbatchStage(problem, microbatchOptions(stage.few, stage.first, stage.last), s, 2),
        );
        const run = await solveMicrobatchPhase(problem, stages, lp, Number.POSITIVE_INFINITY);
        const best = exhaustiveMicrobatch(
          problem,
          partition.map((stage) => ({ ...stage, schedules: stage.few.map((c) => c.schedule) })),
        );
        expect(run.verdict).toBe("proven");
        expect(run.rejected).toBe(0);
        if (best === undefined) expect(run.plan).toBeUndefined();
        else {
          expect(run.plan).toBeDefined();
          expect(Math.abs((run.stepMs as number) - best.stepMs)).toBeLessThanOrEqual(TOLERANCE * best.stepMs);
          expect(run.boundMs).toBeLessThanOrEqual(best.stepMs * (1 + TOLERANCE));
        }
      },
    );
});

describe("pipeline-ilp --recompute-per microbatch against exhaustive search over every partition", () => {
  for (const lp of ["highs", "glpk"] as const)
    test.prop([tinyProblem.filter(({ problem }) => problem.instance.nodes.length <= 4)], {
      seed: SEED,
      numRuns: Number(process.env.ELF_RUNS ?? 8),
    })(
      `with ${lp}, its step time is the least over every partition and option per (stage, micro-batch), or none fits`,
      async ({ problem: base }) => {
        const problem = pipelineProblem(base.instance, {
          devices: 2,
          memory: base.memoryBytes,
          microbatches: 2,
          schedule: base.schedule,
          ...(base.link.bandwidth === Number.POSITIVE_INFINITY
            ? {}
            : { link: { bandwidth: base.link.bandwidth, latency: base.link.latencyMs } }),
        });
        const answer = await solvePipelineIlp(problem, {
          ...perMicrobatch,
          extra: { lp, recomputePer: "microbatch" },
        });
        const candidates = stageCandidates(
          problem,
          menuFor(problem, options, NO_DEADLINE),
          true,
          NO_DEADLINE,
        ).list;
        const best = exhaustiveJoint(problem, (_, first, last) =>
          candidates.filter((c) => c.first === first && c.last === last).map((c) => c.schedule),
        );
        if (best === undefined) expect(answer.status).toBe("infeasible");
        else {
          expect(answer.status).toBe("optimal");
          expect(Math.abs((answer.claimedStepMs as number) - best.stepMs)).toBeLessThanOrEqual(
            TOLERANCE * best.stepMs,
          );
        }
      },
    );
});

describe("pipeline-ilp --recompute-per microbatch", () => {
  test.prop([smallProblem(2, 5)], { seed: SEED, numRuns: Number(process.env.ELF_RUNS ?? 15) })(
    "is never slower than one option per stage, and bounds its answer from below",
    async (problem) => {
      const stage = await solvePipelineIlp(problem, options);
      const micro = await solvePipelineIlp(problem, perMicrobatch);
      expect(micro.plan === undefined).toBe(stage.plan === undefined);
      if (stage.plan === undefined || micro.plan === undefined) return;
      const evaluation = evaluatePipeline(problem, micro.plan);
      expect(evaluation.valid && evaluation.fits).toBe(true);
      const step = evaluation.valid ? evaluation.stepMs : Number.NaN;
      expect(Math.abs(step - (micro.claimedStepMs as number))).toBeLessThanOrEqual(TOLERANCE * step);
      expect(step).toBeLessThanOrEqual((stage.claimedStepMs as number) * (1 + TOLERANCE));
      expect(micro.lowerBound.valueMs).toBeLessThanOrEqual(step * (1 + TOLERANCE));
      const classBound = micro.counters?.classBoundMs;
      if (classBound !== undefined) expect(classBound).toBeLessThanOrEqual(step * (1 + TOLERANCE));
      // HiGHS without a time limit proves every phase
      expect(micro.status).toBe("optimal");
      expect(micro.counters?.classBoundMs as number).toBeGreaterThanOrEqual(step * (1 - TOLERANCE));
    },
  );

  it("is strictly faster than the best plan with one option per stage on a constructed chain", async () => {
    // 4 equal layers on 2 devices, 1F1B, 4 micro-batches: stage 0 holds 2 in flight, with room for
    // one stored micro-batch besides one recomputing.
    const layers = Array.from({ length: 4 }, () => ({ fwd: 2, bwd: 4, bytes: 100, tapeBytes: 0 }));
    const instance = testChain(layers, 0);
    const problem = pipelineProblem(instance, {
      devices: 2,
      memory: Math.floor(0.9 * storeAllEvaluation(instance).peakBytes),
      microbatches: 4,
      schedule: "1f1b",
    });
    const candidates = stageCandidates(
      problem,
      menuFor(problem, options, NO_DEADLINE),
      true,
      NO_DEADLINE,
    ).list;
    const perStage = exhaustivePipeline(problem, (_, first, last) =>
      candidates.filter((c) => c.first === first && c.last === last).map((c) => c.schedule),
    );
    const micro = await solvePipelineIlp(problem, perMicrobatch);
    expect(perStage).toBeDefined();
    expect(micro.claimedStepMs as number).toBeLessThan((perStage?.stepMs as number) * (1 - 1e-3));
    expect(micro.status).toBe("optimal");
    expect(micro.optimalOver).toContain("each (stage, micro-batch)");
    const mixed = micro.plan?.stages.filter((s) => s.microbatchSchedules !== undefined) ?? [];
    expect(mixed.length).toBeGreaterThan(0);
  });

  test.prop([smallProblem(2, 4)], { seed: SEED, numRuns: 8 })(
    "has its claims re-checked by solvePipelineAsync, with HiGHS and GLPK agreeing",
    async (problem) => {
      const solve = (lp: string) =>
        solvePipelineAsync(problem.instance, {
          devices: problem.devices,
          memory: problem.memoryBytes,
          microbatches: problem.microbatches,
          schedule: problem.schedule,
          ...(problem.link.bandwidth === Number.POSITIVE_INFINITY
            ? {}
            : { link: { bandwidth: problem.link.bandwidth, latency: problem.link.latencyMs } }),
          solver: "pipeline-ilp",
          slots: 50,
          extra: { lp, recomputePer: "microbatch" },
        });
      const highs = await solve("highs");
      const glpk = await solve("glpk");
      expect(glpk.status).toBe(highs.status);
      if (highs.evaluation !== null)
        expect(glpk.evaluation?.stepMs as number).toBeCloseTo(highs.evaluation.stepMs, 6);
    },
  );

  it("answers timeout under a tiny time limit, and claims no optimum with javascript-lp-solver", async () => {
    const layers = Array.from({ length: 6 }, (_, i) => ({
      fwd: 1 + (i % 3),
      bwd: 2 + (i % 4),
      bytes: 60,
      tapeBytes: 0,
    }));
    const instance = testChain(layers, 50);
    const problem = pipelineProblem(instance, {
      devices: 2,
      memory: Math.floor(0.8 * storeAllEvaluation(instance).peakBytes),
      microbatches: 3,
      schedule: "gpipe",
    });
    const stopped = await solvePipelineIlp(problem, { ...perMicrobatch, timeLimitSec: 1e-6 });
    expect(stopped.status).toBe("timeout");
    const jslp = await solvePipelineIlp(problem, {
      ...options,
      timeLimitSec: 20,
      extra: { lp: "jslp", recomputePer: "microbatch" },
    });
    expect(jslp.plan).toBeDefined();
    expect(jslp.status).not.toBe("optimal");
    expect(jslp.counters?.microbatchProven).toBe(0);
  });

  it("refuses an unknown value of recomputePer with its path", async () => {
    const problem = pipelineProblem(testChain([{ fwd: 1, bwd: 2, bytes: 10, tapeBytes: 0 }], 0), {
      devices: 1,
      memory: "none",
      microbatches: 2,
      schedule: "gpipe",
    });
    const error = await solvePipelineIlp(problem, { ...options, extra: { recomputePer: "layer" } }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues.map((issue) => issue.path)).toEqual(["extra.recomputePer"]);
  });
});
