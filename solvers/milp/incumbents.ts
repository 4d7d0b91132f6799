/**
 * The MILP's incumbents (its warm start): the schedules of the baselines (recompute-all, chen-sqrt,
 * chen-greedy), chain-dp (on chains) and graph-mincut, each run with its default switches under the
 * caller's budget and what is left of its time limit. Only schedules of the stage grid are kept
 * (membership.ts): those are the ones the MILP's optimum is compared with, and every one of these
 * builders' schedules is one (proofs/milp.md, "What the class holds"). The best one within the budget
 * is the MILP's objective cutoff.
 */
import type { Instance } from "../../src/instance/types.js";
import { parseSwitches } from "../../src/options.js";
import type { Schedule } from "../../src/schedule/types.js";
import type { Solver, SolverOptions } from "../../src/solver.js";
import type { Deadline } from "../../src/time-limit.js";
import { chenGreedy, chenSqrt } from "../baselines/chen.js";
import { recomputeAll } from "../baselines/recompute-all.js";
import { chainDp } from "../chain/index.js";
import { graphMincut } from "../graph/index.js";
import type { StageGrid } from "./grid.js";
import { inStageGrid } from "./membership.js";

/** The solvers whose schedules warm-start the MILP, in the order they run. */
export const INCUMBENT_SOLVERS: readonly Solver[] = [
  recomputeAll,
  chenSqrt,
  chenGreedy,
  chainDp,
  graphMincut,
];

/**
 * The incumbents' stage-grid schedules for `instance` under `options` (their own switches defaulted).
 * A solver that rejects the instance, or answers without a schedule, adds nothing.
 */
export async function gridIncumbents(
  instance: Instance,
  grid: StageGrid,
  options: SolverOptions,
  deadline: Deadline,
): Promise<Schedule[]> {
  const schedules: Schedule[] = [];
  for (const solver of INCUMBENT_SOLVERS) {
    if (solver.rejects?.(instance) !== undefined) continue;
    const remainingSec = (deadline.atMs - performance.now()) / 1000;
    if (!(remainingSec > 0)) break;
    const own: SolverOptions = {
      ...options,
      objective: "time",
      timeLimitSec: remainingSec,
      extra: parseSwitches(solver.switches, {}, solver.name),
    };
    const answer = await solver.solve(instance, own);
    if ("schedule" in answer && answer.schedule !== undefined && inStageGrid(grid, answer.schedule))
      schedules.push(answer.schedule);
  }
  return schedules;
}
