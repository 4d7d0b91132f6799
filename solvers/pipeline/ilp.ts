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
 * over the class the MILPs proved. With `recomputePer: "microbatch"` (`--recompute-per microbatch`)
 * further MILPs choose an option per (stage, micro-batch), as elf does: on the best plan's partition,
 * then jointly with the partition per stage count (ilp-microbatch-phases.ts); the answer's certificate
 * names exactly what was proven (ilp-answer.ts).
 */
import { InternalError } from "../../src/errors.js";
import type { LpResult } from "../../src/lp/backend.js";
import { loadLpBackend } from "../../src/lp/load.js";
import { PROVING_LP_BACKENDS } from "../../src/lp/names.js";
import { parseSwitches } from "../../src/options.js";
import { evaluatePipeline } from "../../src/pipeline/evaluate.js";
import type {
  PipelinePlan,
  PipelineProblem,
  PipelineSolver,
  PipelineSolverAnswer,
  PipelineSolverOptions,
} from "../../src/pipeline/types.js";
import { Deadline, TimeLimitReached } from "../../src/time-limit.js";
import { assemble } from "./assemble.js";
import { bestPartition } from "./dp.js";
import { answer, PIPELINE_ILP_CLASS, type Run, type StageCountRun, stageCounts } from "./ilp-answer.js";
import { type CandidateSet, type StageCandidate, stageCandidates, stageChoices } from "./ilp-candidates.js";
import { microbatchPhases } from "./ilp-microbatch-phases.js";
import { buildPipelineIlp, type PipelineIlp, startOf } from "./ilp-model.js";
import { agrees, verdictOf } from "./ilp-verdict.js";
import { menuFor } from "./menus.js";
import type { StageMenu } from "./stage-menu.js";

export { PIPELINE_ILP_CLASS } from "./ilp-answer.js";
export { PIPELINE_ILP_TOLERANCE } from "./ilp-verdict.js";

/** pipeline-ilp's switches (`extra`; `--lp` on the command line). */
export const PIPELINE_ILP_SWITCHES = {
  lp: {
    type: "choice",
    values: ["highs", "glpk", "jslp"],
    default: "highs",
    doc: "LP/MILP backend: highs (proves bounds, also at a time limit), glpk, jslp (no proofs)",
  },
  recomputePer: {
    type: "choice",
    values: ["stage", "microbatch"],
    default: "stage",
    doc: "stage: one option per stage; microbatch: one option per (stage, micro-batch), as elf, on the best partition then jointly with the partition",
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
  const { lp, recomputePer } = parseSwitches(PIPELINE_ILP_SWITCHES, options.extra, "pipeline-ilp");
  const deadline = new Deadline(options.timeLimitSec);
  const run: Run = { problem, lp, recomputePer, deadline, runs: [], counters: {} };
  try {
    const menu = menuFor(problem, options, run.deadline);
    const candidates = stageCandidates(problem, menu, options.checkpointing, run.deadline);
    run.counters.candidates = candidates.list.length;
    const most = stageCounts(problem);
    for (let p = 1; p <= most; p++) run.runs.push(await solveStageCount(run, menu, candidates, p));
    if (recomputePer === "microbatch") await microbatchPhases(run, candidates);
    return answer(run, undefined);
  } catch (error) {
    if (!(error instanceof TimeLimitReached)) throw error;
    return answer(run, error.message);
  }
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
  // The per-micro-batch phases, when asked for, get shares like 1 + P more stage counts.
  const most = stageCounts(problem);
  const shares = most - p + 1 + (run.recomputePer === "microbatch" ? 1 + most : 0);
  const remainingSec = (deadline.atMs - performance.now()) / 1000 / shares;
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

/** The pipeline-ilp solver. */
export const pipelineIlp: PipelineSolver = {
  name: "pipeline-ilp",
  guarantee: `optimal over ${PIPELINE_ILP_CLASS} when the backend proves every stage count's MILP; else feasible or timeout with the MILPs' class bound (counter classBoundMs); with recomputePer microbatch, optimal over every partition with an option per (stage, micro-batch) when the backend proves every MILP`,
  reference:
    "Beaumont, Eyraud-Dubois, Shilova, Euro-Par 2021 (the ILP); elf, Aguila--Multner et al. 2025 (recomputation options by ILP for a fixed schedule)",
  asynchronous: true,
  solve: solvePipelineIlp,
};
