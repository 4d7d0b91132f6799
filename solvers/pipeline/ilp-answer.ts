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
import type { Deadline } from "../../src/time-limit.js";
import type { MicrobatchRun } from "./ilp-microbatch.js";
import { agrees, type Verdict } from "./ilp-verdict.js";

/** Words for the class `pipeline-ilp` is exact over (one option per stage). */
export const PIPELINE_ILP_CLASS =
  "contiguous partitions into at most P stages, each stage running store-all, recompute (its forward once more from its input) or an option of pipeline-dp's stage menu (proofs/pipeline-ilp.md)";

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
  /** The per-micro-batch phase on the best plan's partition, when it ran. */
  microbatch?: MicrobatchRun | undefined;
}

/** The stage counts tried: 1..min(P, L). */
export function stageCounts(problem: PipelineProblem): number {
  return Math.min(problem.devices, problem.instance.nodes.length - 1);
}

/** The answer from what was solved; `stopped` is the reason when the time limit stopped the solve. */
export function answer(run: Run, stopped: string | undefined): PipelineSolverAnswer {
  const perStage = stageAnswer(run, stopped);
  const phase = run.microbatch;
  const best = run.best;
  if (phase === undefined || best === undefined) return perStage;
  run.counters.microbatchBinaries = phase.binaries;
  run.counters.microbatchMilpMs = phase.milpMs;
  run.counters.microbatchProven = phase.verdict === "proven" ? 1 : 0;
  if (phase.rejected > 0) run.counters.microbatchRejected = phase.rejected;
  const segments = best.plan.stages.map((s) => `${s.first}..${s.last}`).join(", ");
  const faster =
    phase.plan !== undefined &&
    phase.stepMs !== undefined &&
    phase.stepMs < best.stepMs &&
    !agrees(phase.stepMs, best.stepMs);
  if (!faster) {
    if (phase.verdict === "proven") run.counters.microbatchBoundMs = best.stepMs;
    if (perStage.status !== "optimal" || phase.verdict !== "proven") return perStage;
    return {
      ...perStage,
      optimalOver: `${PIPELINE_ILP_CLASS}; on its partition (${segments}) no choice of those options per (stage, micro-batch) is faster (${run.lp} proved)`,
    };
  }
  return fasterAnswer({ ...run, best }, perStage, phase, segments);
}

/** A per-micro-batch plan faster than the best per-stage one: proven at most over its partition's options, never over every partition. */
function fasterAnswer(
  run: Run & { best: NonNullable<Run["best"]> },
  perStage: PipelineSolverAnswer,
  phase: MicrobatchRun,
  segments: string,
): PipelineSolverAnswer {
  const stageClass = run.counters.classBoundMs;
  delete run.counters.classBoundMs;
  if (stageClass !== undefined) run.counters.stageClassBoundMs = stageClass;
  run.counters.microbatchBoundMs = phase.boundMs;
  if (phase.verdict === "proven") run.counters.classBoundMs = phase.boundMs;
  const over =
    phase.verdict === "proven"
      ? `optimal over every choice of its stages' options per (stage, micro-batch) on the partition ${segments} (${run.lp} proved)`
      : `not proven optimal over the per-(stage, micro-batch) choices on the partition ${segments}`;
  const stageWords =
    perStage.status === "optimal"
      ? `the best plan with one option per stage, ${run.best.stepMs} ms, is optimal over ${PIPELINE_ILP_CLASS}`
      : `the best plan with one option per stage takes ${run.best.stepMs} ms`;
  const timedOut = perStage.status === "timeout" || phase.verdict === "timeout";
  return {
    status: timedOut ? "timeout" : "feasible",
    plan: phase.plan as PipelinePlan,
    claimedStepMs: phase.stepMs as number,
    lowerBound: perStage.lowerBound,
    counters: run.counters,
    reason: `per-(stage, micro-batch) recomputation: ${over}; other partitions with per-micro-batch choices are not searched; ${stageWords}`,
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
