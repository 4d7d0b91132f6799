/**
 * pipeline-ilp: an exact MILP over pipeline plans for the problem's schedule kind (proofs/pipeline-ilp.md),
 * in the spirit of Beaumont, Eyraud-Dubois and Shilova (Euro-Par 2021: the ILP of pipelined model
 * parallelism under memory) and of `elf` (Aguila--Multner et al. 2025: a recomputation option per stage
 * chosen by ILP for a fixed schedule). For each stage count p = 1..min(P, L) it solves one MILP
 * (ilp-model.ts) whose binaries choose each stage's segment and schedule (ilp-candidates.ts) and whose
 * continuous rows are the pipeline evaluator's discrete-event rules, so the MILP's objective of a plan
 * is the evaluator's step time of it. Each MILP starts from pipeline-dp's partition for p (same stage
 * menu) and is cut off at the best step time found for smaller p; each gets an equal share of the time
 * left. `optimal` only when the backend proves every p; otherwise the best plan found, with the bound
 * over the class the MILPs proved.
 */
import { InternalError } from "../../src/errors.js";
import type { LpResult } from "../../src/lp/backend.js";
import type { LpBackendName } from "../../src/lp/backends.js";
import { loadLpBackend } from "../../src/lp/load.js";
import { PROVING_LP_BACKENDS } from "../../src/lp/names.js";
import { parseSwitches } from "../../src/options.js";
import { stepLowerBound } from "../../src/pipeline/bounds.js";
import { evaluatePipeline } from "../../src/pipeline/evaluate.js";
import type {
  PipelinePlan,
  PipelineProblem,
  PipelineSolver,
  PipelineSolverAnswer,
  PipelineSolverOptions,
} from "../../src/pipeline/types.js";
import { pipelineUnits } from "../../src/pipeline/units.js";
import { Deadline, TimeLimitReached } from "../../src/time-limit.js";
import { assemble } from "./assemble.js";
import { bestPartition } from "./dp.js";
import { type CandidateSet, type StageCandidate, stageCandidates, stageChoices } from "./ilp-candidates.js";
import { buildPipelineIlp, type PipelineIlp, startOf } from "./ilp-model.js";
import { menuFor } from "./menus.js";
import type { StageMenu } from "./stage-menu.js";

/** Relative tolerance between the MILP's objective and the evaluator's step time of the decoded plan. */
export const PIPELINE_ILP_TOLERANCE = 1e-6;

/** Words for the class `pipeline-ilp` is exact over. */
export const PIPELINE_ILP_CLASS =
  "contiguous partitions into at most P stages, each stage running store-all, recompute (its forward once more from its input) or an option of pipeline-dp's stage menu (proofs/pipeline-ilp.md)";

/** What one stage count's MILP gave. */
interface StageCountRun {
  readonly p: number;
  /** `proven`: optimal or infeasible with a proof; `open`: finished without proof; `timeout`. */
  readonly verdict: "proven" | "open" | "timeout";
  readonly plan?: PipelinePlan;
  readonly stepMs?: number;
  /** A lower bound on the step time of every plan of the class with p stages (Infinity: none exists). */
  readonly boundMs: number;
}

/** The solve's state, shared with the timeout path. */
interface Run {
  readonly problem: PipelineProblem;
  readonly lp: LpBackendName;
  readonly deadline: Deadline;
  readonly runs: StageCountRun[];
  readonly counters: Record<string, number>;
  /** The best plan so far and its evaluated step time. */
  best?: { readonly plan: PipelinePlan; readonly stepMs: number };
}

/** pipeline-ilp's switches (`extra`; `--lp` on the command line). */
export const PIPELINE_ILP_SWITCHES = {
  lp: {
    type: "choice",
    values: ["highs", "glpk", "jslp"],
    default: "highs",
    doc: "LP/MILP backend: highs (proves bounds, also at a time limit), glpk, jslp (no proofs)",
  },
} as const;

/**
 * pipeline-ilp's solve.
 * @throws InputError for an unknown or bad switch in `options.extra`
 */
export async function solvePipelineIlp(
  problem: PipelineProblem,
  options: PipelineSolverOptions,
): Promise<PipelineSolverAnswer> {
  const { lp } = parseSwitches(PIPELINE_ILP_SWITCHES, options.extra, "pipeline-ilp");
  const run: Run = { problem, lp, deadline: new Deadline(options.timeLimitSec), runs: [], counters: {} };
  try {
    const menu = menuFor(problem, options, run.deadline);
    const candidates = stageCandidates(problem, menu, options.checkpointing, run.deadline);
    run.counters.candidates = candidates.list.length;
    const most = stageCounts(problem);
    for (let p = 1; p <= most; p++) run.runs.push(await solveStageCount(run, menu, candidates, p));
    return answer(run, undefined);
  } catch (error) {
    if (!(error instanceof TimeLimitReached)) throw error;
    return answer(run, error.message);
  }
}

/** The stage counts tried: 1..min(P, L). */
function stageCounts(problem: PipelineProblem): number {
  return Math.min(problem.devices, pipelineUnits(problem.instance).count);
}

async function solveStageCount(
  run: Run,
  menu: StageMenu,
  candidates: CandidateSet,
  p: number,
): Promise<StageCountRun> {
  const { problem, deadline } = run;
  const choices = Array.from({ length: p }, (_, s) => stageChoices(problem, candidates.list, s, p));
  if (choices.some((list) => list.length === 0))
    return { p, verdict: "proven", boundMs: Number.POSITIVE_INFINITY };
  const cutoffMs = run.best?.stepMs ?? Number.POSITIVE_INFINITY;
  const built = buildPipelineIlp(problem, choices, deadline, cutoffMs);
  run.counters[`binariesP${p}`] = choices.reduce((sum, list) => sum + list.length, 0);
  const start = dpStart(run, menu, candidates, built, choices, p);
  const remainingSec = (deadline.atMs - performance.now()) / 1000 / (stageCounts(problem) - p + 1);
  if (!(remainingSec > 0)) throw new TimeLimitReached("building pipeline-ilp's models", deadline.limitSec);
  const backend = await loadLpBackend(run.lp);
  const result = await backend.solve(built.model, {
    timeLimitSec: remainingSec,
    ...(start === undefined ? {} : { start }),
  });
  run.counters.nodes = (run.counters.nodes ?? 0) + (result.nodes ?? 0);
  run.counters.iterations = (run.counters.iterations ?? 0) + (result.iterations ?? 0);
  return judge(run, built, choices, p, result, cutoffMs);
}

/**
 * The MILP start from pipeline-dp's partition into p stages (same menu), when it has one; that plan
 * also becomes the best so far when it is faster.
 */
function dpStart(
  run: Run,
  menu: StageMenu,
  candidates: CandidateSet,
  built: PipelineIlp,
  choices: readonly (readonly StageCandidate[])[],
  p: number,
) {
  const partition = bestPartition(run.problem, menu, p, run.deadline);
  if (partition === undefined) return undefined;
  const assembled = assemble(run.problem, menu, partition.ends);
  if (!("plan" in assembled)) return undefined;
  // pipeline-dp's plan is a plan of the class: the answer is never slower, even if the MILP stops first
  const stepMs = evaluatedStep(run.problem, assembled.plan);
  if (run.best === undefined || stepMs < run.best.stepMs) run.best = { plan: assembled.plan, stepMs };
  const chosen = assembled.plan.stages.map((stage) => candidates.bySchedule.get(stage.schedule));
  if (chosen.some((c) => c === undefined)) return undefined;
  return startOf(built, choices, chosen as StageCandidate[]);
}

/** One stage count's verdict from the backend's result, its plan decoded and evaluated. */
function judge(
  run: Run,
  built: PipelineIlp,
  choices: readonly (readonly StageCandidate[])[],
  p: number,
  result: LpResult,
  cutoffMs: number,
): StageCountRun {
  const { verdict, boundMs } = verdictOf(result, PROVING_LP_BACKENDS.has(run.lp), cutoffMs);
  if (result.values === undefined || result.status === "infeasible") return { p, verdict, boundMs };
  const plan = decode(built, choices, result.values);
  const stepMs = evaluatedStep(run.problem, plan);
  if (verdict === "proven" && !agrees(stepMs, result.objective as number))
    throw new InternalError(
      `pipeline-ilp: the MILP's step time ${result.objective} for p = ${p} differs from the evaluator's ${stepMs} (a bug)`,
    );
  if (run.best === undefined || stepMs < run.best.stepMs) run.best = { plan, stepMs };
  // A proven optimum's evaluated step time is the class optimum for p (the MILP's objective equals it
  // up to the backend's tolerances, checked above).
  return { p, verdict, plan, stepMs, boundMs: verdict === "proven" ? stepMs : Math.min(boundMs, stepMs) };
}

/**
 * What a result proves for its stage count: `proven` for an optimum or an infeasibility from a proving
 * backend, `timeout`, else `open`; and a bound on the class's plans with that many stages: the optimum,
 * the cutoff when infeasible under it (no plan is faster than the best so far), the backend's dual bound,
 * at most the cutoff, or 0 when nothing is proven.
 */
function verdictOf(
  result: LpResult,
  proving: boolean,
  cutoffMs: number,
): { verdict: StageCountRun["verdict"]; boundMs: number } {
  if (result.status === "unbounded") throw new InternalError("pipeline-ilp: the MILP is unbounded (a bug)");
  if (!proving) return { verdict: result.status === "timeout" ? "timeout" : "open", boundMs: 0 };
  if (result.status === "infeasible") return { verdict: "proven", boundMs: cutoffMs };
  if (result.status === "optimal") return { verdict: "proven", boundMs: result.objective as number };
  return {
    verdict: result.status === "timeout" ? "timeout" : "open",
    boundMs: Math.min(result.bound ?? 0, cutoffMs),
  };
}

/** The plan the binaries choose: stage s takes the candidate whose column is 1. */
export function decode(
  built: PipelineIlp,
  choices: readonly (readonly StageCandidate[])[],
  values: Float64Array,
): PipelinePlan {
  const stages = built.choice.map((columns, s) => {
    const k = columns.findIndex((col) => (values[col] as number) > 0.5);
    const c = choices[s]?.[k];
    if (c === undefined) throw new InternalError(`pipeline-ilp: stage ${s} has no chosen candidate (a bug)`);
    return { first: c.first, last: c.last, schedule: c.schedule };
  });
  return { stages };
}

/** The evaluator's step time of `plan`, which must be valid and fit (the candidates were filtered by its rule). */
function evaluatedStep(problem: PipelineProblem, plan: PipelinePlan): number {
  const evaluation = evaluatePipeline(problem, plan);
  if (!evaluation.valid || !evaluation.fits)
    throw new InternalError(
      "pipeline-ilp: a decoded plan is invalid or over memory in the pipeline evaluator (a bug)",
    );
  return evaluation.stepMs;
}

function agrees(a: number, b: number): boolean {
  return Math.abs(a - b) <= PIPELINE_ILP_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

/** The answer from the stage counts solved so far; `stopped` is the reason when the time limit stopped the solve. */
function answer(run: Run, stopped: string | undefined): PipelineSolverAnswer {
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

/** The pipeline-ilp solver. */
export const pipelineIlp: PipelineSolver = {
  name: "pipeline-ilp",
  guarantee: `optimal over ${PIPELINE_ILP_CLASS} when the backend proves every stage count's MILP; else feasible or timeout with the MILPs' class bound (counter classBoundMs)`,
  reference:
    "Beaumont, Eyraud-Dubois, Shilova, Euro-Par 2021 (the ILP); elf, Aguila--Multner et al. 2025 (recomputation options by ILP for a fixed schedule)",
  asynchronous: true,
  solve: solvePipelineIlp,
};
