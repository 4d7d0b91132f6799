/**
 * The time objective under a memory budget: the fastest candidate within the budget, from a declared
 * list of candidate generators run in a fixed order (`TIME_CANDIDATES`), each judged by the evaluator.
 * Every generator but the span program yields candidates that do not depend on the budget, and the
 * span program's answer only improves as the budget grows, so the answer is monotone in the budget;
 * Chen et al. 2016's kept sets are candidates, so it is never slower than chen-sqrt or chen-greedy.
 * The non-dominated candidates form the `--pareto` front.
 * @see ../../proofs/graph-mincut.md, "Time objective"
 */
import type { SolverOptions } from "../../src/solver.js";
import { chenGreedyCheckpoints, chenGreedyGrid, chenSqrtCheckpoints } from "../baselines/chen.js";
import { blockChainApplies, blockChainSchedules } from "./coarse-chain.js";
import { type Judged, type JudgedKeep, lessTime } from "./kept-evaluation.js";
import { lowerSetSweep, nodeCapacities } from "./lower-sets.js";
import type { MemorySearchResult } from "./memory-objective.js";
import type { GraphOptions } from "./options.js";
import type { Search } from "./search.js";
import { measureByGaps } from "./span-gaps.js";
import type { SpanTable } from "./span-measure.js";
import { fastestSpanKeep } from "./span-time.js";

/** What a candidate generator reads. */
export interface TimeContext {
  readonly search: Search;
  readonly settings: GraphOptions;
  readonly options: SolverOptions;
  readonly memory: MemorySearchResult;
  /** The free candidates (recomputable non-sources). */
  readonly candidates: readonly number[];
  /** Whether the memory search enumerated every kept set (its seeds are all of them). */
  readonly enumerated: boolean;
}

/** One named source of candidates for the time objective. */
export interface CandidateGenerator {
  readonly name: string;
  readonly doc: string;
  readonly run: (context: TimeContext) => Promise<readonly Judged[]>;
}

/**
 * Grows `start` by prefixes of length 1, 2, 4, ... of `order` (nodes not yet kept), judging each.
 */
function fillPath(search: Search, start: JudgedKeep, order: readonly number[]): JudgedKeep[] {
  const kept = new Set(start.kept);
  const additions = order.filter((v) => !kept.has(v));
  const path: JudgedKeep[] = [];
  const phase = "the fill paths";
  for (let length = 1; length <= additions.length; length *= 2)
    path.push(search.keep([...start.kept, ...additions.slice(0, length)], phase));
  if (additions.length > 0) path.push(search.keep([...start.kept, ...additions], phase));
  return path;
}

/** Seeds grown by fill paths: spread over the seeds' peaks, so the paths start from every memory level. */
const FILLED_SEEDS = 8;

/** Fill paths from up to FILLED_SEEDS seeds, evenly spread by peak (the least-peak seed among them). */
async function fillPaths({ search, memory, candidates, enumerated }: TimeContext): Promise<Judged[]> {
  if (enumerated) return []; // the seeds already are every kept set
  const { g } = search;
  const score = (v: number) => (g.fwd[v] as number) / Math.max(1, g.bytes[v] as number);
  const order = [...candidates].sort((a, b) => score(b) - score(a) || a - b);
  const byPeak = [...memory.seeds].sort((a, b) => a.peakBytes - b.peakBytes);
  const step = Math.max(1, Math.ceil(byPeak.length / FILLED_SEEDS));
  const paths: Judged[] = [];
  for (let i = 0; i < byPeak.length; i += step)
    paths.push(...fillPath(search, byPeak[i] as JudgedKeep, order));
  return paths;
}

/** chen-sqrt's kept set and chen-greedy's kept sets over its whole grid (budget-independent). */
async function chenCandidates({ search }: TimeContext): Promise<Judged[]> {
  const { instance } = search;
  const sets = [
    chenSqrtCheckpoints(instance),
    ...chenGreedyGrid(instance).map((b) => chenGreedyCheckpoints(instance, b)),
  ];
  const seen = new Set<string>();
  const judged: Judged[] = [];
  for (const kept of sets) {
    const key = kept.join(",");
    if (seen.has(key)) continue;
    seen.add(key);
    judged.push(search.keep(kept, "the Chen candidates"));
  }
  return judged;
}

/** Coarse budgets for chain-dp on the block chain, as fractions of the coarse store-all peak. */
const BLOCK_BUDGETS = Array.from({ length: 20 }, (_, i) => (i + 1) / 20);

/** chain-dp's schedules on the block chain (coarse-chain.ts), expanded to the DAG and judged. */
async function blockChain({ search, settings, options }: TimeContext): Promise<Judged[]> {
  const { g } = search;
  if (settings.blockStages === 0 || !blockChainApplies(g)) return [];
  const stride = Math.max(1, Math.ceil(g.size / settings.blockStages));
  const sets = lowerSetSweep(g, nodeCapacities(g, settings.lambda), stride, () =>
    search.check("the block chain"),
  );
  const schedules = await blockChainSchedules(search, sets, BLOCK_BUDGETS, options.slots);
  return schedules.map((schedule) => search.schedule(schedule, "the block chain"));
}

/** Spans over at most this many cut points are also measured with their whole interior kept. */
const FULL_INTERIOR_GAP = 10;
/** Spans measured a gap at a time stop growing above this many in a row over the bound. */
const SPAN_PATIENCE = 2;

/** The measured span table of each solve (the span program and the front share it). */
const measuredTables = new WeakMap<TimeContext, SpanTable>();

/**
 * The span table the span program runs on: the exact one when the memory search built it, else spans
 * measured up to the larger of the budget and the memory answer's peak (a bound that grows with the
 * budget, so a larger budget measures a superset and the answer stays monotone).
 */
export function timeSpanTable(context: TimeContext): { table: SpanTable; exact: boolean } {
  const { search, settings, memory, options } = context;
  if (memory.spanTable !== undefined) return { table: memory.spanTable, exact: true };
  const cached = measuredTables.get(context);
  if (cached !== undefined) return { table: cached, exact: false };
  const table = measureByGaps(search, {
    upperBound: Math.max(options.budgetBytes, memory.best.peakBytes),
    patience: SPAN_PATIENCE,
    maxChoices: settings.spanChoices,
    maxGap: settings.spanGap,
    fullInteriorGap: FULL_INTERIOR_GAP,
    ...(memory.seedTable === undefined ? {} : { known: memory.seedTable }),
    phase: "the span table",
  });
  measuredTables.set(context, table);
  return { table, exact: false };
}

/** The span program's fastest kept set within the budget (span-time.ts). */
async function spanProgram(context: TimeContext): Promise<Judged[]> {
  const { table, exact } = timeSpanTable(context);
  const labels = exact ? Number.POSITIVE_INFINITY : context.settings.spanLabels;
  const judged = fastestSpanKeep(context.search, table, context.options.budgetBytes, labels);
  return judged === undefined ? [] : [judged];
}

/** The candidate generators of the time objective, in the order they run. */
export const TIME_CANDIDATES: readonly CandidateGenerator[] = [
  {
    name: "memorySeeds",
    doc: "every kept set the memory search judged (memory-objective.ts) and its answer",
    run: async ({ memory }) => memory.seeds,
  },
  {
    name: "fillPaths",
    doc: "up to 8 seeds spread by peak, grown by the nodes of most forward time per byte in prefixes of 1, 2, 4, ...",
    run: fillPaths,
  },
  {
    name: "keepEverything",
    doc: "every free node kept: no recomputation",
    run: async ({ search, candidates }) => [search.keep(candidates, "keep-everything")],
  },
  {
    name: "chen",
    doc: "chen-sqrt's kept set and chen-greedy's over its segment-budget grid (Chen et al. 2016)",
    run: chenCandidates,
  },
  {
    name: "blockChain",
    doc: "chain-dp (Beaumont et al. 2019) on the chain of blocks between nested minimum lower sets, at 20 coarse budgets, expanded to the DAG (coarse-chain.ts)",
    run: blockChain,
  },
  {
    name: "spanProgram",
    doc: "the fastest kept set within the budget by the label-setting program over span tables (span-time.ts); exact over kept sets on the exact table",
    run: spanProgram,
  },
];

/** Runs every generator in order; the pool and how many candidates each gave. */
export async function timeCandidates(
  context: TimeContext,
): Promise<{ pool: Judged[]; counts: Record<string, number> }> {
  const pool: Judged[] = [];
  const counts: Record<string, number> = {};
  for (const generator of TIME_CANDIDATES) {
    const found = await generator.run(context);
    counts[`candidates.${generator.name}`] = found.length;
    pool.push(...found);
  }
  return { pool, counts };
}

/** The fastest member within `budgetBytes` (ties: lower peak, then the earlier), or undefined. */
export function fastestWithin(pool: readonly Judged[], budgetBytes: number): Judged | undefined {
  let best: Judged | undefined;
  for (const judged of pool)
    if (judged.peakBytes <= budgetBytes && (best === undefined || lessTime(judged, best))) best = judged;
  return best;
}

/** The non-dominated members, by increasing peak (strictly decreasing makespan). */
export function paretoFront(pool: readonly Judged[]): Judged[] {
  const sorted = [...pool].sort((a, b) => a.peakBytes - b.peakBytes || a.makespanMs - b.makespanMs);
  const front: Judged[] = [];
  for (const judged of sorted) {
    const last = front[front.length - 1];
    if (last === undefined || judged.makespanMs < last.makespanMs) front.push(judged);
  }
  return front;
}
