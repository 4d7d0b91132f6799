/**
 * From candidate plans to a pipeline answer: each candidate is run by the pipeline evaluator, the one
 * with the least step time wins (ties to the earlier candidate), and the answer is `optimal` only when
 * that step time meets the problem's lower bound (src/pipeline/bounds.ts), else `feasible`.
 */
import { InternalError } from "../../src/errors.js";
import { stepLowerBound } from "../../src/pipeline/bounds.js";
import { evaluatePipeline } from "../../src/pipeline/evaluate.js";
import type {
  PipelinePlan,
  PipelineProblem,
  PipelineSolverAnswer,
  ValidPipelineEvaluation,
} from "../../src/pipeline/types.js";

/** Relative tolerance for "meets the bound" (float sums in different orders). */
export const BOUND_TOLERANCE = 1e-9;

/** The best of `plans` as an answer; `reason` says why there is none when the list is empty. */
export function answerOf(
  problem: PipelineProblem,
  plans: readonly PipelinePlan[],
  reason: string,
  counters: Readonly<Record<string, number>>,
): PipelineSolverAnswer {
  const lowerBound = stepLowerBound(problem);
  let best: { plan: PipelinePlan; evaluation: ValidPipelineEvaluation } | undefined;
  for (const plan of plans) {
    const evaluation = evaluatePipeline(problem, plan);
    if (!evaluation.valid)
      throw new InternalError(`pipeline solver built an invalid plan: ${JSON.stringify(evaluation.issues)}`);
    if (!evaluation.fits)
      throw new InternalError("pipeline solver built a plan that does not fit its memory");
    if (best === undefined || evaluation.stepMs < best.evaluation.stepMs) best = { plan, evaluation };
  }
  if (best === undefined) return { status: "infeasible", lowerBound, reason, counters };
  const meets = best.evaluation.stepMs <= lowerBound.valueMs * (1 + BOUND_TOLERANCE);
  return {
    status: meets ? "optimal" : "feasible",
    plan: best.plan,
    claimedStepMs: best.evaluation.stepMs,
    lowerBound,
    ...(meets
      ? { optimalOver: `every plan of the model: the step time meets the lower bound (${lowerBound.method})` }
      : {}),
    counters,
  };
}
