/**
 * pipeline-ilp's answer from what its MILPs proved (proofs/pipeline-ilp.md, "Theorem" and "Per
 * micro-batch"): per stage count, and with `--recompute-per microbatch` the second phase on the best
 * partition. The certificate names exactly the class proven: `optimal` only over the per-stage class
 * when every stage count is proven and the second phase found nothing faster; a faster per-micro-batch
 * plan answers `feasible`, its reason saying over what it is proven, with the model's lower bound.
 */

import type { LpBackendName } from "../../src/lp/backends.js";
import { stepLowerBound } from "../../src/pipeline/bounds.js";
import type { PipelinePlan, PipelineProblem, PipelineSolverAnswer } from "../../src/pipeline/types.js";
import { pipelineUnits } from "../../src/pipeline/units.js";
import type { Deadline } from "../../src/time-limit.js";
import type { MicrobatchRun } from "./ilp-microbatch.js";
import type { Verdict } from "./ilp-verdict.js";

/** Words for the class `pipeline-ilp` is exact over (one option per stage). */
export const PIPELINE_ILP_CLASS =
  "contiguous partitions (at cut points) into at most P stages, each stage running store-all, recompute (its forward once more from its input) or an option of pipeline-dp's stage menu (proofs/pipeline-ilp.md)";

/** What one stage count's MILP gave. */
export interface StageCountRun {
  readonly p: number;
  readonly verdict: Verdict;
  readonly plan?: PipelinePlan;
  readonly stepMs?: number;
  /** A lower bound on the step time of every plan of the class with p stages (Infinity: none exists). */
  readonly boundMs: number;
}

/** The solve's state, shared with the timeout path. */
export interface Run {
  readonly problem: PipelineProblem;
  readonly lp: LpBackendName;
  readonly recomputePer: "stage" | "microbatch";
  readonly deadline: Deadline;
  readonly runs: StageCountRun[];
  readonly counters: Record<string, number>;
  /** The best plan so far (one option per stage) and its evaluated step time. */
  best?: { readonly plan: PipelinePlan; readonly stepMs: number };
  /** Phase 2: the per-micro-batch MILP on the best per-stage plan's partition, when it ran. */
  microbatch?: MicrobatchRun | undefined;
  /** Phase 3: the joint per-micro-batch MILP of each stage count 1, 2, ... solved so far. */
  joint?: MicrobatchRun[] | undefined;
}

/** The stage counts tried: 1..min(P, K), K the graph's units (src/pipeline/units.ts). */
export function stageCounts(problem: PipelineProblem): number {
  return Math.min(problem.devices, pipelineUnits(problem.instance).count);
}

/** Words for the class `pipeline-ilp --recompute-per microbatch` is exact over. */
export const PIPELINE_ILP_MICROBATCH_CLASS =
  "contiguous partitions into at most P stages, each (stage, micro-batch) running store-all, recompute or an option of pipeline-dp's stage menu of its stage's segment (proofs/pipeline-ilp.md, \"Per micro-batch\")";

/** The answer from what was solved; `stopped` is the reason when the time limit stopped the solve. */
export function answer(run: Run, stopped: string | undefined): PipelineSolverAnswer {
  // A time limit reached in a later phase does not undo what phase 1 finished.
  const phase1Done = run.runs.length === stageCounts(run.problem) && run.recomputePer === "microbatch";
  const perStage = stageAnswer(run, phase1Done ? undefined : stopped);
  if (run.joint === undefined)
    return phase1Done && stopped !== undefined ? stoppedAfterPhase1(perStage, stopped) : perStage;
  return microbatchAnswer(run, perStage, stopped);
}

/** The answer once phase 3 started: `optimal` over the per-micro-batch class when every MILP is proven. */
function microbatchAnswer(
  run: Run,
  perStage: PipelineSolverAnswer,
  stopped: string | undefined,
): PipelineSolverAnswer {
  const joint = run.joint ?? [];
  const { counters } = run;
  const phases = [...(run.microbatch === undefined ? [] : [run.microbatch]), ...joint];
  const complete = stopped === undefined && joint.length === stageCounts(run.problem);
  const proven = complete && phases.every((r) => r.verdict === "proven");
  countPhases(run);
  if (counters.classBoundMs !== undefined) counters.stageClassBoundMs = counters.classBoundMs;
  delete counters.classBoundMs;
  // The least of every stage count's joint bound: a bound over the whole per-micro-batch class.
  const jointBound = complete ? Math.min(...joint.map((r) => r.boundMs)) : 0;
  if (complete && Number.isFinite(jointBound)) counters.classBoundMs = jointBound;
  const top = [...(run.best === undefined ? [] : [run.best]), ...phases].reduce<{
    plan?: PipelinePlan;
    stepMs?: number;
  }>((a, b) => (b.stepMs !== undefined && (a.stepMs === undefined || b.stepMs < a.stepMs) ? b : a), {});
  if (proven && top.plan === undefined)
    return {
      status: "infeasible",
      reason: `${run.lp} proved that no plan of the class fits ${run.problem.memoryBytes} bytes per device (${PIPELINE_ILP_MICROBATCH_CLASS})`,
      lowerBound: perStage.lowerBound,
      counters,
    };
  if (proven)
    return {
      status: "optimal",
      plan: top.plan as PipelinePlan,
      claimedStepMs: top.stepMs as number,
      lowerBound: perStage.lowerBound,
      counters,
      optimalOver: PIPELINE_ILP_MICROBATCH_CLASS,
      classBound: {
        valueMs: jointBound,
        method: `${run.lp} proved the joint per-micro-batch MILP of every stage count (proofs/pipeline-ilp.md)`,
      },
    };
  return unprovenAnswer(run, perStage, top, complete);
}

/** Phase 1's answer when a later phase ran out of time before any joint MILP: `optimal` stays, else timeout. */
function stoppedAfterPhase1(perStage: PipelineSolverAnswer, stopped: string): PipelineSolverAnswer {
  return perStage.status === "optimal" ? perStage : { ...perStage, status: "timeout", reason: stopped };
}

/** The per-micro-batch phases' counters. */
function countPhases(run: Run): void {
  const { counters, microbatch } = run;
  const joint = run.joint ?? [];
  if (microbatch !== undefined) {
    counters.microbatchBinaries = microbatch.binaries;
    counters.microbatchProven = microbatch.verdict === "proven" ? 1 : 0;
    counters.microbatchMilpMs = microbatch.milpMs;
  }
  counters.jointBinaries = joint.reduce((sum, r) => sum + r.binaries, 0);
  counters.jointMilpMs = joint.reduce((sum, r) => sum + r.milpMs, 0);
  counters.jointProven = joint.filter((r) => r.verdict === "proven").length;
  const rejected = [...(microbatch === undefined ? [] : [microbatch]), ...joint].reduce(
    (sum, r) => sum + r.rejected,
    0,
  );
  if (rejected > 0) counters.microbatchRejected = rejected;
}

/** The per-micro-batch answer when the phases did not prove every stage count. */
function unprovenAnswer(
  run: Run,
  perStage: PipelineSolverAnswer,
  top: { plan?: PipelinePlan; stepMs?: number },
  complete: boolean,
): PipelineSolverAnswer {
  const { best, microbatch, counters } = run;
  const phases = [...(microbatch === undefined ? [] : [microbatch]), ...(run.joint ?? [])];
  const timedOut = perStage.status === "timeout" || !complete || phases.some((r) => r.verdict === "timeout");
  const words = [`the joint MILP proved ${counters.jointProven} of ${stageCounts(run.problem)} stage counts`];
  if (best !== undefined && microbatch !== undefined) {
    const segments = best.plan.stages.map((s) => `${s.first}..${s.last}`).join(", ");
    words.push(
      `on the partition ${segments} the per-(stage, micro-batch) MILP is ${microbatch.verdict === "proven" ? "proven" : "not proven"}`,
    );
    words.push(
      perStage.status === "optimal"
        ? `the best plan with one option per stage, ${best.stepMs} ms, is optimal over ${PIPELINE_ILP_CLASS}`
        : `the best plan with one option per stage takes ${best.stepMs} ms`,
    );
  }
  const reason = `per-(stage, micro-batch) recomputation: ${words.join("; ")}`;
  // Still the per-stage optimum: it keeps that certificate.
  if (best !== undefined && (top.stepMs as number) >= best.stepMs && perStage.status === "optimal") {
    counters.classBoundMs = counters.stageClassBoundMs as number;
    return { ...perStage, reason };
  }
  if (top.plan === undefined)
    return timedOut
      ? { status: "timeout", reason, lowerBound: perStage.lowerBound, counters }
      : { status: "infeasible", reason, lowerBound: perStage.lowerBound, counters };
  return {
    status: timedOut ? "timeout" : "feasible",
    plan: top.plan,
    claimedStepMs: top.stepMs as number,
    lowerBound: perStage.lowerBound,
    counters,
    reason,
  };
}

/** The answer of the per-stage MILPs alone. */
function stageAnswer(run: Run, stopped: string | undefined): PipelineSolverAnswer {
  const { problem, runs, counters, best } = run;
  const complete = stopped === undefined && runs.length === stageCounts(problem);
  const timedOut = !complete || runs.some((r) => r.verdict === "timeout");
  const proven = !timedOut && runs.every((r) => r.verdict === "proven");
  // Stage counts never solved bound nothing (0).
  const classBound = complete ? Math.min(...runs.map((r) => r.boundMs)) : 0;
  if (Number.isFinite(classBound)) counters.classBoundMs = classBound;
  const lowerBound = stepLowerBound(problem);
  const reason = stopped ?? "the time limit stopped the backend before it proved every stage count";
  if (best === undefined) {
    if (timedOut) return { status: "timeout", reason, lowerBound, counters };
    const how = proven
      ? `${run.lp} proved that no plan of the class fits`
      : `${run.lp} found no plan of the class that fits`;
    return {
      status: "infeasible",
      reason: `${how} ${problem.memoryBytes} bytes per device (${PIPELINE_ILP_CLASS})`,
      lowerBound,
      counters,
    };
  }
  const common = { plan: best.plan, claimedStepMs: best.stepMs, lowerBound, counters };
  if (timedOut) return { status: "timeout", ...common, reason };
  if (proven)
    return {
      status: "optimal",
      ...common,
      optimalOver: PIPELINE_ILP_CLASS,
      classBound: {
        valueMs: classBound,
        method: `${run.lp} proved every stage count's MILP (proofs/pipeline-ilp.md)`,
      },
    };
  return { status: "feasible", ...common, reason: `${run.lp} proves no optimum` };
}
