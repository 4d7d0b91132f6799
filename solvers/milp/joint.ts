/**
 * milp-offload: recomputation and offloading chosen together on any DAG (issue 13 item 3; POET / OffMate
 * style transfer variables on Checkmate's stage grid). The stage grid's model (model.ts) with `P[t,i]`
 * (prefetch `a:i` at stage `t`'s start) in its residency, read and memory rows, and time rows
 * (joint-time.ts) that bound the evaluator's clock from below: offloads right after each first forward
 * in node order on one channel, prefetches in stage order on the other, frees waiting for offloads and
 * reads for prefetches. Memory is exact for the rebuilt schedules' points and times a relaxation, so the
 * backend's proven bound is a bound over the `grid-offload` class and `optimal` is claimed only when
 * the evaluated makespan meets it (proofs/milp.md, "The joint model"). Without a link, or with nothing
 * offloadable, it is milp. O(n^2) binaries; exponential in the worst case.
 */
import { InternalError } from "../../src/errors.js";
import { makespanLowerBound, sumOfTimesBound } from "../../src/evaluate/bounds.js";
import { graphOf } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";
import type { LpResult } from "../../src/lp/backend.js";
import { loadLpBackend } from "../../src/lp/load.js";
import { PROVING_LP_BACKENDS } from "../../src/lp/names.js";
import { parseSwitches } from "../../src/options.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";
import type { Solver, SolverAnswer, SolverOptions } from "../../src/solver.js";
import { Deadline, TimeLimitReached } from "../../src/time-limit.js";
import { judgeFixedSchedule } from "../baselines/judge.js";
import { type MilpScope, milpClaims, milpOptimal } from "./claims.js";
import { type StageGrid, stageGrid } from "./grid.js";
import { gridIncumbents } from "./incumbents.js";
import { decodeJointPlan } from "./joint-decode.js";
import { faster, type Judged, judgeWithin } from "./judged.js";
import { MILP_SWITCHES, meetsBound, solveMilp } from "./milp.js";
import { buildGridModel, fixedTimeMs, gridBinaries } from "./model.js";
import { rebuildSchedule } from "./rebuild.js";
import { milpStart } from "./start.js";

/** Words for the joint MILP's bound, with its proof. */
export const JOINT_BOUND =
  "the joint recompute + offload MILP on the stage grid (its proven bound), proofs/milp.md";

/** Per node: 1 when `a:i` may be offloaded and prefetched (offloadable, positive size, a link). */
export function prefetchableNodes(instance: Instance): Uint8Array {
  const g = graphOf(instance);
  const link = (instance.hardware?.bandwidth ?? 0) > 0;
  return Uint8Array.from({ length: g.size }, (_, v) =>
    link && g.offloadable[v] === 1 && (g.bytes[v] as number) > 0 ? 1 : 0,
  );
}

/** Per node: one transfer of `a:i`, ms (the evaluator's `latency + bytes / bandwidth`). */
function transferTimes(instance: Instance): Float64Array {
  const g = graphOf(instance);
  const bandwidth = instance.hardware?.bandwidth ?? 0;
  const latency = instance.hardware?.latency ?? 0;
  return Float64Array.from(g.bytes, (bytes) => (bandwidth > 0 ? latency + bytes / bandwidth : 0));
}

/** The `P` binaries the joint model adds to the grid's (grid.ts `mayRetain` cells of prefetchable nodes). */
export function prefetchBinaries(grid: StageGrid, prefetchable: Uint8Array): number {
  let count = 0;
  for (let t = 1; t < grid.stages; t++) {
    const top = Math.min(grid.top[t] as number, grid.top[t - 1] as number, t - 1);
    for (let i = 0; i <= top; i++) if (prefetchable[i] === 1 && !(t < grid.n && i === t)) count++;
  }
  return count;
}

/** No class schedule runs longer than every forward cell, backward and possible transfer (proofs/milp.md). */
function trivialHorizon(grid: StageGrid, transferMs: Float64Array, prefetchable: Uint8Array): number {
  let total = fixedTimeMs(grid);
  for (let t = 0; t < grid.stages; t++)
    for (let i = 0; i <= (grid.top[t] as number); i++) {
      total += grid.g.fwd[i] as number;
      if (prefetchable[i] === 1) total += 2 * (transferMs[i] as number);
    }
  return total;
}

/**
 * The model's unit of time: the sum of times plus one transfer of each activation, ms (at least 1e-9):
 * it scales with the instance's times (proofs/milp.md, "The joint model").
 */
function timeUnit(instance: Instance, transferMs: Float64Array): number {
  let total = makespanLowerBound(instance);
  for (const ms of transferMs) total += ms;
  return Math.max(total, 1e-9);
}

/** The backend's objective and bound in ms (the model's are in units of `unitMs`). */
function inMs(result: LpResult, unitMs: number): LpResult {
  return {
    ...result,
    ...(result.objective === undefined ? {} : { objective: result.objective * unitMs }),
    ...(result.bound === undefined ? {} : { bound: result.bound * unitMs }),
  };
}

/** What the solve tracks while it runs. */
interface Run {
  readonly instance: Instance;
  readonly options: SolverOptions;
  readonly grid: StageGrid;
  best: Judged | undefined;
  readonly counters: Record<string, number>;
}

/** milp-offload's class and bound method. */
const SCOPE: MilpScope = { over: "grid-offload", method: JOINT_BOUND };

/** The claims of `best` with its bound. */
function claims(run: Run, best: Judged, bound: number | undefined) {
  return milpClaims(run.instance, best, bound, run.counters, SCOPE);
}

/** `optimal` over grid-offload: `best` meets `bound`, proved by `backend` (claims.ts). */
function optimalAnswer(run: Run, best: Judged, bound: number, backend: string): SolverAnswer {
  return milpOptimal(run.instance, best, bound, backend, run.counters, SCOPE);
}

/** The answer once the backend returned. */
function answerFrom(run: Run, result: LpResult, cutoff: boolean): SolverAnswer {
  Object.assign(run.counters, { lpNodes: result.nodes ?? 0, lpWallMs: result.wallMs });
  if (result.status === "unbounded") throw new InternalError("milp-offload: the MILP is unbounded (a bug)");
  const best = run.best;
  const proving = PROVING_LP_BACKENDS.has(result.backend);
  if (best === undefined) {
    if (result.status === "timeout")
      return {
        status: "timeout",
        reason: `the time limit stopped ${result.backend} before it found a grid-offload schedule within the budget`,
        lowerBoundMs: sumOfTimesBound(run.instance),
        counters: run.counters,
      };
    return {
      status: "infeasible",
      reason: `${result.backend} ${result.status === "infeasible" && proving ? "proved that no" : "found no"} grid-offload schedule peaks within the budget of ${run.options.budgetBytes} bytes`,
      counters: run.counters,
    };
  }
  if (result.status === "infeasible" && cutoff && proving)
    return optimalAnswer(run, best, best.makespanMs, result.backend);
  const bound =
    proving && result.bound !== undefined && Number.isFinite(result.bound) ? result.bound : undefined;
  if (bound !== undefined && meetsBound(best.makespanMs, bound))
    return optimalAnswer(run, best, bound, result.backend);
  if (result.status === "timeout")
    return {
      status: "timeout",
      reason: `the time limit stopped ${result.backend} before it proved optimality`,
      ...claims(run, best, bound),
    };
  return { status: "feasible", ...claims(run, best, bound) };
}

/** The incumbents, the joint model, the backend. */
async function solveJoint(run: Run, prefetchable: Uint8Array, deadline: Deadline): Promise<SolverAnswer> {
  const { instance, options, grid } = run;
  const switches = parseSwitches(MILP_SWITCHES, options.extra, "milp-offload");
  if (switches.warmStart)
    for (const schedule of await gridIncumbents(instance, grid, options, deadline))
      run.best = faster(run.best, judgeWithin(instance, schedule, options.budgetBytes));
  if (run.best !== undefined && run.best.makespanMs <= makespanLowerBound(instance))
    return judgeFixedSchedule(instance, run.best.schedule, options);
  run.counters.binaries = gridBinaries(grid) + prefetchBinaries(grid, prefetchable);
  if (run.counters.binaries > switches.maxBinaries) {
    run.counters.modelSkipped = 1;
    if (run.best === undefined)
      return {
        status: "infeasible",
        reason: `no incumbent fits the budget and the model (${run.counters.binaries} binaries) exceeds maxBinaries`,
        counters: run.counters,
      };
    return { status: "feasible", ...claims(run, run.best, undefined) };
  }
  return solveModel(run, prefetchable, deadline, switches.lp);
}

/** Builds the joint model, solves it, and keeps its rebuilt schedule when it is the best. */
async function solveModel(
  run: Run,
  prefetchable: Uint8Array,
  deadline: Deadline,
  lp: "highs" | "glpk" | "jslp",
): Promise<SolverAnswer> {
  const { instance, options, grid } = run;
  const transferMs = transferTimes(instance);
  const cutoffMs = run.best?.makespanMs;
  const unitMs = timeUnit(instance, transferMs);
  const built = buildGridModel(grid, {
    budgetBytes: options.budgetBytes,
    fixedBytes: instance.fixedBytes,
    deadline,
    prefetchable,
    time: {
      unitMs,
      transferMs,
      horizonMs: cutoffMs ?? trivialHorizon(grid, transferMs, prefetchable),
      ...(cutoffMs === undefined ? {} : { cutoffMs }),
    },
  });
  Object.assign(run.counters, {
    variables: built.model.variables.length,
    constraints: built.model.constraints.length,
  });
  const remainingSec = (deadline.atMs - performance.now()) / 1000;
  if (!(remainingSec > 0)) throw new TimeLimitReached("building the joint MILP", options.timeLimitSec);
  const backend = await loadLpBackend(lp);
  const start = run.best === undefined ? undefined : milpStart(grid, built.columns, run.best.schedule);
  const result = await backend.solve(built.model, {
    timeLimitSec: remainingSec,
    ...(start === undefined ? {} : { start }),
  });
  if (result.values !== undefined) {
    const plan = decodeJointPlan(grid, built.columns, result.values);
    const judged =
      plan === undefined
        ? undefined
        : judgeWithin(instance, rebuildSchedule(grid, plan), options.budgetBytes);
    if (judged === undefined) run.counters.rebuildFailures = (run.counters.rebuildFailures ?? 0) + 1;
    run.best = faster(run.best, judged);
  }
  return answerFrom(run, inMs(result, unitMs), cutoffMs !== undefined);
}

/**
 * milp-offload's solve: store-all when it fits; milp when nothing can be offloaded (no link, or no
 * offloadable activation of positive size); else the joint MILP warm-started from milp's incumbents.
 */
export async function solveJointMilp(instance: Instance, options: SolverOptions): Promise<SolverAnswer> {
  const prefetchable = prefetchableNodes(instance);
  if (!prefetchable.includes(1)) return solveMilp(instance, options);
  parseSwitches(MILP_SWITCHES, options.extra, "milp-offload");
  const storeAll = judgeFixedSchedule(instance, storeAllSchedule(instance), options);
  if (storeAll.status !== "infeasible") return storeAll;
  const run: Run = { instance, options, grid: stageGrid(instance), best: undefined, counters: {} };
  try {
    return await solveJoint(run, prefetchable, new Deadline(options.timeLimitSec));
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

/** milp-offload, as a Solver. */
export const milpOffload: Solver = {
  name: "milp-offload",
  family: "milp",
  problem:
    "any DAG with a host link (the stage grid with offloads after first forwards and prefetches at stage starts)",
  guarantee:
    "optimal over grid-offload schedules when the evaluated makespan meets the backend's proven bound (proofs/milp.md, the joint model); else feasible or timeout with that bound; milp without a link",
  reference:
    "Jain et al., Checkmate, MLSys 2020; Patil et al., POET, ICML 2022; proofs/milp.md (the joint model)",
  objectives: ["time"],
  emits: { time: "grid-offload" },
  switches: MILP_SWITCHES,
  reads: [],
  solve: solveJointMilp,
};
