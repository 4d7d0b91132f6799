/**
 * graph-mincut: the min-cut search for arbitrary DAGs, as a remat Solver.
 * - `--objective memory`: least peak over checkpoint schedules (memory-objective.ts); `optimal` when
 *   proven (enumeration, the exact decomposition at cut points, or peak = lower bound), else
 *   `feasible` with `lowerBoundBytes`.
 * - `--objective time` (default): fastest schedule within the budget from a budget-free pool
 *   (time-objective.ts, plus chain-dp on the block chain, coarse-chain.ts) and the span dynamic
 *   program (span-time.ts; fastest of all checkpoint schedules when the exact span table exists),
 *   never slower than chen-sqrt or chen-greedy; `extra.pareto` adds the front.
 * - `extra.method: "partition"`: AOTAutograd-style least saved bytes with recompute bans (partition.ts).
 * @see ../../proofs/graph-mincut.md
 */
import { makespanLowerBound, SUM_OF_TIMES, sumOfTimesBound } from "../../src/evaluate/bounds.js";
import { graphOf } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";
import type { Bound, Certificate, Solver, SolverAnswer, SolverOptions } from "../../src/solver.js";
import { chenGreedy, chenSqrt } from "../baselines/chen.js";
import { blockChainApplies, blockChainSchedules } from "./coarse-chain.js";
import { freeCandidates } from "./exhaustive.js";
import { type Judged, type JudgedKeep, judgeKeep, judgeSchedule } from "./kept-evaluation.js";
import { lowerSetSweep, nodeCapacities } from "./lower-sets.js";
import { type MemorySearchResult, searchMemory } from "./memory-objective.js";
import { GRAPH_SWITCHES, type GraphOptions, graphOptions } from "./options.js";
import { partitionSaved } from "./partition.js";
import { fastestSpanKeep } from "./span-time.js";
import { measureByGaps, type SpanTable } from "./spans.js";
import { fastestWithin, paretoFront, timePool } from "./time-objective.js";

/** The memory search's bound as a Bound over checkpoint schedules. */
function peakBound(result: MemorySearchResult): Bound {
  return {
    value: result.lowerBoundBytes,
    over: "checkpoint",
    method:
      result.certificate === undefined
        ? "min-cut separators at each backward step (proofs/graph-mincut.md, Lower bound)"
        : "the exact least peak of the class",
  };
}

function solveMemory(instance: Instance, options: SolverOptions, settings: GraphOptions): SolverAnswer {
  const result = searchMemory(instance, settings);
  const { best } = result;
  const counters = { ...result.counters, exact: result.certificate === undefined ? 0 : 1 };
  if (best.evaluation.peakBytes > options.budgetBytes) {
    return {
      status: "infeasible",
      ...(result.certificate === undefined ? {} : { minFeasibleBudgetBytes: best.evaluation.peakBytes }),
      lowerBoundBytes: peakBound(result),
      reason: `the least peak found is ${best.evaluation.peakBytes} bytes, above the budget of ${options.budgetBytes}`,
      counters,
    };
  }
  const claims = {
    schedule: best.schedule,
    claimedMakespanMs: best.evaluation.makespanMs,
    claimedPeakBytes: best.evaluation.peakBytes,
    lowerBoundBytes: peakBound(result),
    counters,
  };
  return result.certificate === undefined
    ? { status: "feasible", ...claims }
    : { status: "optimal", ...claims, certificate: result.certificate };
}

/** Chen's answers at this budget, as further candidates (chen-greedy depends on the budget). */
async function chenAnswers(instance: Instance, options: SolverOptions): Promise<Judged[]> {
  const answers = [await chenSqrt.solve(instance, options), await chenGreedy.solve(instance, options)];
  return answers.flatMap((answer) =>
    answer.schedule === undefined ? [] : [judgeSchedule(instance, answer.schedule)],
  );
}

/** Coarse budgets for chain-dp on the block chain, as fractions of the coarse store-all peak. */
const BLOCK_BUDGETS = Array.from({ length: 20 }, (_, i) => (i + 1) / 20);

/** Fine schedules from chain-dp on the block chain (coarse-chain.ts), judged; none when it does not apply. */
async function blockChainPool(
  instance: Instance,
  settings: GraphOptions,
  options: SolverOptions,
): Promise<{ judged: Judged[]; failures: number }> {
  const g = graphOf(instance);
  if (settings.blockStages === 0 || !blockChainApplies(g)) return { judged: [], failures: 0 };
  const stride = Math.max(1, Math.ceil(g.size / settings.blockStages));
  const sets = lowerSetSweep(g, nodeCapacities(g, settings.lambda), stride);
  const { schedules, failures } = await blockChainSchedules(
    instance,
    g,
    sets,
    BLOCK_BUDGETS,
    options.slots,
    options.timeLimitSec,
  );
  return { judged: schedules.map((schedule) => judgeSchedule(instance, schedule)), failures };
}

/** Partition mode: the AOTAutograd-style saved set, judged; no optimality claim on the peak. */
function solvePartition(instance: Instance, options: SolverOptions, settings: GraphOptions): SolverAnswer {
  const { saved, savedBytes } = partitionSaved(instance, graphOf(instance), settings.ban);
  const judged = judgeKeep(instance, saved);
  const counters = { savedBytes, saved: saved.length };
  if (judged.evaluation.peakBytes > options.budgetBytes)
    return {
      status: "infeasible",
      minFeasibleBudgetBytes: judged.evaluation.peakBytes,
      reason: `the partition's schedule peaks at ${judged.evaluation.peakBytes} bytes, above the budget of ${options.budgetBytes}`,
      counters,
    };
  return {
    status: "feasible",
    schedule: judged.schedule,
    claimedMakespanMs: judged.evaluation.makespanMs,
    claimedPeakBytes: judged.evaluation.peakBytes,
    lowerBoundMs: sumOfTimesBound(instance),
    counters,
  };
}

/** Spans over at most this many cut points are also measured with their whole interior kept. */
const FULL_INTERIOR_GAP = 10;
/** Spans measured a gap at a time stop growing above this many in a row over the bound. */
const SPAN_PATIENCE = 2;

/**
 * The fastest kept set within the budget by the span dynamic program (span-time.ts): on the exact table
 * when the memory search built one (then optimal over all kept sets), else on spans measured up to the
 * larger of the budget and the memory answer's peak (a bound that grows with the budget, so a larger
 * budget measures a superset and the answer stays monotone).
 */
function spanAnswer(
  instance: Instance,
  settings: GraphOptions,
  memory: MemorySearchResult,
  budgetBytes: number,
): { judged: JudgedKeep | undefined; counters: Record<string, number>; table?: SpanTable; exact?: boolean } {
  const g = graphOf(instance);
  if (memory.spanTable !== undefined)
    return {
      judged: fastestSpanKeep(instance, g, memory.spanTable, budgetBytes, true),
      counters: { spanTimeExact: 1 },
      table: memory.spanTable,
      exact: true,
    };
  const table = measureByGaps(instance, g, {
    upperBound: Math.max(budgetBytes, memory.best.evaluation.peakBytes),
    patience: SPAN_PATIENCE,
    maxChoices: settings.spanChoices,
    maxGap: settings.spanGap,
    fullInteriorGap: FULL_INTERIOR_GAP,
    ...(memory.seedTable === undefined ? {} : { known: memory.seedTable }),
    deadline: settings.deadline,
  });
  if (table === undefined) return { judged: undefined, counters: { spanTimedOut: 1 } };
  return {
    judged: fastestSpanKeep(instance, g, table, budgetBytes, false),
    counters: { spanTimeEvaluations: table.evaluations },
    table,
    exact: false,
  };
}

/** Budgets at which the span program adds points to the front: evenly spaced over the pool's peaks. */
const FRONT_BUDGETS = 24;

/** The span program's answers across the pool's range of peaks (for `extra.pareto`). */
function spanFront(
  instance: Instance,
  pool: readonly Judged[],
  table: SpanTable,
  exact: boolean,
): JudgedKeep[] {
  const g = graphOf(instance);
  const peaks = pool.map((judged) => judged.evaluation.peakBytes);
  const low = Math.min(...peaks);
  const high = Math.max(...peaks);
  const budgets = Array.from({ length: FRONT_BUDGETS }, (_, i) =>
    Math.floor(low + ((high - low) * i) / (FRONT_BUDGETS - 1)),
  );
  return budgets.flatMap((budget) => fastestSpanKeep(instance, g, table, budget, exact) ?? []);
}

async function solveTime(
  instance: Instance,
  options: SolverOptions,
  settings: GraphOptions,
): Promise<SolverAnswer> {
  const g = graphOf(instance);
  const memory = searchMemory(instance, settings);
  const candidates = freeCandidates(g);
  const exhaustive = candidates.length <= settings.exhaustiveLimit;
  const pool: Judged[] = [
    ...timePool(instance, g, memory.seeds, candidates, !exhaustive),
    judgeKeep(instance, candidates),
    ...(await chenAnswers(instance, options)),
  ];
  const blockChain = await blockChainPool(instance, settings, options);
  pool.push(...blockChain.judged);
  const spanned = spanAnswer(instance, settings, memory, options.budgetBytes);
  const counters = {
    ...memory.counters,
    pool: pool.length,
    blockChainSchedules: blockChain.judged.length,
    blockChainErrors: blockChain.failures,
    ...spanned.counters,
  };
  const front = settings.pareto
    ? {
        front: paretoFront([
          ...pool,
          ...(spanned.table === undefined
            ? []
            : spanFront(instance, pool, spanned.table, spanned.exact === true)),
        ]).map(({ schedule, evaluation }) => ({
          schedule,
          peakBytes: evaluation.peakBytes,
          makespanMs: evaluation.makespanMs,
        })),
      }
    : {};
  const best = fastestWithin(
    spanned.judged === undefined ? pool : [...pool, spanned.judged],
    options.budgetBytes,
  );
  if (best === undefined) {
    return {
      status: "infeasible",
      minFeasibleBudgetBytes: Math.min(...pool.map((judged) => judged.evaluation.peakBytes)),
      reason: `no checkpoint schedule found peaks within ${options.budgetBytes} bytes`,
      counters,
      ...front,
    };
  }
  const lowerBoundMs = makespanLowerBound(instance);
  const claims = {
    schedule: best.schedule,
    claimedMakespanMs: best.evaluation.makespanMs,
    claimedPeakBytes: best.evaluation.peakBytes,
    lowerBoundMs: sumOfTimesBound(instance),
    counters,
    ...front,
  };
  if (best.evaluation.makespanMs > lowerBoundMs) return { status: "feasible", ...claims };
  const certificate: Certificate = {
    kind: "meets-bound",
    over: "all",
    objective: "time",
    bound: SUM_OF_TIMES,
    value: lowerBoundMs,
  };
  return { status: "optimal", ...claims, certificate };
}

export const graphMincut: Solver = {
  name: "graph-mincut",
  family: "graph",
  problem: "any DAG (checkpoint schedules: each segment between kept activations recomputed once)",
  guarantee:
    "memory: optimal when the decomposition at cut points fits (chains, VGG/MLP-like graphs, block chains) or the graph is small, else feasible with a min-cut lower bound (NP-hard on series-parallel graphs); time: feasible, never slower than chen-sqrt/chen-greedy",
  reference:
    "Feng & Huang 2021 (threshold search); Kusumoto et al. 2019 (lower sets); min-cut as in PyTorch AOTAutograd",
  objectives: ["time", "memory"],
  emits: { memory: "checkpoint" },
  switches: GRAPH_SWITCHES,
  reads: ["slots"],
  solve: (instance, options) => {
    const settings = graphOptions(options, performance.now());
    if (settings.method === "partition") return solvePartition(instance, options, settings);
    return options.objective === "memory"
      ? solveMemory(instance, options, settings)
      : solveTime(instance, options, settings);
  },
};
