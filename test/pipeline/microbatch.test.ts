/**
 * Per-micro-batch stage schedules in the pipeline evaluator (proofs/pipeline-model.md, "Per micro-batch"):
 * all-equal schedules evaluate exactly as the single schedule, mixed schedules compose their parts' times
 * and each micro-batch's own kept bytes, and bad lists are refused with their paths.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { evaluatePipeline, stageStateBytes } from "../../src/pipeline/evaluate.js";
import { stageInstance } from "../../src/pipeline/stage-instance.js";
import type {
  PipelinePlan,
  PipelineProblem,
  StageProfile,
  ValidPipelineEvaluation,
} from "../../src/pipeline/types.js";
import { keepSchedule, storeAllSchedule } from "../../src/schedule/builders.js";
import type { Schedule } from "../../src/schedule/types.js";
import { smallProblem } from "../pipeline-ilp/problems.js";
import { chain, problem } from "./chains.js";

function valid(evaluation: ReturnType<typeof evaluatePipeline>): ValidPipelineEvaluation {
  if (!evaluation.valid) throw new Error(JSON.stringify(evaluation.issues));
  return evaluation;
}

/** Store-all and recompute-once schedules of each stage of the plan cutting after `cuts`. */
function stageSchedulesOf(p: PipelineProblem, cuts: readonly number[]) {
  const L = p.instance.nodes.length - 1;
  let first = 1;
  return [...cuts, L].map((last) => {
    const sub = stageInstance(p.instance, first, last, stageStateBytes(p, { first, last }));
    const stage = {
      first,
      last,
      storeAll: storeAllSchedule(sub),
      recompute: keepSchedule(sub, [sub.nodes.length - 1]),
    };
    first = last + 1;
    return stage;
  });
}

const layers = [
  { fwd: 1, bwd: 2, bytes: 50, tapeBytes: 20 },
  { fwd: 3, bwd: 1, bytes: 30 },
  { fwd: 2, bwd: 3, bytes: 60, tapeBytes: 10 },
  { fwd: 1, bwd: 1, bytes: 4 },
];

describe("per-micro-batch stage schedules", () => {
  test.prop([smallProblem(2, 5), fc.integer({ min: 0, max: 3 }), fc.boolean()], {
    seed: 20261202,
    numRuns: 40,
  })(
    "evaluate exactly as the single schedule when every micro-batch runs it (the same array or a copy)",
    (p, cutSeed, recompute) => {
      const L = p.instance.nodes.length - 1;
      const cuts = p.devices > 1 && L > 1 ? [1 + (cutSeed % (L - 1))] : [];
      const stages = stageSchedulesOf(p, cuts).map((s) => ({
        first: s.first,
        last: s.last,
        schedule: recompute ? s.recompute : s.storeAll,
      }));
      const single = evaluatePipeline(p, { stages });
      const m = p.microbatches;
      const same = stages.map((s) => ({
        ...s,
        microbatchSchedules: Array.from({ length: m }, () => s.schedule),
      }));
      const copies = stages.map((s) => ({
        ...s,
        microbatchSchedules: Array.from({ length: m }, () => structuredClone(s.schedule) as Schedule),
      }));
      expect(evaluatePipeline(p, { stages: same })).toEqual(single);
      expect(evaluatePipeline(p, { stages: copies })).toEqual(single);
    },
  );

  it("runs each micro-batch's own part times and counts each one's kept bytes (one GPipe device, by hand)", () => {
    const p = problem(chain(layers, 1000), { devices: 1, microbatches: 2, schedule: "gpipe" });
    const [stage] = stageSchedulesOf(p, []);
    if (stage === undefined) throw new Error("no stage");
    const plan: PipelinePlan = {
      stages: [
        {
          first: 1,
          last: 4,
          schedule: stage.storeAll,
          microbatchSchedules: [stage.storeAll, stage.recompute],
        },
      ],
    };
    const result = valid(evaluatePipeline(p, plan));
    const device = result.devices[0];
    if (device === undefined) throw new Error("one device");
    const [a, b] = device.profiles;
    if (a === undefined || b === undefined) throw new Error("two profiles expected");
    expect(device?.profileOf).toEqual([0, 1]);
    expect(b.recomputations).toBeGreaterThan(0);
    expect(b.keptBytes).toBeLessThan(a.keptBytes);
    // order F0 F1 B1 B0, one device: the parts run back to back
    expect(result.stepMs).toBeCloseTo(a.forwardMs + b.forwardMs + b.backwardMs + a.backwardMs, 9);
    const state = 1000;
    expect(device?.timeline.map((t) => t.peakBytes)).toEqual([
      state + a.forwardPeakBytes,
      state + a.keptBytes + b.forwardPeakBytes,
      state + a.keptBytes + b.backwardPeakBytes,
      state + a.backwardPeakBytes,
    ]);
    expect(device?.peakBytes).toBe(Math.max(...(device?.timeline.map((t) => t.peakBytes) ?? [])));
  });

  it("times a two-stage 1F1B pipeline with mixed schedules on stage 0 by the part-time recurrence", () => {
    const p = problem(chain(layers), { devices: 2, microbatches: 3, schedule: "1f1b" });
    const [s0, s1] = stageSchedulesOf(p, [2]);
    if (s0 === undefined || s1 === undefined) throw new Error("two stages");
    const plan: PipelinePlan = {
      stages: [
        {
          first: s0.first,
          last: s0.last,
          schedule: s0.storeAll,
          microbatchSchedules: [s0.recompute, s0.storeAll, s0.recompute],
        },
        { first: s1.first, last: s1.last, schedule: s1.storeAll },
      ],
    };
    const result = valid(evaluatePipeline(p, plan));
    const [d0, d1] = result.devices;
    const part = (d: typeof d0, j: number) => d?.profiles[d.profileOf[j] as number] as StageProfile;
    expect(d0?.profileOf).toEqual([1, 0, 1]);
    // stage 0 (w = 1): F0 F1 B0 F2 B1 B2; stage 1 (w = 0): F0 B0 F1 B1 F2 B2; free link
    const f = (j: number) => part(d0, j).forwardMs;
    const b = (j: number) => part(d0, j).backwardMs;
    const F = part(d1, 0).forwardMs;
    const B = part(d1, 0).backwardMs;
    const s0F0 = f(0);
    const s0F1 = s0F0 + f(1);
    const s1B0 = Math.max(s0F0, 0) + F + B;
    const s1F1 = Math.max(s1B0, s0F1);
    const s0B0 = Math.max(s0F1, s1B0) + b(0);
    const s0F2 = s0B0 + f(2);
    const s1B1 = s1F1 + F + B;
    const s0B1 = Math.max(s0F2, s1B1) + b(1);
    const s1F2 = Math.max(s1B1, s0F2);
    const s1B2 = s1F2 + F + B;
    const s0B2 = Math.max(s0B1, s1B2) + b(2);
    expect(result.stepMs).toBeCloseTo(Math.max(s0B2, s1B2), 9);
    // stage 0's first backward runs with micro-batch 1 (store-all) in flight besides its own
    const k = (j: number) => part(d0, j).keptBytes;
    const state = d0?.profile.stateBytes ?? 0;
    expect(d0?.timeline[2]?.peakBytes).toBe(state + k(1) + part(d0, 0).backwardPeakBytes);
    expect(d0?.timeline[3]?.peakBytes).toBe(state + k(1) + part(d0, 2).forwardPeakBytes);
  });

  it("refuses a list of the wrong length, a non-list entry and an invalid entry, each with its path", () => {
    const p = problem(chain(layers), { devices: 2, microbatches: 3, schedule: "1f1b" });
    const [s0, s1] = stageSchedulesOf(p, [2]);
    if (s0 === undefined || s1 === undefined) throw new Error("two stages");
    const base = { first: s0.first, last: s0.last, schedule: s0.storeAll };
    const other = { first: s1.first, last: s1.last, schedule: s1.storeAll };
    const issues = (plan: unknown) => {
      const evaluation = evaluatePipeline(p, plan as PipelinePlan);
      return evaluation.valid ? [] : evaluation.issues.map((i) => i.path);
    };
    expect(issues({ stages: [{ ...base, microbatchSchedules: [s0.storeAll] }, other] })).toEqual([
      "stages[0].microbatchSchedules",
    ]);
    expect(
      issues({ stages: [base, { ...other, microbatchSchedules: [s1.storeAll, "x", s0.storeAll] }] }),
    ).toEqual(["stages[1].microbatchSchedules[1]", "stages[1].microbatchSchedules[2]"]);
    expect(issues({ stages: [{ ...base, microbatchSchedules: "all" }, other] })).toEqual([
      "stages[0].microbatchSchedules",
    ]);
  });
});
