/**
 * The pipeline evaluator (DESIGN.md, "Pipelines"; proofs/pipeline-model.md): checks a plan against its
 * problem, profiles each stage's distinct schedules (its `schedule`, and its `microbatchSchedules` when
 * given, one per micro-batch) with the single-device evaluator on the stage's sub-instance
 * (stage-instance.ts, stage-schedules.ts), and runs the pipeline's discrete-event simulation
 * (simulate.ts). It is the only code that knows the pipeline rules. O(sum of |stage schedule| + P^2 m).
 */
import { describeValue, type InputIssue } from "../errors.js";
import type { Schedule } from "../schedule/types.js";
import { type SimulatedStage, simulatePipeline } from "./simulate.js";
import { stageInstance } from "./stage-instance.js";
import { stageSchedules } from "./stage-schedules.js";
import type { PipelineEvaluation, PipelinePlan, PipelineProblem, StagePlan, StageProfile } from "./types.js";
import { pipelineUnits, stageMembers } from "./units.js";

/**
 * Evaluates `plan` on `problem` (from `pipelineProblem`).
 * @returns `{ valid: true, stepMs, throughput, fits, devices, ... }`, or `{ valid: false, issues }` with
 *   every reason the plan is refused (stages not a contiguous cover of the chain, more stages than
 *   devices, a stage schedule invalid on its sub-instance, `microbatchSchedules` not m valid schedules),
 *   each with its path (`stages[2].last`, `stages[1].microbatchSchedules[3]`)
 */
export function evaluatePipeline(problem: PipelineProblem, plan: PipelinePlan): PipelineEvaluation {
  const issues = planIssues(problem, plan);
  if (issues.length > 0) return { valid: false, issues };
  const simulated: SimulatedStage[] = [];
  const { instance } = problem;
  const m = problem.microbatches;
  plan.stages.forEach((stage, s) => {
    const sub = stageInstance(instance, stage.first, stage.last, stageStateBytes(problem, stage));
    const schedules = stageSchedules(sub, stage, s, m, issues);
    if (schedules === undefined) return;
    simulated.push({
      ...schedules,
      sendForwardBytes: s < plan.stages.length - 1 ? (instance.nodes[stage.last]?.bytes ?? 0) : 0,
      sendBackwardBytes: s > 0 ? (instance.nodes[stage.first - 1]?.gradBytes ?? 0) : 0,
    });
  });
  if (issues.length > 0) return { valid: false, issues };
  const { stepMs, devices } = simulatePipeline(simulated, problem.schedule, m, problem.link);
  const work = instance.nodes.reduce((sum, node) => sum + node.fwd + node.bwd, 0);
  const reports = devices.map((device, s) => {
    const { first, last } = plan.stages[s] as StagePlan;
    const stage = simulated[s] as SimulatedStage;
    return {
      device: s,
      first,
      last,
      nodeCount: stageMembers(instance, first, last).length,
      lastNode: instance.nodes[last]?.id ?? "",
      profile: stage.profiles[0] as StageProfile,
      profiles: stage.profiles,
      profileOf: stage.profileOf,
      maxInFlight: device.maxInFlight,
      peakBytes: device.peakBytes,
      busyMs: device.busyMs,
      timeline: device.timeline,
    };
  });
  return {
    valid: true,
    stepMs,
    throughput: stepMs > 0 ? (1000 * m) / stepMs : Number.POSITIVE_INFINITY,
    idealStepMs: (m * work) / problem.devices,
    fits: reports.every((device) => device.peakBytes <= problem.memoryBytes),
    devices: reports,
  };
}

/** The state bytes of the stage holding the units `stage.first..stage.last` (units.ts: its sources included). */
export function stageStateBytes(problem: PipelineProblem, stage: Pick<StagePlan, "first" | "last">): number {
  let bytes = 0;
  for (const v of stageMembers(problem.instance, stage.first, stage.last))
    bytes += problem.stateBytes[v] ?? 0;
  return bytes;
}

/**
 * Every structural issue of `plan`: the stages must cover nodes 1..L contiguously, at most P of them,
 * each ending at a cut point (units.ts; on a chain, any node).
 */
function planIssues(problem: PipelineProblem, plan: PipelinePlan): InputIssue[] {
  const issues: InputIssue[] = [];
  const stages = (plan as { stages?: unknown }).stages;
  if (!Array.isArray(stages) || stages.length === 0)
    return [
      {
        code: "type",
        path: "stages",
        expected: "a non-empty list of stages",
        received: describeValue(stages),
      },
    ];
  if (stages.length > problem.devices)
    issues.push({
      code: "option",
      path: "stages",
      expected: `at most ${problem.devices} stages (one per device)`,
      received: `${stages.length}`,
    });
  const last = problem.instance.nodes.length - 1;
  const endsAt = pipelineUnits(problem.instance).endingAt;
  let expectedFirst = 1;
  stages.forEach((stage: StagePlan, s: number) => {
    if (stage.first !== expectedFirst)
      issues.push({
        code: "bad-value",
        path: `stages[${s}].first`,
        expected: `${expectedFirst} (stages are contiguous, the first starts at node 1)`,
        received: describeValue(stage.first),
      });
    if (!Number.isInteger(stage.last) || stage.last < stage.first || stage.last > last)
      issues.push({
        code: "bad-value",
        path: `stages[${s}].last`,
        expected: `an index from first to ${last}`,
        received: describeValue(stage.last),
      });
    else if (endsAt[stage.last] === 0)
      issues.push({
        code: "bad-value",
        path: `stages[${s}].last`,
        expected: `a cut point of the graph, where one activation is all that crosses (${cutList(endsAt)})`,
        received: describeValue(stage.last),
      });
    if (!Array.isArray(stage.schedule as Schedule))
      issues.push({
        code: "type",
        path: `stages[${s}].schedule`,
        expected: "a list of instructions",
        received: describeValue(stage.schedule),
      });
    expectedFirst = (Number.isInteger(stage.last) ? stage.last : expectedFirst) + 1;
  });
  const tail = stages[stages.length - 1] as StagePlan;
  if (issues.length === 0 && tail.last !== last)
    issues.push({
      code: "bad-value",
      path: `stages[${stages.length - 1}].last`,
      expected: `${last} (the last stage ends at the loss)`,
      received: describeValue(tail.last),
    });
  return issues;
}

/** The cut points, for a message: all of them when few, else the first ones. */
function cutList(endsAt: Int32Array): string {
  const cuts: number[] = [];
  endsAt.forEach((u, v) => {
    if (u !== 0) cuts.push(v);
  });
  const shown = cuts.slice(0, 12).join(", ");
  return cuts.length > 12 ? `${shown}, ... (${cuts.length} in all)` : shown;
}
