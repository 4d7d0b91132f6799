/**
 * solvePipeline: builds the checked problem, runs one pipeline solver, and re-checks everything it
 * says with the pipeline evaluator before returning the one result shape: the plan is valid and fits
 * every device, the claimed step time is the evaluated one, the bound is at most it, and `optimal`
 * meets the bound.
 */
import { describeValue, InputError, type InputIssue, InternalError } from "../../src/errors.js";
import type { Instance } from "../../src/instance/types.js";
import { evaluatePipeline } from "../../src/pipeline/evaluate.js";
import { type PipelineProblemOptions, pipelineProblem } from "../../src/pipeline/problem.js";
import type {
  PipelineBound,
  PipelineProblem,
  PipelineResult,
  PipelineSolver,
  PipelineSolverAnswer,
  PipelineSolverOptions,
  ValidPipelineEvaluation,
} from "../../src/pipeline/types.js";
import { BOUND_TOLERANCE } from "./answer.js";
import { findPipelineSolver } from "./registry.js";

/** Default memory discretization of the stages' chain DP (coarser than chain-dp's 500: it runs per stage). */
export const DEFAULT_PIPELINE_SLOTS = 200;

/** What `solvePipeline` accepts: the problem's options, the solver and its settings. */
export interface SolvePipelineOptions extends PipelineProblemOptions {
  /** A name from `pipelineSolvers`, or a solver object of your own (checked the same way). */
  readonly solver: string | PipelineSolver;
  /** Default 200. */
  readonly slots?: number;
  /** Default true: stages may checkpoint (false: every stage stores all). */
  readonly checkpointing?: boolean;
  /** Seconds (default none). */
  readonly timeLimitSec?: number | null;
  /** Solver-specific switches (pipeline-ilp: `{ lp: "glpk" }`). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/**
 * Solves the pipeline problem of `instance` under `options` with one solver and checks the answer.
 * @throws InputError for a bad problem or option (every issue at once)
 * @throws InternalError when the solver's answer disagrees with the pipeline evaluator (a bug)
 */
export function solvePipeline(instance: Instance, options: SolvePipelineOptions): PipelineResult {
  const { problem, solver, settings } = prepare(instance, options);
  if (solver.asynchronous === true)
    throw new InputError(
      "pipeline",
      [
        {
          code: "option",
          path: "solver",
          expected: "a synchronous solver (use solvePipelineAsync for this one)",
          received: solver.name,
        },
      ],
      instance.name,
    );
  const started = performance.now();
  const answer = solver.solve(problem, settings);
  if (answer instanceof Promise) throw new InternalError(`pipeline solver ${solver.name} answered a promise`);
  return resultOf(problem, solver, settings, answer, performance.now() - started);
}

/**
 * `solvePipeline` for any solver, the asynchronous ones (pipeline-ilp) included.
 * @throws InputError for a bad problem or option (every issue at once)
 * @throws InternalError when the solver's answer disagrees with the pipeline evaluator (a bug)
 */
export async function solvePipelineAsync(
  instance: Instance,
  options: SolvePipelineOptions,
): Promise<PipelineResult> {
  const { problem, solver, settings } = prepare(instance, options);
  const started = performance.now();
  const answer = await solver.solve(problem, settings);
  return resultOf(problem, solver, settings, answer, performance.now() - started);
}

/** The checked problem, solver and settings. @throws InputError listing every issue */
function prepare(
  instance: Instance,
  options: SolvePipelineOptions,
): { problem: PipelineProblem; solver: PipelineSolver; settings: PipelineSolverOptions } {
  const issues: InputIssue[] = [];
  const solver = typeof options.solver === "object" ? options.solver : tryFind(options.solver, issues);
  const settings = settingsOf(options, issues);
  let problem: PipelineProblem | undefined;
  try {
    problem = pipelineProblem(instance, options);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    issues.push(...error.issues);
  }
  if (issues.length > 0 || problem === undefined || solver === undefined)
    throw new InputError("pipeline", issues, instance.name);
  return { problem, solver, settings };
}

function tryFind(name: string, issues: InputIssue[]): PipelineSolver | undefined {
  try {
    return findPipelineSolver(name);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    issues.push(...error.issues);
    return undefined;
  }
}

function settingsOf(options: SolvePipelineOptions, issues: InputIssue[]): PipelineSolverOptions {
  const slots = options.slots ?? DEFAULT_PIPELINE_SLOTS;
  if (!Number.isInteger(slots) || slots < 1 || slots > 100_000)
    issues.push({
      code: "option",
      path: "slots",
      expected: "an integer from 1 to 100000",
      received: describeValue(slots),
    });
  const limit = options.timeLimitSec ?? Number.POSITIVE_INFINITY;
  if (typeof limit !== "number" || Number.isNaN(limit) || limit <= 0)
    issues.push({
      code: "option",
      path: "timeLimitSec",
      expected: "a positive number of seconds",
      received: describeValue(limit),
    });
  const checkpointing = options.checkpointing ?? true;
  if (typeof checkpointing !== "boolean")
    issues.push({
      code: "option",
      path: "checkpointing",
      expected: "true or false",
      received: describeValue(checkpointing),
    });
  return {
    slots,
    checkpointing,
    timeLimitSec: limit,
    ...(options.extra === undefined ? {} : { extra: options.extra }),
  };
}

/** Checks `answer` with the evaluator and shapes the result. */
function resultOf(
  problem: PipelineProblem,
  solver: PipelineSolver,
  options: PipelineSolverOptions,
  answer: PipelineSolverAnswer,
  wallMs: number,
): PipelineResult {
  const evaluation = checked(problem, solver, answer);
  const stats: Record<string, number> = { wallMs, ...(answer.counters ?? {}) };
  return {
    format: "remat-pipeline-result/1",
    status: answer.status,
    solver: solver.name,
    instance: problem.instance.name,
    devices: problem.devices,
    memoryBytes: problem.memoryBytes,
    microbatches: problem.microbatches,
    schedule: problem.schedule,
    link: problem.link,
    options,
    plan: answer.plan ?? null,
    evaluation,
    lowerBound: answer.lowerBound,
    gap: evaluation === null ? null : evaluation.stepMs / answer.lowerBound.valueMs - 1,
    optimalOver: answer.optimalOver ?? null,
    reason: answer.reason ?? null,
    stats,
  };
}

/** The evaluation of the answer's plan (null without one), after checking every claim against it. */
function checked(
  problem: PipelineProblem,
  solver: PipelineSolver,
  answer: PipelineSolverAnswer,
): ValidPipelineEvaluation | null {
  const fail = (what: string): never => {
    throw new InternalError(`pipeline solver ${solver.name}: ${what} (a bug)`);
  };
  if (answer.plan === undefined) {
    if (answer.status === "optimal" || answer.status === "feasible")
      fail(`status ${answer.status} without a plan`);
    return null;
  }
  const evaluated = evaluatePipeline(problem, answer.plan);
  if (!evaluated.valid) return fail(`its plan is invalid: ${JSON.stringify(evaluated.issues)}`);
  if (!evaluated.fits) fail("its plan does not fit the devices' memory");
  const claimed = answer.claimedStepMs ?? Number.NaN;
  if (!(Math.abs(claimed - evaluated.stepMs) <= BOUND_TOLERANCE * Math.max(1, evaluated.stepMs)))
    fail(`it claims step time ${claimed} ms, the evaluator says ${evaluated.stepMs} ms`);
  const slack = evaluated.stepMs * (1 + BOUND_TOLERANCE);
  if (answer.lowerBound.valueMs > slack)
    fail(`its bound ${answer.lowerBound.valueMs} ms is above the step time ${evaluated.stepMs} ms`);
  if (answer.classBound !== undefined && answer.classBound.valueMs > slack)
    fail(`its class bound ${answer.classBound.valueMs} ms is above the step time ${evaluated.stepMs} ms`);
  const meets = (bound: PipelineBound | undefined) =>
    bound !== undefined && evaluated.stepMs <= bound.valueMs * (1 + BOUND_TOLERANCE);
  if (answer.status === "optimal" && !meets(answer.lowerBound) && !meets(answer.classBound))
    fail("optimal without meeting its bound");
  return evaluated;
}
