/**
 * graph-mincut: the min-cut search for arbitrary DAGs, as a remat Solver.
 * - `--objective memory`: least peak over checkpoint schedules (memory-objective.ts); `optimal` when
 *   proven (enumeration, the exact decomposition at cut points, or peak = lower bound), else
 *   `feasible` with `lowerBoundBytes`.
 * - `--objective time` (default): fastest schedule within the budget from the candidate generators of
 *   time-objective.ts (kept sets, chain-dp on the block chain, the span program), never slower than
 *   chen-sqrt or chen-greedy; `optimal` over checkpoint schedules when every kept set was enumerated
 *   or the exact span table exists; `extra.pareto` adds the front.
 * - `extra.method: "partition"`: AOTAutograd-style least saved bytes with recompute bans (partition.ts).
 * Effort is counted work only (options.ts); the time limit turns an unfinished search into `timeout`
 * with the best schedule within the budget judged so far (search.ts).
 * @see ../../proofs/graph-mincut.md
 */
import { InternalError } from "../../src/errors.js";
import { makespanLowerBound, SUM_OF_TIMES, sumOfTimesBound } from "../../src/evaluate/bounds.js";
import { type Instance, STORAGE_MODES } from "../../src/instance/types.js";
import type { Bound, Certificate } from "../../src/optimality.js";
import type { Schedule } from "../../src/schedule/types.js";
import type { FrontPoint, Solver, SolverAnswer, SolverOptions } from "../../src/solver.js";
import { Deadline, TimeLimitReached } from "../../src/time-limit.js";
import { chenSqrtCheckpoints } from "../baselines/chen.js";
import { solveWithStoredForms } from "../storage/pass.js";
import { freeCandidates } from "./exhaustive.js";
import { type Judged, scheduleOf } from "./kept-evaluation.js";
import { MIN_CUT_BOUND, searchMemory } from "./memory-objective.js";
import { GRAPH_SWITCHES, type GraphOptions, graphOptions } from "./options.js";
import { partitionSaved } from "./partition.js";
import { Incumbent, Search } from "./search.js";
import { fastestSpanKeep } from "./span-time.js";
import {
  fastestWithin,
  paretoFront,
  type TimeContext,
  timeCandidates,
  timeSpanTable,
} from "./time-objective.js";

/** The schedule to answer with: the incumbent's when it is this candidate, else rebuilt. */
function scheduleFor(search: Search, judged: Judged): Schedule {
  const held = search.incumbent.best;
  return held?.judged === judged ? held.schedule : scheduleOf(search.instance, judged);
}

/** A memory bound as a Bound over checkpoint schedules. */
function peakBound(bytes: number, exact: boolean): Bound {
  return {
    value: bytes,
    over: "checkpoint",
    method: exact ? "the exact least peak of the class" : MIN_CUT_BOUND,
  };
}

function solveMemory(search: Search, options: SolverOptions, settings: GraphOptions): SolverAnswer {
  const result = searchMemory(search, settings, true);
  const { best } = result;
  const exact = result.certificate !== undefined;
  const counters = { ...result.counters, exact: exact ? 1 : 0 };
  if (result.lowerBoundBytes === undefined)
    throw new InternalError("graph-mincut: the memory search returned no lower bound");
  const lowerBoundBytes = peakBound(
    result.lowerBoundBytes,
    exact && result.certificate?.kind !== "meets-bound",
  );
  if (best.peakBytes > options.budgetBytes) {
    return {
      status: "infeasible",
      ...(exact ? { minFeasibleBudgetBytes: best.peakBytes } : {}),
      lowerBoundBytes,
      reason: `the least peak found is ${best.peakBytes} bytes, above the budget of ${options.budgetBytes}`,
      counters,
    };
  }
  const claims = {
    schedule: scheduleFor(search, best),
    claimedMakespanMs: best.makespanMs,
    claimedPeakBytes: best.peakBytes,
    lowerBoundBytes,
    counters,
  };
  return result.certificate === undefined
    ? { status: "feasible", ...claims }
    : { status: "optimal", ...claims, certificate: result.certificate };
}

/** Partition mode: the AOTAutograd-style saved set, judged; no optimality claim on the peak. */
function solvePartition(search: Search, options: SolverOptions, settings: GraphOptions): SolverAnswer {
  const { saved, savedBytes } = partitionSaved(search, settings.ban);
  const judged = search.keep(saved, "the partition");
  const counters = { savedBytes, saved: saved.length };
  if (judged.peakBytes > options.budgetBytes)
    return {
      status: "infeasible",
      minFeasibleBudgetBytes: judged.peakBytes,
      reason: `the partition's schedule peaks at ${judged.peakBytes} bytes, above the budget of ${options.budgetBytes}`,
      counters,
    };
  return {
    status: "feasible",
    schedule: scheduleFor(search, judged),
    claimedMakespanMs: judged.makespanMs,
    claimedPeakBytes: judged.peakBytes,
    lowerBoundMs: sumOfTimesBound(search.instance),
    counters,
  };
}

/** Budgets at which the span program adds points to the front: evenly spaced over the pool's peaks. */
const FRONT_BUDGETS = 24;

/** The (peak, makespan) front of the pool and of the span program at FRONT_BUDGETS budgets. */
function frontOf(context: TimeContext, pool: readonly Judged[]): FrontPoint[] {
  const { search, settings } = context;
  const { table, exact } = timeSpanTable(context);
  const labels = exact ? Number.POSITIVE_INFINITY : settings.spanLabels;
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const judged of pool) {
    low = Math.min(low, judged.peakBytes);
    high = Math.max(high, judged.peakBytes);
  }
  const spanPoints = Array.from({ length: FRONT_BUDGETS }, (_, i) =>
    fastestSpanKeep(search, table, Math.floor(low + ((high - low) * i) / (FRONT_BUDGETS - 1)), labels),
  ).flatMap((judged) => judged ?? []);
  return paretoFront([...pool, ...spanPoints]).map((judged) => {
    search.check("the front");
    return {
      schedule: scheduleOf(search.instance, judged),
      peakBytes: judged.peakBytes,
      makespanMs: judged.makespanMs,
    };
  });
}

/**
 * Why the time answer is optimal, if it is: it meets the sum-of-times bound (over all schedules), or
 * no kept set within the budget is faster, because the pool holds every kept set (enumeration) or the
 * span program ran on the exact table (the decomposition).
 */
function timeCertificate(context: TimeContext, best: Judged): Certificate | undefined {
  const { search, memory, enumerated } = context;
  const bound = makespanLowerBound(search.instance);
  if (best.makespanMs <= bound)
    return { kind: "meets-bound", over: "all", objective: "time", bound: SUM_OF_TIMES, value: bound };
  if (enumerated && memory.certificate?.kind === "enumeration") return memory.certificate;
  if (memory.spanTable !== undefined)
    return {
      kind: "decomposition",
      over: "checkpoint",
      parts: memory.spanTable.spans.length,
      method: "label-setting span program on the exact span table (proofs/graph-mincut.md, Time objective)",
    };
  return undefined;
}

async function solveTime(
  search: Search,
  options: SolverOptions,
  settings: GraphOptions,
): Promise<SolverAnswer> {
  const memory = searchMemory(search, settings, false);
  const candidates = freeCandidates(search.g);
  const enumerated = candidates.length <= settings.exhaustiveLimit;
  const context: TimeContext = { search, settings, options, memory, candidates, enumerated };
  const { pool, counts } = await timeCandidates(context);
  const counters = { ...memory.counters, ...counts, pool: pool.length, evaluations: search.evaluations };
  const front = settings.pareto ? { front: frontOf(context, pool) } : {};
  const best = fastestWithin(pool, options.budgetBytes);
  if (best === undefined) {
    const least = pool.reduce((low, judged) => Math.min(low, judged.peakBytes), Number.POSITIVE_INFINITY);
    return {
      status: "infeasible",
      minFeasibleBudgetBytes: least,
      reason: `no candidate schedule peaks within ${options.budgetBytes} bytes`,
      counters,
      ...front,
    };
  }
  const claims = {
    schedule: scheduleFor(search, best),
    claimedMakespanMs: best.makespanMs,
    claimedPeakBytes: best.peakBytes,
    lowerBoundMs: sumOfTimesBound(search.instance),
    counters,
    ...front,
  };
  const certificate = timeCertificate(context, best);
  return certificate === undefined
    ? { status: "feasible", ...claims }
    : { status: "optimal", ...claims, certificate };
}

/** The answer when the time limit stopped the search: the incumbent and the bounds proven so far. */
function timeoutAnswer(search: Search, options: SolverOptions, stop: TimeLimitReached): SolverAnswer {
  const held = search.incumbent.best;
  const bound = search.incumbent.lowerBoundBytes;
  return {
    status: "timeout",
    reason: `${stop.message}${held === undefined ? ", before any schedule within the budget was found" : ""}`,
    ...(held === undefined
      ? {}
      : {
          schedule: held.schedule,
          claimedMakespanMs: held.judged.makespanMs,
          claimedPeakBytes: held.judged.peakBytes,
        }),
    ...(options.objective === "memory"
      ? bound === undefined
        ? {}
        : { lowerBoundBytes: peakBound(bound, false) }
      : { lowerBoundMs: sumOfTimesBound(search.instance) }),
    counters: { evaluations: search.evaluations },
  };
}

/**
 * Judges three cheap kept sets (keep nothing, keep every free node, Chen's sqrt set) before the search,
 * so that a time limit passing early still finds an incumbent; they are candidates again later where
 * the methods use them, so the answer of a finished solve does not depend on them.
 */
function firstAnswers(search: Search): void {
  const phase = "the first answers";
  search.keep([], phase);
  search.keep(freeCandidates(search.g), phase);
  search.keep(chenSqrtCheckpoints(search.instance), phase);
}

/**
 * graph-mincut's solve.
 * @param deadline the time limit (default: `options.timeLimitSec` from now; tests pass their own)
 */
export async function solveGraph(
  instance: Instance,
  options: SolverOptions,
  deadline: Deadline = new Deadline(options.timeLimitSec),
): Promise<SolverAnswer> {
  const settings = graphOptions(options);
  const search = new Search(instance, deadline, new Incumbent(options.objective, options.budgetBytes));
  try {
    if (settings.method === "partition") return solvePartition(search, options, settings);
    firstAnswers(search);
    return options.objective === "memory"
      ? solveMemory(search, options, settings)
      : await solveTime(search, options, settings);
  } catch (error: unknown) {
    if (error instanceof TimeLimitReached) return timeoutAnswer(search, options, error);
    throw error;
  }
}

export const graphMincut: Solver = {
  name: "graph-mincut",
  family: "graph",
  problem: "any DAG (checkpoint schedules: each segment between kept activations recomputed once)",
  guarantee:
    "memory: optimal when the decomposition at cut points fits (chains, VGG/MLP-like graphs, block chains) or the graph is small, else feasible with a min-cut lower bound (NP-hard on series-parallel graphs); time: optimal over checkpoint schedules where the decomposition fits or the graph is small, else feasible; never slower than chen-sqrt/chen-greedy; with --storage MODES, also holds kept activations in stored forms where they pay (solvers/storage/pass.ts; feasible, never worse than without)",
  reference:
    "Feng & Huang 2021 (threshold search); Kusumoto et al. 2019 (lower sets); min-cut as in PyTorch AOTAutograd",
  objectives: ["time", "memory"],
  emits: { memory: "checkpoint" },
  switches: GRAPH_SWITCHES,
  reads: ["slots"],
  storage: STORAGE_MODES,
  solve: (instance, options) =>
    (options.storage ?? []).length === 0
      ? solveGraph(instance, options)
      : solveWithStoredForms(instance, options, (budgetBytes, timeLimitSec) =>
          solveGraph(instance, { ...options, budgetBytes, timeLimitSec, storage: [] }),
        ),
};
