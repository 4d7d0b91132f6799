/**
 * milp: Checkmate's exact MILP (Jain et al., MLSys 2020) over remat's training graph, on the LP layer
 * (src/lp/): the frontier-advancing stage grid (grid.ts), retention `S` and recomputation `R` per stage,
 * least makespan with peak <= budget (model.ts). Its memory rows count exactly what the evaluator
 * counts for the schedule rebuilt from a solution (rebuild.ts) or more, and exactly that for every
 * schedule of the class at its own point (proofs/milp.md), so the MILP's optimum is the optimum of the
 * stage-grid class and its proven bound a bound over it. Warm-started from the baselines, chain-dp and
 * graph-mincut (incumbents.ts): the best of them within the budget is the objective cutoff. O(n^2)
 * binaries; exponential in the worst case.
 */
import { InternalError } from "../../src/errors.js";
import { makespanLowerBound, sumOfTimesBound } from "../../src/evaluate/bounds.js";
import type { Instance } from "../../src/instance/types.js";
import type { LpResult } from "../../src/lp/backend.js";
import { loadLpBackend } from "../../src/lp/load.js";
import { PROVING_LP_BACKENDS } from "../../src/lp/names.js";
import { type OptionValues, parseSwitches } from "../../src/options.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";
import type { Solver, SolverAnswer, SolverOptions } from "../../src/solver.js";
import { Deadline, TimeLimitReached } from "../../src/time-limit.js";
import { judgeFixedSchedule } from "../baselines/judge.js";
import { type MilpScope, meetsBound, milpClaims, milpOptimal } from "./claims.js";
import { decodePlan } from "./decode.js";
import { type StageGrid, stageGrid } from "./grid.js";
import { gridIncumbents } from "./incumbents.js";
import { faster, type Judged, judgeWithin } from "./judged.js";
import { buildGridModel, type GridModel, gridBinaries } from "./model.js";
import { rebuildSchedule } from "./rebuild.js";
import { milpStart } from "./start.js";

/** milp's switches. */
export const MILP_SWITCHES = {
  lp: {
    type: "choice",
    values: ["highs", "glpk", "jslp"],
    default: "highs",
    doc: "LP/MILP backend: highs (proves bounds, also at a time limit), glpk, jslp (no proofs)",
  },
  maxBinaries: {
    type: "integer",
    default: 50_000,
    min: 0,
    doc: "build no model with more binaries than this (counted before building): answer the best incumbent instead",
  },
  warmStart: {
    type: "boolean",
    default: true,
    doc: "run the baselines, chain-dp and graph-mincut first and cut the MILP off at the best of them",
  },
} as const;

type MilpSwitches = OptionValues<typeof MILP_SWITCHES>;

export { MILP_TOLERANCE, meetsBound } from "./claims.js";

/** Words for the MILP's bound, with its proof. */
export const MILP_BOUND = "Checkmate's MILP on the stage grid (its proven bound), proofs/milp.md";

/** What the solve tracks while it runs. */
interface Run {
  readonly instance: Instance;
  readonly options: SolverOptions;
  readonly switches: MilpSwitches;
  readonly grid: StageGrid;
  readonly deadline: Deadline;
  best: Judged | undefined;
  readonly counters: Record<string, number>;
}

/** milp's class and bound method. */
const SCOPE: MilpScope = { over: "stage-grid", method: MILP_BOUND };

/** The claims of the best schedule, with its bound. */
function claims(run: Run, best: Judged, milpBound: number | undefined) {
  return milpClaims(run.instance, best, milpBound, run.counters, SCOPE);
}

/** An optimal answer: `best` meets `bound` over the stage grid, proved by `backend` (claims.ts). */
function optimalAnswer(run: Run, best: Judged, bound: number, backend: string): SolverAnswer {
  return milpOptimal(run.instance, best, bound, backend, run.counters, SCOPE);
}

/** Rebuilds the solution's schedule and keeps it when it beats the best so far. */
function takeSolution(run: Run, built: GridModel, values: Float64Array): void {
  const plan = decodePlan(run.grid, built.columns, values);
  const judged =
    plan === undefined
      ? undefined
      : judgeWithin(run.instance, rebuildSchedule(run.grid, plan), run.options.budgetBytes);
  if (judged === undefined) run.counters.rebuildFailures = (run.counters.rebuildFailures ?? 0) + 1;
  run.best = faster(run.best, judged);
}

/** The answer once the backend returned (proofs/milp.md, "Claims"). */
function answerFrom(run: Run, built: GridModel, result: LpResult, cutoff: boolean): SolverAnswer {
  Object.assign(run.counters, {
    lpNodes: result.nodes ?? 0,
    lpIterations: result.iterations ?? 0,
    lpWallMs: result.wallMs,
  });
  if (result.gap !== undefined && Number.isFinite(result.gap)) run.counters.gap = result.gap;
  if (result.status === "unbounded") throw new InternalError("milp: the MILP is unbounded (a bug)");
  if (result.values !== undefined) takeSolution(run, built, result.values);
  const best = run.best;
  const proving = PROVING_LP_BACKENDS.has(result.backend);
  if (best === undefined) return noSchedule(run, result, proving);
  if (result.status === "infeasible" && cutoff && proving)
    return optimalAnswer(run, best, best.makespanMs, result.backend);
  return verdict(run, best, result, proving);
}

/** optimal when the backend proved a bound the best schedule meets; else timeout or feasible with it. */
function verdict(run: Run, best: Judged, result: LpResult, proving: boolean): SolverAnswer {
  const bound =
    proving && result.bound !== undefined && Number.isFinite(result.bound) ? result.bound : undefined;
  if (result.status === "timeout")
    return {
      status: "timeout",
      reason: `the time limit stopped ${result.backend} before it proved optimality`,
      ...claims(run, best, bound),
    };
  const meets = bound !== undefined && meetsBound(best.makespanMs, bound);
  if (result.status === "optimal" && meets) return optimalAnswer(run, best, bound as number, result.backend);
  return { status: "feasible", ...claims(run, best, bound) };
}

/** The answer when no schedule within the budget is known after the solve. */
function noSchedule(run: Run, result: LpResult, proving: boolean): SolverAnswer {
  if (result.status === "timeout")
    return {
      status: "timeout",
      reason: `the time limit stopped ${result.backend} before it found a stage-grid schedule within the budget`,
      lowerBoundMs: sumOfTimesBound(run.instance),
      counters: run.counters,
    };
  const reason =
    result.status === "infeasible" && proving
      ? `${result.backend} proved that no stage-grid schedule peaks within the budget of ${run.options.budgetBytes} bytes`
      : `${result.backend} found no stage-grid schedule within the budget of ${run.options.budgetBytes} bytes`;
  return { status: "infeasible", reason, counters: run.counters };
}

/** The incumbents, the model, the backend. */
async function solveGrid(run: Run): Promise<SolverAnswer> {
  const { instance, options, grid, deadline } = run;
  if (run.switches.warmStart)
    for (const schedule of await gridIncumbents(instance, grid, options, deadline))
      run.best = faster(run.best, judgeWithin(instance, schedule, options.budgetBytes));
  if (run.best !== undefined && run.best.makespanMs <= makespanLowerBound(instance))
    return judgeFixedSchedule(instance, run.best.schedule, options);
  run.counters.binaries = gridBinaries(grid);
  if (run.counters.binaries > run.switches.maxBinaries) {
    run.counters.modelSkipped = 1;
    if (run.best === undefined)
      return {
        status: "infeasible",
        reason: `no incumbent fits the budget and the model (${run.counters.binaries} binaries) exceeds maxBinaries`,
        counters: run.counters,
      };
    return { status: "feasible", ...claims(run, run.best, undefined) };
  }
  const cutoffMs = run.best?.makespanMs;
  const built = buildGridModel(grid, {
    budgetBytes: options.budgetBytes,
    fixedBytes: instance.fixedBytes,
    deadline,
    ...(cutoffMs === undefined ? {} : { cutoffMs }),
  });
  Object.assign(run.counters, {
    variables: built.model.variables.length,
    constraints: built.model.constraints.length,
  });
  const remainingSec = (deadline.atMs - performance.now()) / 1000;
  if (!(remainingSec > 0)) throw new TimeLimitReached("building the Checkmate MILP", options.timeLimitSec);
  const backend = await loadLpBackend(run.switches.lp);
  const start = run.best === undefined ? undefined : milpStart(grid, built.columns, run.best.schedule);
  const result = await backend.solve(built.model, {
    timeLimitSec: remainingSec,
    ...(start === undefined ? {} : { start }),
  });
  return answerFrom(run, built, result, cutoffMs !== undefined);
}

/**
 * milp's solve: store-all when it fits (optimal over all schedules: it meets the sum of times), else
 * the stage-grid MILP warm-started from the incumbents.
 */
export async function solveMilp(instance: Instance, options: SolverOptions): Promise<SolverAnswer> {
  const switches = parseSwitches(MILP_SWITCHES, options.extra, "milp");
  const storeAll = judgeFixedSchedule(instance, storeAllSchedule(instance), options);
  if (storeAll.status !== "infeasible") return storeAll;
  const run: Run = {
    instance,
    options,
    switches,
    grid: stageGrid(instance),
    deadline: new Deadline(options.timeLimitSec),
    best: undefined,
    counters: {},
  };
  try {
    return await solveGrid(run);
  } catch (error: unknown) {
    if (!(error instanceof TimeLimitReached)) throw error;
    const best = run.best;
    return best === undefined
      ? {
          status: "timeout",
          reason: `${error.message}, before any schedule within the budget was found`,
          lowerBoundMs: sumOfTimesBound(instance),
          counters: run.counters,
        }
      : { status: "timeout", reason: error.message, ...claims(run, best, undefined) };
  }
}

/** milp, as a Solver. */
export const milp: Solver = {
  name: "milp",
  family: "milp",
  problem: "any DAG (Checkmate's stage grid: store-all's order, recomputation in stages)",
  guarantee:
    "optimal over stage-grid schedules when the backend proves the MILP (proofs/milp.md); else feasible or timeout with the MILP's bound",
  reference: "Jain et al., Checkmate, MLSys 2020 (section 4: the MILP); proofs/milp.md",
  objectives: ["time"],
  emits: { time: "stage-grid" },
  switches: MILP_SWITCHES,
  reads: [],
  solve: solveMilp,
};
