/**
 * Exhaustive searches over pipeline plans, written apart from pipeline-ilp's model: every contiguous
 * partition of the graph's units (a chain's nodes; an op graph's blocks between cut points) into 1..P stages, each stage taking every schedule a given menu offers, each
 * plan judged by the pipeline evaluator. Exponential; for small chains.
 */
import { evaluatePipeline, stageStateBytes } from "../../src/pipeline/evaluate.js";
import { stageInstance } from "../../src/pipeline/stage-instance.js";
import type { PipelinePlan, PipelineProblem, StagePlan } from "../../src/pipeline/types.js";
import { pipelineUnits } from "../../src/pipeline/units.js";
import { keepSchedule, storeAllSchedule } from "../../src/schedule/builders.js";
import type { Schedule } from "../../src/schedule/types.js";

/** The schedules a stage `first..last` may take. */
export type StageMenuOf = (problem: PipelineProblem, first: number, last: number) => readonly Schedule[];

/** Store-all only. */
export const storeAllOnly: StageMenuOf = (problem, first, last) => [
  storeAllSchedule(stageInstance(problem.instance, first, last, stageStateBytes(problem, { first, last }))),
];

/** Store-all, and the checkpoint schedule keeping only the stage sub-instance's last node (recompute once). */
export const storeAllOrRecompute: StageMenuOf = (problem, first, last) => {
  const sub = stageInstance(problem.instance, first, last, stageStateBytes(problem, { first, last }));
  return [storeAllSchedule(sub), keepSchedule(sub, [sub.nodes.length - 1])];
};

/** The least evaluated step time over the plans the menu allows that fit, with a plan reaching it; undefined when none fits. */
export function exhaustivePipeline(
  problem: PipelineProblem,
  menu: StageMenuOf,
): { stepMs: number; plan: PipelinePlan } | undefined {
  const units = pipelineUnits(problem.instance);
  let best: { stepMs: number; plan: PipelinePlan } | undefined;
  for (let p = 1; p <= Math.min(problem.devices, units.count); p++)
    for (const unitEnds of cuts(units.count, p)) {
      const ends = unitEnds.map((u) => units.ends[u - 1] as number);
      const options = ends.map((last, s) => {
        const first = s === 0 ? 1 : (ends[s - 1] as number) + 1;
        return menu(problem, first, last).map((schedule): StagePlan => ({ first, last, schedule }));
      });
      for (const stages of product(options)) {
        const evaluation = evaluatePipeline(problem, { stages });
        if (evaluation.valid && evaluation.fits && (best === undefined || evaluation.stepMs < best.stepMs))
          best = { stepMs: evaluation.stepMs, plan: { stages } };
      }
    }
  return best;
}

/** Every list of stage ends (last unit of each of p stages) of a chain of units 1..L, the last being L. */
function cuts(L: number, p: number): number[][] {
  const found: number[][] = [];
  const stack: number[][] = [[]];
  while (stack.length > 0) {
    const ends = stack.pop() as number[];
    if (ends.length === p - 1) {
      found.push([...ends, L]);
      continue;
    }
    const from = (ends[ends.length - 1] ?? 0) + 1;
    for (let e = from; e <= L - (p - 1 - ends.length); e++) stack.push([...ends, e]);
  }
  return found;
}

/** Every choice of one element per list. */
function product<T>(lists: readonly (readonly T[])[]): T[][] {
  let done: T[][] = [[]];
  for (const list of lists) done = done.flatMap((prefix) => list.map((x) => [...prefix, x]));
  return done;
}

/**
 * The least evaluated step time over every choice of one schedule per (stage, micro-batch) on a fixed
 * partition, stage s choosing among `stages[s].schedules`, with a plan reaching it; undefined when none
 * fits. (options)^(p m) plans.
 */
export function exhaustiveMicrobatch(
  problem: PipelineProblem,
  stages: readonly { first: number; last: number; schedules: readonly Schedule[] }[],
): { stepMs: number; plan: PipelinePlan } | undefined {
  const m = problem.microbatches;
  const perStage = stages.map((stage) => product(Array.from({ length: m }, () => stage.schedules)));
  let best: { stepMs: number; plan: PipelinePlan } | undefined;
  for (const choice of product(perStage)) {
    const plan: PipelinePlan = {
      stages: stages.map((stage, s) => ({
        first: stage.first,
        last: stage.last,
        schedule: (choice[s] as Schedule[])[0] as Schedule,
        microbatchSchedules: choice[s] as Schedule[],
      })),
    };
    const evaluation = evaluatePipeline(problem, plan);
    if (evaluation.valid && evaluation.fits && (best === undefined || evaluation.stepMs < best.stepMs))
      best = { stepMs: evaluation.stepMs, plan };
  }
  return best;
}

/**
 * The least evaluated step time over every contiguous partition into 1..P stages and every choice of
 * one schedule per (stage, micro-batch) among the menu's schedules of its stage; undefined when none fits.
 */
export function exhaustiveJoint(
  problem: PipelineProblem,
  menu: StageMenuOf,
): { stepMs: number; plan: PipelinePlan } | undefined {
  const L = problem.instance.nodes.length - 1;
  let best: { stepMs: number; plan: PipelinePlan } | undefined;
  for (let p = 1; p <= Math.min(problem.devices, L); p++)
    for (const ends of cuts(L, p)) {
      const stages = ends.map((last, s) => {
        const first = s === 0 ? 1 : (ends[s - 1] as number) + 1;
        return { first, last, schedules: menu(problem, first, last) };
      });
      const found = exhaustiveMicrobatch(problem, stages);
      if (found !== undefined && (best === undefined || found.stepMs < best.stepMs)) best = found;
    }
  return best;
}
