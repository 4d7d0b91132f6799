/**
 * The phases `pipeline-ilp --recompute-per microbatch` runs after its per-stage MILPs
 * (proofs/pipeline-ilp.md, "Per micro-batch"): phase 2, one option per (stage, micro-batch) on the
 * best plan's partition (elf's setting, small and fast), then phase 3, the joint model per stage count
 * (segments and per-micro-batch options at once), each cut off at the best step time so far and
 * started from the best plan when it has that many stages. Each gets a share of the time left.
 */
import type { PipelinePlan, PipelineProblem } from "../../src/pipeline/types.js";
import { TimeLimitReached } from "../../src/time-limit.js";
import type { Run } from "./ilp-answer.js";
import { stageCounts } from "./ilp-answer.js";
import type { CandidateSet } from "./ilp-candidates.js";
import {
  jointStages,
  microbatchOptions,
  microbatchStage,
  solveMicrobatchPhase,
  standIn,
} from "./ilp-microbatch.js";
import type { MicrobatchStage } from "./ilp-microbatch-model.js";

/** The best plan so far over every phase, and its step time. */
function bestSoFar(run: Run): { plan: PipelinePlan; stepMs: number } | undefined {
  const found = [run.best, run.microbatch, ...(run.joint ?? [])].filter(
    (x): x is { plan: PipelinePlan; stepMs: number } =>
      x !== undefined && x.plan !== undefined && x.stepMs !== undefined,
  );
  return found.reduce<{ plan: PipelinePlan; stepMs: number } | undefined>(
    (a, b) => (a === undefined || b.stepMs < a.stepMs ? { plan: b.plan, stepMs: b.stepMs } : a),
    undefined,
  );
}

/** Micro-batch j of stage s of `plan` as an index into `stages[s].options` (undefined: some has none). */
function knownOf(
  problem: PipelineProblem,
  plan: PipelinePlan,
  stages: readonly MicrobatchStage[],
  candidates: CandidateSet,
): number[][] | undefined {
  if (plan.stages.length !== stages.length) return undefined;
  const known = plan.stages.map((stage, s) =>
    Array.from({ length: problem.microbatches }, (_, j) => {
      const candidate = candidates.bySchedule.get(stage.microbatchSchedules?.[j] ?? stage.schedule);
      return candidate === undefined ? -1 : standIn((stages[s] as MicrobatchStage).options, candidate);
    }),
  );
  return known.some((row) => row.includes(-1)) ? undefined : known;
}

/** Seconds for one of `shares` equal shares of the time left. @throws TimeLimitReached when none is left */
function share(run: Run, shares: number, what: string): number {
  const remainingSec = (run.deadline.atMs - performance.now()) / 1000 / shares;
  if (!(remainingSec > 0)) throw new TimeLimitReached(what, run.deadline.limitSec);
  return remainingSec;
}

/**
 * Phase 2 (when there is a per-stage plan) and phase 3, recorded in `run.microbatch` and `run.joint`.
 * @throws TimeLimitReached when no time is left for a phase
 */
export async function microbatchPhases(run: Run, candidates: CandidateSet): Promise<void> {
  const { problem, best } = run;
  const most = stageCounts(problem);
  if (best !== undefined) {
    const p = best.plan.stages.length;
    const fixed = best.plan.stages.map((stage, s) =>
      microbatchStage(problem, microbatchOptions(candidates.list, stage.first, stage.last), s, p),
    );
    const seconds = share(run, 1 + most, "pipeline-ilp's per-micro-batch phase");
    run.microbatch = await solveMicrobatchPhase(problem, fixed, run.lp, seconds, {
      stepMs: best.stepMs,
      ...optionsOf(knownOf(problem, best.plan, fixed, candidates)),
    });
  }
  run.joint = [];
  for (let p = 1; p <= most; p++) {
    const stages = jointStages(problem, candidates.list, p);
    const incumbent = bestSoFar(run);
    const seconds = share(run, most - p + 1, "pipeline-ilp's joint per-micro-batch models");
    run.joint.push(
      await solveMicrobatchPhase(
        problem,
        stages,
        run.lp,
        seconds,
        incumbent === undefined
          ? undefined
          : {
              stepMs: incumbent.stepMs,
              ...optionsOf(knownOf(problem, incumbent.plan, stages, candidates)),
            },
      ),
    );
  }
}

function optionsOf(known: number[][] | undefined): { options?: number[][] } {
  return known === undefined ? {} : { options: known };
}
