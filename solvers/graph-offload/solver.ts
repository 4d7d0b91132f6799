/**
 * graph-offload: recomputation and offloading combined on arbitrary DAGs (issue 12, item 4), as a remat
 * Solver. Candidates (candidates.ts): graph-mincut's answer at the budget; graph-mincut's schedules at a
 * ladder of larger budgets and store-all, each made to fit by offloading spans (select.ts, timing.ts);
 * the offload heuristics' answers. The fastest within the budget is answered:
 * - graph-mincut's own answer, unchanged (its status and certificate), when nothing beats it;
 * - otherwise `optimal` only when it meets the sum-of-times bound (over all schedules), else `feasible`;
 * - `infeasible` when no candidate fits: proven (a memory bound over all schedules above the budget,
 *   memory-bound.ts) or only what was learned (the least peak any candidate reached), said in the reason;
 * - `timeout` with the best candidate so far when the time limit passes.
 * Without a link (no hardware block, or bandwidth 0) it answers exactly as graph-mincut does.
 * @see ../../proofs/graph-offload.md
 */
import { makespanLowerBound, SUM_OF_TIMES, sumOfTimesBound } from "../../src/evaluate/bounds.js";
import type { Instance } from "../../src/instance/types.js";
import { type OptionValues, parseSwitches } from "../../src/options.js";
import { storeAllEvaluation, storeAllSchedule } from "../../src/schedule/builders.js";
import type { Solver, SolverAnswer, SolverOptions } from "../../src/solver.js";
import { Deadline, TimeLimitReached } from "../../src/time-limit.js";
import { solveGraph } from "../graph/solver.js";
import {
  answerCandidate,
  type Candidate,
  ladderBudgets,
  ladderCandidates,
  leastPeakCandidate,
  mincutAt,
  offloadCandidates,
  offloadToFit,
  Pool,
} from "./candidates.js";
import { stepBound } from "./memory-bound.js";

/** graph-offload's switches. */
export const GRAPH_OFFLOAD_SWITCHES = {
  ladder: {
    type: "integer",
    default: 4,
    min: 0,
    doc: "budgets between the budget and the store-all peak at which graph-mincut's schedules are offloaded to fit (one graph-mincut solve each)",
  },
  near: {
    type: "integer",
    default: 2,
    min: 0,
    doc: "budgets just above the budget (2.5%, 5%, 10%, ... above it) at which graph-mincut is also solved (one solve each)",
  },
  lp: {
    type: "choice",
    values: ["highs", "glpk", "jslp"],
    default: "highs",
    doc: "the LP backend of the offload-lp-round candidate",
  },
} as const;

type Settings = OptionValues<typeof GRAPH_OFFLOAD_SWITCHES>;

/** The first near rung's distance above the budget, relative (each next one doubles it). */
const NEAR_STEP = 0.025;

/** Relative slack under which a makespan counts as meeting the sum-of-times bound (float sums). */
const MEETS_BOUND = 1e-12;

/** Whether offloading is possible at all: a hardware block with a positive bandwidth. */
function hasLink(instance: Instance): boolean {
  return instance.hardware !== undefined && instance.hardware.bandwidth > 0;
}

/** The answer for the pool's best candidate (graph-mincut's own answer when it is that one). */
function bestAnswer(instance: Instance, best: Candidate, counters: Record<string, number>): SolverAnswer {
  if (best.answer !== undefined)
    return { ...best.answer, counters: { ...best.answer.counters, ...counters } };
  const sum = makespanLowerBound(instance);
  const claims = {
    schedule: best.schedule,
    claimedMakespanMs: best.makespanMs,
    claimedPeakBytes: best.peakBytes,
    lowerBoundMs: sumOfTimesBound(instance),
    counters,
  };
  if (best.makespanMs <= sum * (1 + MEETS_BOUND))
    return {
      status: "optimal",
      ...claims,
      certificate: { kind: "meets-bound", over: "all", objective: "time", bound: SUM_OF_TIMES, value: sum },
    };
  return { status: "feasible", ...claims };
}

/** `infeasible`: proven when the step bound is above the budget, else what the candidates reached. */
function infeasible(instance: Instance, pool: Pool): SolverAnswer {
  const bound = stepBound(instance);
  const budget = pool.budgetBytes;
  const reached = Number.isFinite(pool.leastPeak) ? `${pool.leastPeak} bytes` : "no schedule";
  return {
    status: "infeasible",
    lowerBoundBytes: bound,
    reason:
      bound.value > budget
        ? `no schedule fits: every schedule peaks at ${bound.value} bytes or more (${bound.method}), above the budget of ${budget}`
        : `no candidate fits the budget of ${budget} bytes: the least peak reached is ${reached} (not proven least; the proven bound is ${bound.value})`,
    counters: pool.counters,
  };
}

/** The time limit passed: the best candidate so far, if any. */
function timeoutAnswer(instance: Instance, pool: Pool, stop: TimeLimitReached): SolverAnswer {
  const best = pool.best;
  return {
    status: "timeout",
    reason: `${stop.message}${best === undefined ? ", before any schedule within the budget was found" : ""}`,
    ...(best === undefined
      ? {}
      : { schedule: best.schedule, claimedMakespanMs: best.makespanMs, claimedPeakBytes: best.peakBytes }),
    lowerBoundMs: sumOfTimesBound(instance),
    counters: pool.counters,
  };
}

/**
 * The ladder's budgets: `settings.near` just above the budget (graph-mincut's search is not monotone in
 * its budget, so a slightly larger one may give a faster schedule that still fits, or one a few spans
 * make fit), then `settings.ladder` evenly spaced up to the store-all peak; when graph-mincut finds
 * nothing within the budget, they start from its least peak reached, itself the first rung.
 */
function rungsFor(
  mincut: SolverAnswer,
  options: SolverOptions,
  storeAllPeak: number,
  settings: Settings,
): number[] {
  const least = mincut.status === "infeasible" ? mincut.minFeasibleBudgetBytes : undefined;
  const from = least === undefined || least >= storeAllPeak ? options.budgetBytes : least;
  const near = Array.from({ length: settings.near }, (_, i) => Math.floor(from * (1 + NEAR_STEP * 2 ** i)));
  const rungs = [
    ...(from === options.budgetBytes ? [] : [from]),
    ...near,
    ...ladderBudgets(from, storeAllPeak, settings.ladder),
  ];
  return [...new Set(rungs.filter((budget) => budget < storeAllPeak))].sort((a, b) => a - b);
}

async function search(
  instance: Instance,
  options: SolverOptions,
  settings: Settings,
  pool: Pool,
  deadline: Deadline,
): Promise<SolverAnswer> {
  const mincut = await mincutAt(instance, options, options.budgetBytes, deadline);
  const first = answerCandidate("graph-mincut", mincut, true);
  if (first !== undefined) pool.offer(first);
  if (mincut.status === "timeout") deadline.check("graph-mincut at the budget");
  const storeAllPeak = storeAllEvaluation(instance).peakBytes;
  if (storeAllPeak > options.budgetBytes) {
    if (mincut.status === "infeasible") await leastPeakCandidate(pool, instance, options, deadline);
    await ladderCandidates(
      pool,
      instance,
      options,
      rungsFor(mincut, options, storeAllPeak, settings),
      deadline,
    );
    await offloadCandidates(pool, instance, options, settings.lp, deadline);
  } else offloadToFit(pool, instance, "store-all", storeAllSchedule(instance), deadline);
  const best = pool.best;
  if (best === undefined) return infeasible(instance, pool);
  pool.counters.fromMincut = best.answer === undefined ? 0 : 1;
  return bestAnswer(instance, best, pool.counters);
}

/**
 * graph-offload's solve.
 * @param deadline the time limit (default: `options.timeLimitSec` from now; tests pass their own)
 */
export async function solveGraphOffload(
  instance: Instance,
  options: SolverOptions,
  deadline: Deadline = new Deadline(options.timeLimitSec),
): Promise<SolverAnswer> {
  const settings = parseSwitches(GRAPH_OFFLOAD_SWITCHES, options.extra, "graph-offload");
  if (!hasLink(instance)) return solveGraph(instance, { ...options, extra: {} }, deadline);
  const pool = new Pool(options.budgetBytes);
  try {
    return await search(instance, options, settings, pool, deadline);
  } catch (error: unknown) {
    if (error instanceof TimeLimitReached) return timeoutAnswer(instance, pool, error);
    throw error;
  }
}

export const graphOffload: Solver = {
  name: "graph-offload",
  family: "graph-offload",
  problem: "any DAG (recomputation and offloading combined)",
  guarantee:
    "feasible (never slower than graph-mincut nor than the offload heuristics at the same budget); optimal only when graph-mincut's answer is and nothing beats it, or when the sum of times is met; infeasible proven only below the largest single step's need",
  reference:
    "graph-mincut's schedules with resident spans offloaded where the link has time (Beaumont, Eyraud-Dubois, Shilova 2021, POFO, for the combination)",
  objectives: ["time"],
  emits: {},
  switches: GRAPH_OFFLOAD_SWITCHES,
  reads: ["slots"],
  solve: (instance, options) => solveGraphOffload(instance, options),
};
