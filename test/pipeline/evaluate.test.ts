/**
 * The pipeline evaluator (proofs/pipeline-model.md): in-flight counts of the research formulas,
 * closed-form step times of balanced pipelines, the stage peak rule, and refusal of bad plans.
 */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { evaluatePipeline } from "../../src/pipeline/evaluate.js";
import { inFlightCount } from "../../src/pipeline/order.js";
import { stageInstance } from "../../src/pipeline/stage-instance.js";
import { stagePeakBytes } from "../../src/pipeline/stage-memory.js";
import type { PipelineScheduleKind, ValidPipelineEvaluation } from "../../src/pipeline/types.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";
import { chain, problem, storeAllPlan, uniformChain } from "./chains.js";

function valid(evaluation: ReturnType<typeof evaluatePipeline>): ValidPipelineEvaluation {
  if (!evaluation.valid) throw new Error(JSON.stringify(evaluation.issues));
  return evaluation;
}

const cutsFor = (stages: number, perStage: number) =>
  Array.from({ length: stages - 1 }, (_, s) => (s + 1) * perStage);

describe("evaluatePipeline", () => {
  const kinds: PipelineScheduleKind[] = ["gpipe", "1f1b"];
  for (const kind of kinds)
    it(`counts in flight on each ${kind} stage what the research note's formula says`, () => {
      for (let stages = 1; stages <= 4; stages++)
        for (let m = 1; m <= 6; m++) {
          const instance = uniformChain(2 * stages, { fwd: 1, bwd: 2, bytes: 10, tapeBytes: 5 });
          const p = problem(instance, { devices: stages, microbatches: m, schedule: kind });
          const result = valid(evaluatePipeline(p, storeAllPlan(p, cutsFor(stages, 2))));
          expect(result.devices.map((d) => d.maxInFlight)).toEqual(
            result.devices.map((_, s) => inFlightCount(kind, s, stages, m)),
          );
          for (const [s, device] of result.devices.entries())
            expect(device.peakBytes).toBe(stagePeakBytes(device.profile, inFlightCount(kind, s, stages, m)));
        }
    });

  it("gives a balanced 1F1B pipeline the step time (m + S - 1)(f + b)", () => {
    for (const [stages, m] of [
      [2, 1],
      [2, 5],
      [4, 4],
      [4, 9],
      [3, 2],
    ] as const) {
      const instance = uniformChain(stages, { fwd: 1.5, bwd: 3, bytes: 8 });
      const p = problem(instance, { devices: stages, microbatches: m, schedule: "1f1b" });
      const result = valid(evaluatePipeline(p, storeAllPlan(p, cutsFor(stages, 1))));
      // stage 0 also holds the input (0 ms); the last layer is the loss
      expect(result.stepMs).toBeCloseTo((m + stages - 1) * 4.5, 9);
    }
  });

  it("gives GPipe the flow-shop step time, the link counting as a stage in each direction", () => {
    const layers = [
      { fwd: 2, bwd: 4, bytes: 1000 },
      { fwd: 5, bwd: 7, bytes: 2000 },
      { fwd: 1, bwd: 1, bytes: 4 },
    ];
    const instance = chain(layers);
    const m = 4;
    const p = problem(instance, {
      devices: 3,
      microbatches: m,
      schedule: "gpipe",
      link: { bandwidth: 1000, latency: 0.5 },
    });
    const result = valid(evaluatePipeline(p, storeAllPlan(p, [1, 2])));
    // forward resources: 2, link 1.5, 5, link 2.5, 1; backward: 1, link 2.5, 7, link 1.5, 4
    const forward = [2, 1.5, 5, 2.5, 1];
    const backward = [1, 2.5, 7, 1.5, 4];
    const flowShop = (times: number[]) => times.reduce((a, b) => a + b, 0) + (m - 1) * Math.max(...times);
    expect(result.stepMs).toBeCloseTo(flowShop(forward) + flowShop(backward), 9);
  });

  it("runs one stage as m single-device micro-batches back to back", () => {
    const instance = chain(
      [
        { fwd: 1, bwd: 2, bytes: 50, tapeBytes: 20 },
        { fwd: 3, bwd: 1, bytes: 30 },
        { fwd: 1, bwd: 1, bytes: 4 },
      ],
      1000,
    );
    const single = evaluate(instance, storeAllSchedule(instance));
    if (!single.valid) throw new Error("store-all invalid");
    for (const kind of kinds) {
      const p = problem(instance, { devices: 1, microbatches: 3, schedule: kind });
      const result = valid(evaluatePipeline(p, storeAllPlan(p, [])));
      expect(result.stepMs).toBeCloseTo(3 * single.makespanMs, 9);
      const device = result.devices[0];
      expect(device?.profile.stateBytes).toBe(1000);
      if (kind === "1f1b") expect(device?.peakBytes).toBe(single.peakBytes);
      else expect(device?.peakBytes).toBe(single.peakBytes + 2 * (device?.profile.keptBytes ?? 0));
    }
  });

  it("splits a stage's schedule at its first backward and keeps the received input and the sent output", () => {
    const instance = chain([
      { fwd: 1, bwd: 2, bytes: 50, tapeBytes: 20 },
      { fwd: 3, bwd: 1, bytes: 30 },
      { fwd: 1, bwd: 1, bytes: 4 },
    ]);
    const p = problem(instance, { devices: 2, microbatches: 1 });
    const result = valid(evaluatePipeline(p, storeAllPlan(p, [1])));
    const [first, second] = result.devices;
    // stage 0 keeps x (100) and l0 with its tape (70) between its parts
    expect(first?.profile.keptBytes).toBe(170);
    expect(first?.profile.forwardMs).toBe(1);
    expect(first?.profile.backwardMs).toBe(2);
    // stage 1 keeps the received l0 (50), l1 (30) and the loss (4)
    expect(second?.profile.keptBytes).toBe(84);
    const sub = stageInstance(instance, 2, 3, 0);
    expect(sub.nodes.map((n) => n.id)).toEqual(["pipe.src", "pipe.recv", "l1", "l2"]);
  });

  it("refuses stages that do not cover the chain contiguously, with the path of each", () => {
    const instance = uniformChain(4, { fwd: 1, bwd: 1, bytes: 10 });
    const p = problem(instance, { devices: 2 });
    const good = storeAllPlan(p, [2]);
    const gap = { stages: [good.stages[0], { ...good.stages[1], first: 4 }] } as never;
    const bad = evaluatePipeline(p, gap);
    expect(bad.valid).toBe(false);
    if (!bad.valid) expect(bad.issues.map((i) => i.path)).toContain("stages[1].first");
    const three = storeAllPlan(problem(instance, { devices: 3 }), [1, 2]);
    const tooMany = evaluatePipeline(p, three);
    expect(!tooMany.valid && tooMany.issues.map((i) => i.path)).toEqual(["stages"]);
    const wrongSchedule = {
      stages: [good.stages[0], { ...good.stages[1], schedule: good.stages[0]?.schedule }],
    } as never;
    const invalid = evaluatePipeline(p, wrongSchedule);
    expect(!invalid.valid && invalid.issues.map((i) => i.path)).toEqual(["stages[1].schedule"]);
  });

  it("refuses a bad problem with every issue at once", () => {
    const instance = uniformChain(3, { fwd: 1, bwd: 1, bytes: 10 });
    try {
      problem(instance, { devices: 0, microbatches: 1.5, schedule: "zb" as never, memory: "lots" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).issues.map((i) => i.path).sort()).toEqual([
        "devices",
        "memory",
        "microbatches",
        "schedule",
      ]);
    }
  });

  it("reports whether every device fits the memory", () => {
    const instance = uniformChain(4, { fwd: 1, bwd: 1, bytes: 1000 });
    const roomy = problem(instance, { devices: 2, memory: 1e9 });
    expect(valid(evaluatePipeline(roomy, storeAllPlan(roomy, [2]))).fits).toBe(true);
    const tight = problem(instance, { devices: 2, memory: 2000 });
    expect(valid(evaluatePipeline(tight, storeAllPlan(tight, [2]))).fits).toBe(false);
  });
});
