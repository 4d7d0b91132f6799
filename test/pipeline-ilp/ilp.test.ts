/**
 * pipeline-ilp (proofs/pipeline-ilp.md): its step time equals an exhaustive search over its class judged
 * by the pipeline evaluator, it is never slower than pipeline-dp (whose plans its class contains), its
 * bounds are at most the evaluated step time, the exact backends agree, and a time limit gives timeout.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { solvePipelineIlp } from "../../solvers/pipeline/ilp.js";
import { stageCandidates } from "../../solvers/pipeline/ilp-candidates.js";
import { menuFor } from "../../solvers/pipeline/menus.js";
import { pipelineDp } from "../../solvers/pipeline/pipeline-dp.js";
import { solvePipeline, solvePipelineAsync } from "../../solvers/pipeline/solve.js";
import { InputError } from "../../src/errors.js";
import { evaluatePipeline } from "../../src/pipeline/evaluate.js";
import { pipelineProblem } from "../../src/pipeline/problem.js";
import type { PipelineSolverAnswer, PipelineSolverOptions } from "../../src/pipeline/types.js";
import { NO_DEADLINE } from "../../src/time-limit.js";
import { exhaustivePipeline, storeAllOnly, storeAllOrRecompute } from "./exhaustive.js";
import { smallDagProblem, smallProblem, testChain } from "./problems.js";

const SEED = 20261202;
const TOLERANCE = 1e-6;
const options = (checkpointing: boolean): PipelineSolverOptions => ({
  slots: 50,
  checkpointing,
  timeLimitSec: Number.POSITIVE_INFINITY,
});

/** The answer's step time after the evaluator re-ran its plan (undefined without a plan). */
function evaluatedStep(problem: Parameters<typeof evaluatePipeline>[0], answer: PipelineSolverAnswer) {
  if (answer.plan === undefined) return undefined;
  const evaluation = evaluatePipeline(problem, answer.plan);
  expect(evaluation.valid && evaluation.fits).toBe(true);
  return evaluation.valid ? evaluation.stepMs : undefined;
}

function expectClose(a: number | undefined, b: number | undefined): void {
  expect(a).toBeDefined();
  expect(Math.abs((a as number) - (b as number))).toBeLessThanOrEqual(TOLERANCE * Math.max(1, b as number));
}

describe("pipeline-ilp against exhaustive search", () => {
  test.prop([smallProblem(2, 5)], { seed: SEED, numRuns: 25 })(
    "without checkpointing, its step time is the least over every contiguous partition with store-all stages",
    async (problem) => {
      const answer = await solvePipelineIlp(problem, options(false));
      const best = exhaustivePipeline(problem, storeAllOnly);
      if (best === undefined) expect(answer.status).toBe("infeasible");
      else {
        expect(answer.status).toBe("optimal");
        expectClose(evaluatedStep(problem, answer), best.stepMs);
        expectClose(answer.claimedStepMs, best.stepMs);
      }
    },
  );

  test.prop([smallProblem(2, 4)], { seed: SEED, numRuns: 20 })(
    "with checkpointing, its step time is the least over its class and at most that of store-all or recompute stages",
    async (problem) => {
      const answer = await solvePipelineIlp(problem, options(true));
      const menu = menuFor(problem, options(true), NO_DEADLINE);
      const candidates = stageCandidates(problem, menu, true, NO_DEADLINE).list;
      const ofClass = exhaustivePipeline(problem, (_, first, last) =>
        candidates.filter((c) => c.first === first && c.last === last).map((c) => c.schedule),
      );
      const simple = exhaustivePipeline(problem, storeAllOrRecompute);
      if (ofClass === undefined) expect(answer.status).toBe("infeasible");
      else {
        expect(answer.status).toBe("optimal");
        expectClose(evaluatedStep(problem, answer), ofClass.stepMs);
      }
      if (simple !== undefined)
        expect(answer.claimedStepMs as number).toBeLessThanOrEqual(simple.stepMs * (1 + TOLERANCE));
    },
  );
});

describe("pipeline-ilp on op-level graphs, cut at their cut points", () => {
  test.prop([smallDagProblem(6), fc.boolean()], { seed: SEED, numRuns: 20 })(
    "its step time is the least over its class, found by an exhaustive search over partitions at cut points",
    async (problem, checkpointing) => {
      const answer = await solvePipelineIlp(problem, options(checkpointing));
      const menu = menuFor(problem, options(checkpointing), NO_DEADLINE);
      const candidates = stageCandidates(problem, menu, checkpointing, NO_DEADLINE).list;
      const ofClass = exhaustivePipeline(problem, (_, first, last) =>
        candidates.filter((c) => c.first === first && c.last === last).map((c) => c.schedule),
      );
      if (ofClass === undefined) expect(answer.status).toBe("infeasible");
      else {
        expect(answer.status).toBe("optimal");
        expectClose(evaluatedStep(problem, answer), ofClass.stepMs);
      }
    },
  );
});

describe("pipeline-ilp per micro-batch on op-level graphs", () => {
  test.prop([smallDagProblem(5)], { seed: SEED, numRuns: 8 })(
    "gives plans the evaluator accepts within memory, never slower than one option per stage",
    async (problem) => {
      const perStage = await solvePipelineIlp(problem, options(true));
      const perMicrobatch = await solvePipelineIlp(problem, {
        ...options(true),
        extra: { recomputePer: "microbatch" },
      });
      if (perStage.plan === undefined) return;
      const step = evaluatedStep(problem, perMicrobatch);
      expect(step as number).toBeLessThanOrEqual(
        (evaluatedStep(problem, perStage) as number) * (1 + TOLERANCE),
      );
    },
  );
});

describe("pipeline-ilp against pipeline-dp and the bounds", () => {
  test.prop([smallProblem(2, 6), fc.boolean()], { seed: SEED, numRuns: 25 })(
    "is never slower than pipeline-dp, equals it where pipeline-dp is optimal, and its bounds are at most its step time",
    async (problem, checkpointing) => {
      const answer = await solvePipelineIlp(problem, options(checkpointing));
      const dp = await pipelineDp.solve(problem, options(checkpointing));
      if (dp.plan !== undefined) {
        expect(answer.status).toBe("optimal");
        expect(answer.claimedStepMs as number).toBeLessThanOrEqual(
          (dp.claimedStepMs as number) * (1 + TOLERANCE),
        );
      }
      // pipeline-dp's optimum meets the model's bound; on one device without checkpointing both classes
      // hold the one store-all plan.
      if (dp.status === "optimal" || (problem.devices === 1 && !checkpointing)) {
        expect(answer.status === "infeasible").toBe(dp.status === "infeasible");
        if (dp.claimedStepMs !== undefined) expectClose(answer.claimedStepMs, dp.claimedStepMs);
      }
      const step = evaluatedStep(problem, answer);
      if (step !== undefined) {
        expect(answer.lowerBound.valueMs).toBeLessThanOrEqual(step * (1 + TOLERANCE));
        expect(answer.counters?.classBoundMs as number).toBeLessThanOrEqual(step * (1 + TOLERANCE));
      }
    },
  );
});

describe("pipeline-ilp's backends and limits", () => {
  test.prop([smallProblem(2, 4)], { seed: SEED, numRuns: 8 })(
    "HiGHS and GLPK give the same step time, and javascript-lp-solver claims no optimum",
    async (problem) => {
      const highs = await solvePipelineIlp(problem, { ...options(true), extra: { lp: "highs" } });
      const glpk = await solvePipelineIlp(problem, { ...options(true), extra: { lp: "glpk" } });
      expect(glpk.status).toBe(highs.status);
      if (highs.claimedStepMs !== undefined) expectClose(glpk.claimedStepMs, highs.claimedStepMs);
      const jslp = await solvePipelineIlp(problem, {
        ...options(true),
        timeLimitSec: 20,
        extra: { lp: "jslp" },
      });
      expect(jslp.status).not.toBe("optimal");
      if (jslp.claimedStepMs !== undefined && highs.claimedStepMs !== undefined)
        expect(jslp.claimedStepMs).toBeGreaterThanOrEqual(highs.claimedStepMs * (1 - TOLERANCE));
    },
  );

  it("answers timeout when the time limit passes before the models are solved", async () => {
    const layers = Array.from({ length: 12 }, (_, i) => ({
      fwd: 1 + (i % 4),
      bwd: 2 + (i % 5),
      bytes: 50,
      tapeBytes: 0,
    }));
    const problem = pipelineProblem(testChain(layers, 100), {
      devices: 4,
      memory: "none",
      microbatches: 8,
      schedule: "1f1b",
    });
    const answer = await solvePipelineIlp(problem, { ...options(true), timeLimitSec: 1e-6 });
    expect(answer.status).toBe("timeout");
  });
});

describe("pipeline-ilp through solvePipelineAsync", () => {
  test.prop([smallProblem(2, 5)], { seed: SEED, numRuns: 10 })(
    "has every claim re-checked by the pipeline evaluator: valid, within memory, bounds below the step time",
    async (problem) => {
      const result = await solvePipelineAsync(problem.instance, {
        devices: problem.devices,
        memory: problem.memoryBytes,
        microbatches: problem.microbatches,
        schedule: problem.schedule,
        ...(problem.link.bandwidth === Number.POSITIVE_INFINITY
          ? {}
          : { link: { bandwidth: problem.link.bandwidth, latency: problem.link.latencyMs } }),
        solver: "pipeline-ilp",
        slots: 50,
      });
      expect(["optimal", "infeasible"]).toContain(result.status);
      if (result.evaluation !== null) {
        for (const device of result.evaluation.devices)
          expect(device.peakBytes).toBeLessThanOrEqual(problem.memoryBytes);
        expect(result.lowerBound.valueMs).toBeLessThanOrEqual(result.evaluation.stepMs * (1 + TOLERANCE));
      }
    },
  );

  it("is refused by the synchronous solvePipeline, naming the solver", () => {
    const instance = testChain(
      [
        { fwd: 1, bwd: 2, bytes: 10, tapeBytes: 0 },
        { fwd: 1, bwd: 2, bytes: 10, tapeBytes: 0 },
      ],
      0,
    );
    const run = () =>
      solvePipeline(instance, {
        devices: 2,
        memory: "none",
        microbatches: 2,
        schedule: "1f1b",
        solver: "pipeline-ilp",
      });
    expect(run).toThrow(InputError);
    try {
      run();
    } catch (error) {
      expect((error as InputError).issues.map((issue) => issue.path)).toEqual(["solver"]);
    }
  });

  it("refuses an unknown switch and an unknown backend with their paths", async () => {
    const problem = pipelineProblem(testChain([{ fwd: 1, bwd: 2, bytes: 10, tapeBytes: 0 }], 0), {
      devices: 1,
      memory: "none",
      microbatches: 1,
      schedule: "gpipe",
    });
    const error = await solvePipelineIlp(problem, { ...options(true), extra: { lp: "cplex", gap: 1 } }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues.map((issue) => issue.path).sort()).toEqual(["extra.gap", "extra.lp"]);
  });
});
