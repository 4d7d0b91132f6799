/**
 * lp-round: the LP relaxation of Checkmate's MILP on the stage grid (model.ts, integrality dropped) and
 * Checkmate's rounding (Jain et al., MLSys 2020, section 5; rounding.ts). The relaxation's optimum at
 * the budget is a lower bound on the makespan of every stage-grid schedule within it (proofs/milp.md,
 * claim 5); its retention, and that of the relaxation at `roundAt` of the budget (Checkmate's
 * 0.9, "to get values under the budget"), are rounded by a threshold sweep and seeded Bernoulli draws,
 * each candidate completed with its least recomputation, repaired and judged by the evaluator. One or
 * two LP solves plus O(candidates x (stages x n)).
 */

import { sumOfTimesBound } from "../../src/evaluate/bounds.js";
import type { Instance } from "../../src/instance/types.js";
import type { LpBackendName } from "../../src/lp/backends.js";
import { loadLpBackend } from "../../src/lp/load.js";
import { PROVING_LP_BACKENDS } from "../../src/lp/names.js";
import { type OptionValues, parseSwitches } from "../../src/options.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";
import type { Solver, SolverAnswer, SolverOptions } from "../../src/solver.js";
import { Deadline, TimeLimitReached } from "../../src/time-limit.js";
import { judgeFixedSchedule } from "../baselines/judge.js";
import { classBound, meetsBound } from "./claims.js";
import { type StageGrid, stageGrid } from "./grid.js";
import { buildGridModel, gridBinaries } from "./model.js";
import { fractionalRetention, roundRetentions } from "./rounding.js";

/** lp-round's switches. */
export const LP_ROUND_SWITCHES = {
  lp: {
    type: "choice",
    values: ["highs", "glpk", "jslp"],
    default: "highs",
    doc: "the LP backend that solves the relaxation",
  },
  roundAt: {
    type: "number",
    default: 0.9,
    min: 0,
    max: 1,
    doc: "also round the relaxation solved at this fraction of the budget (Checkmate's 0.9; 1: only the budget's)",
  },
  maxBinaries: {
    type: "integer",
    default: 20_000,
    min: 0,
    doc: "relax no model with more binaries than this (counted before building): answer without a schedule instead",
  },
  draws: { type: "integer", default: 50, min: 0, doc: "randomized roundings per relaxation" },
  seed: { type: "integer", default: 0, min: 0, doc: "seed of the randomized rounding (mulberry32)" },
} as const;

type LpRoundSwitches = OptionValues<typeof LP_ROUND_SWITCHES>;

/** Words for the relaxation's bound, with its proof. */
export const LP_BOUND = "LP relaxation of Checkmate's MILP on the stage grid, proofs/milp.md";

/** The relaxation at `budgetBytes`: its value (ms) and fractional retention, or undefined when infeasible. */
export async function solveRelaxation(
  instance: Instance,
  grid: StageGrid,
  budgetBytes: number,
  backendName: LpBackendName,
  deadline: Deadline,
): Promise<{ valueMs: number; retention: Float64Array; iterations: number } | undefined> {
  const built = buildGridModel(grid, { budgetBytes, fixedBytes: instance.fixedBytes, deadline });
  const remainingSec = (deadline.atMs - performance.now()) / 1000;
  if (!(remainingSec > 0)) throw new TimeLimitReached("building the LP relaxation", deadline.limitSec);
  const backend = await loadLpBackend(backendName);
  const result = await backend.solve(built.model, { relax: true, timeLimitSec: remainingSec });
  if (result.status === "timeout") throw new TimeLimitReached("solving the LP relaxation", deadline.limitSec);
  if (result.status !== "optimal" || result.values === undefined || result.objective === undefined)
    return undefined;
  return {
    valueMs: result.objective,
    retention: fractionalRetention(grid, built.columns, result.values),
    iterations: result.iterations ?? 0,
  };
}

async function solveLpRound(instance: Instance, options: SolverOptions): Promise<SolverAnswer> {
  const switches = parseSwitches(LP_ROUND_SWITCHES, options.extra, "lp-round");
  const storeAll = judgeFixedSchedule(instance, storeAllSchedule(instance), options);
  if (storeAll.status !== "infeasible") return storeAll;
  const deadline = new Deadline(options.timeLimitSec);
  const counters: Record<string, number> = {};
  try {
    return await roundAndJudge(instance, options, switches, deadline, counters);
  } catch (error: unknown) {
    if (!(error instanceof TimeLimitReached)) throw error;
    return { status: "timeout", reason: error.message, lowerBoundMs: sumOfTimesBound(instance), counters };
  }
}

/** The relaxations, the rounding, the verdict. */
async function roundAndJudge(
  instance: Instance,
  options: SolverOptions,
  switches: LpRoundSwitches,
  deadline: Deadline,
  counters: Record<string, number>,
): Promise<SolverAnswer> {
  const grid = stageGrid(instance);
  const { budgetBytes } = options;
  counters.binaries = gridBinaries(grid);
  if (counters.binaries > switches.maxBinaries)
    return {
      status: "infeasible",
      reason: `no schedule tried: the model has ${counters.binaries} binaries, above maxBinaries ${switches.maxBinaries}`,
      lowerBoundMs: sumOfTimesBound(instance),
      counters,
    };
  const atBudget = await solveRelaxation(instance, grid, budgetBytes, switches.lp, deadline);
  if (atBudget === undefined)
    return {
      status: "infeasible",
      reason: `${switches.lp} found the LP relaxation infeasible: no stage-grid schedule peaks within the budget of ${budgetBytes} bytes`,
      counters,
    };
  counters.lpIterations = atBudget.iterations;
  const fractions = [atBudget.retention];
  if (switches.roundAt < 1) {
    const tighter = await solveRelaxation(
      instance,
      grid,
      Math.floor(budgetBytes * switches.roundAt),
      switches.lp,
      deadline,
    );
    if (tighter !== undefined) fractions.push(tighter.retention);
  }
  const rounded = roundRetentions(instance, grid, fractions, {
    budgetBytes,
    draws: switches.draws,
    seed: switches.seed,
    deadline,
  });
  Object.assign(counters, { candidates: rounded.candidates, fitting: rounded.fitting });
  const best = rounded.best;
  const proving = PROVING_LP_BACKENDS.has(switches.lp);
  if (best === undefined)
    return {
      status: "infeasible",
      reason: `no rounded candidate fits the budget of ${budgetBytes} bytes`,
      counters,
    };
  const bound = proving ? atBudget.valueMs : undefined;
  const lowerBoundMs = classBound(instance, best, bound, { over: "stage-grid", method: LP_BOUND });
  const claims = {
    schedule: best.schedule,
    claimedMakespanMs: best.makespanMs,
    claimedPeakBytes: best.peakBytes,
    lowerBoundMs,
    counters,
  };
  if (bound !== undefined && meetsBound(best.makespanMs, bound))
    return {
      status: "optimal",
      ...claims,
      certificate: {
        kind: "milp",
        over: "stage-grid",
        backend: switches.lp,
        bound: Math.min(bound, best.makespanMs),
        gap: (best.makespanMs - Math.min(bound, best.makespanMs)) / Math.max(1, best.makespanMs),
        method: LP_BOUND,
      },
    };
  return { status: "feasible", ...claims };
}

/** lp-round, as a Solver. */
export const lpRound: Solver = {
  name: "lp-round",
  family: "milp",
  problem: "any DAG (Checkmate's stage grid)",
  guarantee:
    "feasible, with the LP relaxation's lower bound over stage-grid schedules (optimal when an answer meets it)",
  reference:
    "Jain et al., Checkmate, MLSys 2020 (section 5: LP relaxation and two-phase rounding); proofs/milp.md",
  objectives: ["time"],
  emits: { time: "stage-grid" },
  switches: LP_ROUND_SWITCHES,
  reads: [],
  solve: solveLpRound,
};
