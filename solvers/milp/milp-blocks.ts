/**
 * milp-blocks: the stage-grid answer with a bound that scales to op-level networks (issue 13, item 5).
 * Runs milp's incumbents (incumbents.ts: recompute-all, chen-sqrt, chen-greedy, chain-dp on chains,
 * graph-mincut; all in the stage grid), answers the fastest within the budget, and proves a lower bound
 * over the stage-grid class with the block relaxation (blocks-model.ts; proofs/milp-blocks.md): the
 * graph is cut at its cut points into groups, each stage keeps its own group's cells exact and
 * aggregates the others. `optimal` (certificate `milp` over `stage-grid`) only when the answer meets
 * that bound; `infeasible` with a proof when the relaxation is infeasible. The model's own points are
 * not schedules (aggregated cells name no nodes), so it never answers one of its own.
 *
 * Its own solver rather than a mode of milp: its answer never comes from its model, its switches
 * (group size, price slices) mean nothing to milp, and its guarantee differs (a bound, not exactness).
 */
import { sumOfTimesBound } from "../../src/evaluate/bounds.js";
import type { Instance } from "../../src/instance/types.js";
import { type OptionValues, parseSwitches } from "../../src/options.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";
import type { Solver, SolverAnswer, SolverOptions } from "../../src/solver.js";
import { Deadline, TimeLimitReached } from "../../src/time-limit.js";
import { judgeFixedSchedule } from "../baselines/judge.js";
import { BLOCKS_BOUND, BLOCKS_MAX_CELLS, blocksBound } from "./blocks-bound.js";
import { type MilpScope, meetsBound, milpClaims, milpOptimal } from "./claims.js";
import { stageGrid } from "./grid.js";
import { gridIncumbents } from "./incumbents.js";
import { faster, type Judged, judgeWithin } from "./judged.js";

/** milp-blocks' switches. */
export const MILP_BLOCKS_SWITCHES = {
  lp: {
    type: "choice",
    values: ["highs", "glpk"],
    default: "highs",
    doc: "the LP/MILP backend of the relaxation (both prove bounds)",
  },
  groupNodes: {
    type: "integer",
    default: 8,
    min: 1,
    doc: "least nodes per group of blocks between cut points (larger: more detail, a larger model; >= n: the whole grid detailed)",
  },
  segments: {
    type: "integer",
    default: 3,
    min: 1,
    doc: "price slices of each aggregated group's recomputation (more: a tighter envelope, more columns)",
  },
  maxCells: {
    type: "integer",
    default: BLOCKS_MAX_CELLS,
    min: 0,
    doc: "build no relaxation on a grid of more cells (stages x nodes) than this: answer the best incumbent without its bound",
  },
  integral: {
    type: "boolean",
    default: true,
    doc: "solve the relaxation with integral detailed cells (its MILP bound, also at the time limit) rather than as an LP",
  },
} as const;

type MilpBlocksSwitches = OptionValues<typeof MILP_BLOCKS_SWITCHES>;

const SCOPE: MilpScope = { over: "stage-grid", method: BLOCKS_BOUND };

/** The answer from the best incumbent and the relaxation's bound (undefined: none proven). */
function answer(
  instance: Instance,
  best: Judged,
  bound: number | undefined,
  backend: string,
  counters: Record<string, number>,
): SolverAnswer {
  if (bound !== undefined && meetsBound(best.makespanMs, bound))
    return milpOptimal(instance, best, bound, backend, counters, SCOPE);
  return { status: "feasible", ...milpClaims(instance, best, bound, counters, SCOPE) };
}

/** The incumbents, then the relaxation with the time left. */
async function solveBlocks(
  instance: Instance,
  options: SolverOptions,
  switches: MilpBlocksSwitches,
  deadline: Deadline,
  run: { best: Judged | undefined; counters: Record<string, number> },
): Promise<SolverAnswer> {
  const grid = stageGrid(instance);
  for (const schedule of await gridIncumbents(instance, grid, options, deadline))
    run.best = faster(run.best, judgeWithin(instance, schedule, options.budgetBytes));
  const result = await blocksBound(
    instance,
    grid,
    options.budgetBytes,
    {
      groupNodes: switches.groupNodes,
      segments: switches.segments,
      integral: switches.integral,
      lp: switches.lp,
      maxCells: switches.maxCells,
    },
    deadline,
  );
  Object.assign(run.counters, {
    binaries: result.binaries,
    variables: result.variables,
    constraints: result.constraints,
    groups: result.groups,
    solved: result.solved ? 1 : 0,
  });
  if (result.status === "infeasible")
    return {
      status: "infeasible",
      reason: `${switches.lp} proved the block relaxation infeasible: no stage-grid schedule peaks within the budget of ${options.budgetBytes} bytes`,
      counters: run.counters,
    };
  if (run.best === undefined)
    return {
      status: "infeasible",
      reason: `no incumbent fits the budget of ${options.budgetBytes} bytes (the relaxation did not rule the stage grid out)`,
      counters: run.counters,
    };
  return answer(instance, run.best, result.valueMs, switches.lp, run.counters);
}

async function solveMilpBlocks(instance: Instance, options: SolverOptions): Promise<SolverAnswer> {
  const switches = parseSwitches(MILP_BLOCKS_SWITCHES, options.extra, "milp-blocks");
  const storeAll = judgeFixedSchedule(instance, storeAllSchedule(instance), options);
  if (storeAll.status !== "infeasible") return storeAll;
  const run: { best: Judged | undefined; counters: Record<string, number> } = {
    best: undefined,
    counters: {},
  };
  try {
    return await solveBlocks(instance, options, switches, new Deadline(options.timeLimitSec), run);
  } catch (error: unknown) {
    if (!(error instanceof TimeLimitReached)) throw error;
    if (run.best === undefined)
      return {
        status: "timeout",
        reason: error.message,
        lowerBoundMs: sumOfTimesBound(instance),
        counters: run.counters,
      };
    return {
      status: "timeout",
      reason: error.message,
      ...milpClaims(instance, run.best, undefined, run.counters, SCOPE),
    };
  }
}

/** milp-blocks, as a Solver. */
export const milpBlocks: Solver = {
  name: "milp-blocks",
  family: "milp",
  problem: "any DAG (Checkmate's stage grid), at op-level sizes",
  guarantee:
    "feasible (the best stage-grid incumbent) with the block relaxation's lower bound over stage-grid schedules; optimal when the answer meets it (proofs/milp-blocks.md)",
  reference:
    "Jain et al., Checkmate, MLSys 2020 (the stage grid); decomposition at cut points as in Rockmate (Zhao et al., ICML 2023); proofs/milp-blocks.md",
  objectives: ["time"],
  emits: { time: "stage-grid" },
  switches: MILP_BLOCKS_SWITCHES,
  reads: [],
  solve: solveMilpBlocks,
};
