/**
 * The candidates of graph-offload (proofs/graph-offload.md, "The planner"), each a schedule within the
 * budget judged by the evaluator:
 * 1. graph-mincut's answer at the budget (the first incumbent, so the answer is never slower);
 * 2. graph-mincut's time-objective schedules at a ladder of larger budgets B' (B < B' < the store-all
 *    peak: a few just above B, then evenly spaced; from graph-mincut's least peak reached when it finds
 *    nothing within B, and then also its memory objective's least-peak schedule) and store-all itself,
 *    each made to fit the budget by offloading the spans the greedy of select.ts chooses, placed by the
 *    timing routine (timing.ts), under each greedy rule and with and without eager frees;
 * 3. the offload family's heuristics at the budget (store-all's order): offload-all, offload-largest,
 *    offload-fluid, offload-lp-round.
 * The effort is counted (ladder rungs, rules, placements), never timed; the deadline only stops it.
 */
import type { ValidEvaluation } from "../../src/evaluate/evaluate.js";
import type { Instance } from "../../src/instance/types.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";
import type { Schedule } from "../../src/schedule/types.js";
import type { Solver, SolverAnswer, SolverOptions } from "../../src/solver.js";
import type { Deadline } from "../../src/time-limit.js";
import { solveGraph } from "../graph/solver.js";
import { offloadAll, offloadFluid, offloadLargest, offloadLpRound } from "../offload/index.js";
import { chooseSpans, SPAN_RULES } from "./select.js";
import { baseSchedule } from "./spans.js";
import { placeSpans } from "./timing.js";

/** A candidate: where it came from, its schedule and the evaluator's costs. */
export interface Candidate {
  readonly source: string;
  readonly schedule: Schedule;
  readonly makespanMs: number;
  readonly peakBytes: number;
  /** The solver answer it is, when it is one solver's answer unchanged. */
  readonly answer?: SolverAnswer;
}

/** Relative margin by which a candidate must beat the incumbent (float sums; keeps ties stable). */
const BETTER = 1e-9;

/** The best candidate so far, and what the search counted. */
export class Pool {
  best: Candidate | undefined;
  readonly counters: Record<string, number> = { candidates: 0, placements: 0 };
  /** The least peak of any schedule judged (within the budget or not), bytes. */
  leastPeak = Number.POSITIVE_INFINITY;

  constructor(readonly budgetBytes: number) {}

  /** Offers a candidate; kept when within the budget and faster than the incumbent by BETTER. */
  offer(candidate: Candidate): void {
    this.counters.candidates = (this.counters.candidates as number) + 1;
    this.leastPeak = Math.min(this.leastPeak, candidate.peakBytes);
    if (candidate.peakBytes > this.budgetBytes) return;
    const best = this.best;
    if (best === undefined || candidate.makespanMs < best.makespanMs * (1 - BETTER)) this.best = candidate;
  }
}

/**
 * The answer's schedule and claimed costs (`solve` checks them against the evaluator), if it has a
 * schedule. @param keep whether the candidate carries the answer itself (to be returned unchanged)
 */
export function answerCandidate(source: string, answer: SolverAnswer, keep: boolean): Candidate | undefined {
  const { schedule, claimedMakespanMs, claimedPeakBytes } = answer;
  if (schedule === undefined || claimedMakespanMs === undefined || claimedPeakBytes === undefined)
    return undefined;
  const costs = { source, schedule, makespanMs: claimedMakespanMs, peakBytes: claimedPeakBytes };
  return keep ? { ...costs, answer } : costs;
}

/** The options for a sub-solve at `budgetBytes` with `extra` and the time left. */
function subOptions(
  options: SolverOptions,
  budgetBytes: number,
  extra: Record<string, unknown>,
  deadline: Deadline,
): SolverOptions {
  const left = Number.isFinite(deadline.atMs)
    ? Math.max(1e-3, (deadline.atMs - performance.now()) / 1000)
    : Number.POSITIVE_INFINITY;
  return { ...options, budgetBytes, timeLimitSec: left, extra };
}

/** graph-mincut's time answer at `budgetBytes` (its switches at their defaults). */
export async function mincutAt(
  instance: Instance,
  options: SolverOptions,
  budgetBytes: number,
  deadline: Deadline,
): Promise<SolverAnswer> {
  const sub = { ...subOptions(options, budgetBytes, {}, deadline), objective: "time" as const };
  return solveGraph(instance, sub, deadline);
}

/** The ladder's budgets: `rungs` evenly spaced strictly between the budget and the store-all peak. */
export function ladderBudgets(budgetBytes: number, storeAllPeak: number, rungs: number): number[] {
  return Array.from({ length: rungs }, (_, i) =>
    Math.floor(budgetBytes + ((storeAllPeak - budgetBytes) * (i + 1)) / (rungs + 1)),
  );
}

/**
 * Makes `schedule` (transfer-free, valid) fit the pool's budget by offloading spans, under each rule,
 * with and without eager frees; offers every placement that fits.
 */
export function offloadToFit(
  pool: Pool,
  instance: Instance,
  source: string,
  schedule: Schedule,
  deadline: Deadline,
): void {
  const base = baseSchedule(instance, schedule);
  pool.leastPeak = Math.min(pool.leastPeak, base.evaluation.peakBytes);
  if (base.evaluation.peakBytes <= pool.budgetBytes) {
    pool.offer(judgedCandidate(source, schedule, base.evaluation));
    return;
  }
  for (const rule of SPAN_RULES) {
    deadline.check("choosing spans to offload");
    const chosen = chooseSpans(base, pool.budgetBytes, rule, deadline);
    if (chosen === undefined) continue;
    for (const eager of [true, false]) {
      deadline.check("placing offloaded spans");
      pool.counters.placements = (pool.counters.placements as number) + 1;
      const placement = placeSpans(base, chosen, pool.budgetBytes, eager, deadline);
      if (!placement.fits) continue;
      pool.offer(
        judgedCandidate(
          `${source}+${rule}${eager ? "+eager" : ""}`,
          placement.schedule,
          placement.evaluation,
        ),
      );
    }
  }
}

function judgedCandidate(source: string, schedule: Schedule, evaluation: ValidEvaluation): Candidate {
  return { source, schedule, makespanMs: evaluation.makespanMs, peakBytes: evaluation.peakBytes };
}

/** The offload heuristics whose answers are candidates (not the MILP nor the tiny-only exhaustive search). */
const OFFLOAD_HEURISTICS: readonly Solver[] = [offloadAll, offloadLargest, offloadFluid, offloadLpRound];

/** Offers each offload heuristic's answer at the budget. @param lp offload-lp-round's LP backend */
export async function offloadCandidates(
  pool: Pool,
  instance: Instance,
  options: SolverOptions,
  lp: string,
  deadline: Deadline,
): Promise<void> {
  for (const solver of OFFLOAD_HEURISTICS) {
    deadline.check("the offload heuristics");
    const extra = solver === offloadLpRound ? { lp } : {};
    const answer = await solver.solve(instance, subOptions(options, pool.budgetBytes, extra, deadline));
    if (answer.status === "timeout") deadline.check("the offload heuristics");
    const candidate = answerCandidate(solver.name, answer, false);
    if (candidate !== undefined) pool.offer(candidate);
  }
}

/**
 * graph-mincut's least-peak schedule (its memory objective, no budget), offloaded to fit: the base that
 * reaches the lowest budgets, tried when graph-mincut finds nothing within the budget.
 */
export async function leastPeakCandidate(
  pool: Pool,
  instance: Instance,
  options: SolverOptions,
  deadline: Deadline,
): Promise<void> {
  const sub = subOptions(options, Number.POSITIVE_INFINITY, {}, deadline);
  const answer = await solveGraph(instance, { ...sub, objective: "memory" }, deadline);
  if (answer.status === "timeout") deadline.check("graph-mincut's least peak");
  if (answer.schedule !== undefined)
    offloadToFit(pool, instance, "graph-mincut-memory", answer.schedule, deadline);
}

/** The ladder: graph-mincut at each rung, and store-all, each offloaded to fit. */
export async function ladderCandidates(
  pool: Pool,
  instance: Instance,
  options: SolverOptions,
  rungs: readonly number[],
  deadline: Deadline,
): Promise<void> {
  const seen = new Set<string>();
  for (const budget of rungs) {
    const answer = await mincutAt(instance, options, budget, deadline);
    if (answer.status === "timeout") deadline.check("graph-mincut on the ladder");
    const key = `${answer.claimedPeakBytes}/${answer.claimedMakespanMs}`;
    if (answer.schedule === undefined || seen.has(key)) continue;
    seen.add(key);
    offloadToFit(pool, instance, `graph-mincut@${budget}`, answer.schedule, deadline);
  }
  offloadToFit(pool, instance, "store-all", storeAllSchedule(instance), deadline);
}
