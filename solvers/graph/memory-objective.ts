/**
 * The memory objective (Feng & Huang 2021's problem on remat's cost model): the least evaluated peak
 * over all kept sets K of the checkpoint schedule (every segment between kept activations recomputed
 * once; src/schedule/builders.ts `keepSchedule`). Three methods, chosen by counted work alone:
 * - at most `exhaustiveLimit` free candidates: enumerate every K (exact);
 * - when the spans between cut points cost at most `spanWork` node-evaluations: the decomposition at
 *   cut points of span-memory.ts (exact; polynomial on chains, VGG-like graphs and chains with label
 *   inputs);
 * - otherwise: nested minimum lower sets (lower-sets.ts), Feng & Huang's threshold search on their
 *   blocks (segment-search.ts), Chen et al. 2016's articulation-point set, the AOTAutograd-style
 *   partitions (partition.ts, with and without bans), the two extremes and the span seed
 *   (span-memory.ts: the decomposition over cut-point kept sets) as seeds, every seed judged by the
 *   evaluator, then toggle local search from the best; reported with the lower bound of
 *   memory-bound.ts, so the gap is known.
 * @see ../../proofs/graph-mincut.md
 */
import { InternalError } from "../../src/errors.js";
import type { Certificate } from "../../src/optimality.js";
import { chenSqrtCheckpoints } from "../baselines/chen.js";
import { enumerateKeeps, freeCandidates } from "./exhaustive.js";
import { type JudgedKeep, lessMemory } from "./kept-evaluation.js";
import { toggleSearch } from "./local-search.js";
import { lowerSetSweep, nodeCapacities } from "./lower-sets.js";
import { memoryLowerBound } from "./memory-bound.js";
import type { GraphOptions } from "./options.js";
import { partitionSaved } from "./partition.js";
import type { Search } from "./search.js";
import { thresholdCandidates } from "./segment-search.js";
import type { SpanTable } from "./span-measure.js";
import { spanExact, spanSeed } from "./span-memory.js";
import { countSpanEvaluations, planSpans } from "./span-plan.js";

/** Spans from one start that may rise above the best seed's peak before the span seed stops extending it. */
const SPAN_PATIENCE = 2;

/** The name of the lower bound, as certificates and bounds cite it. */
export const MIN_CUT_BOUND = "min-cut separators at each backward step (proofs/graph-mincut.md, Lower bound)";

/** The memory search's answer and every kept set it judged (seeds for the time objective). */
export interface MemorySearchResult {
  readonly best: JudgedKeep;
  /** Present when `best` is proven optimal over all kept sets: how. */
  readonly certificate?: Certificate;
  /** Every span of the graph measured with every interior, when the exact decomposition ran. */
  readonly spanTable?: SpanTable;
  /** The spans the span seed measured, when it ran. */
  readonly seedTable?: SpanTable;
  /** Lower bound on the peak of any kept set's schedule, bytes (when it was asked for or is exact). */
  readonly lowerBoundBytes?: number;
  /** Every judged seed (not the local-search trials). */
  readonly seeds: readonly JudgedKeep[];
  readonly counters: Readonly<Record<string, number>>;
}

/**
 * Runs the memory search.
 * @param withBound prove the lower bound (the memory objective reports it; the time objective does not)
 * @throws TimeLimitReached when the time limit passes (the incumbent holds the best so far)
 * @throws InternalError if a proven bound exceeds a found peak (a bug)
 */
export function searchMemory(search: Search, settings: GraphOptions, withBound: boolean): MemorySearchResult {
  const { g } = search;
  const candidates = freeCandidates(g);
  if (candidates.length <= settings.exhaustiveLimit) return byEnumeration(search);
  const limit = settings.spanWork / g.size;
  const evaluations = countSpanEvaluations(g, limit, () => search.check("planning the decomposition"));
  if (evaluations * g.size <= settings.spanWork) return byDecomposition(search);
  return bySearch(search, settings, candidates, withBound);
}

function byEnumeration(search: Search): MemorySearchResult {
  let best: JudgedKeep | undefined;
  const seeds: JudgedKeep[] = [];
  const count = enumerateKeeps(search, (judged) => {
    seeds.push(judged);
    if (best === undefined || lessMemory(judged, best)) best = judged;
  });
  const certificate: Certificate = { kind: "enumeration", over: "checkpoint", count, of: "kept sets" };
  return exactAnswer(best as JudgedKeep, seeds, certificate, { evaluations: count, exhaustive: 1 });
}

function byDecomposition(search: Search): MemorySearchResult {
  const exact = spanExact(search, planSpans(search.g));
  const certificate: Certificate = {
    kind: "decomposition",
    over: "checkpoint",
    parts: exact.table.spans.length,
    method: "decomposition at cut points (proofs/graph-mincut.md)",
  };
  return {
    ...exactAnswer(exact.best, [exact.best], certificate, { evaluations: exact.evaluations, spanExact: 1 }),
    spanTable: exact.table,
  };
}

/**
 * The seeds, in a fixed order: Feng & Huang's threshold sets on the lower-set blocks, Chen's set, the
 * partitions with and without bans, keep-nothing and keep-everything. The two extremes are judged
 * first (cheap answers should the time limit come early); the order of the list is what ties follow.
 */
function judgedSeeds(search: Search, settings: GraphOptions, candidates: readonly number[]) {
  const { g, instance } = search;
  const phase = "the memory seeds";
  const nothing = search.keep([], phase);
  const everything = search.keep(candidates, phase);
  const stride = Math.max(1, Math.ceil(g.size / settings.maxLowerSets));
  const sets = lowerSetSweep(g, nodeCapacities(g, settings.lambda), stride, () => search.check(phase));
  const keptSets = [
    ...thresholdCandidates(g, sets, settings.thresholds, () => search.check(phase)),
    chenSqrtCheckpoints(instance),
    partitionSaved(search, settings.ban).saved,
    partitionSaved(search, []).saved,
  ];
  const seeds = [...keptSets.map((kept) => search.keep(kept, phase)), nothing, everything];
  return { seeds, lowerSets: sets.length };
}

function bySearch(
  search: Search,
  settings: GraphOptions,
  candidates: readonly number[],
  withBound: boolean,
): MemorySearchResult {
  const { seeds, lowerSets } = judgedSeeds(search, settings, candidates);
  const leastOf = (list: readonly JudgedKeep[]) => list.reduce((best, j) => (lessMemory(j, best) ? j : best));
  const spanned = spanSeed(search, {
    upperBound: leastOf(seeds).peakBytes,
    patience: SPAN_PATIENCE,
    maxChoices: settings.spanChoices,
    maxGap: settings.spanGap,
    fullInteriorGap: 0,
    phase: "the span seed",
  });
  seeds.push(spanned.best);
  const bound = withBound ? memoryLowerBound(search, settings.boundCuts) : undefined;
  const local = toggleSearch(search, leastOf(seeds), candidates, lessMemory, settings.localEvaluations);
  const peak = local.best.peakBytes;
  if (bound !== undefined && bound.bytes > peak)
    throw new InternalError(`searchMemory: lower bound ${bound.bytes} exceeds the peak ${peak} found`);
  const certificate: Certificate | undefined =
    bound?.bytes === peak
      ? { kind: "meets-bound", over: "checkpoint", objective: "memory", bound: MIN_CUT_BOUND, value: peak }
      : undefined;
  return {
    seedTable: spanned.table,
    best: local.best,
    ...(certificate === undefined ? {} : { certificate }),
    ...(bound === undefined ? {} : { lowerBoundBytes: bound.bytes }),
    seeds: [...seeds, local.best],
    counters: {
      lowerSets,
      seeds: seeds.length,
      spanSeedEvaluations: spanned.evaluations,
      evaluations: search.evaluations,
      boundCuts: bound?.cuts ?? 0,
    },
  };
}

function exactAnswer(
  best: JudgedKeep,
  seeds: readonly JudgedKeep[],
  certificate: Certificate,
  counters: Record<string, number>,
): MemorySearchResult {
  return { best, certificate, lowerBoundBytes: best.peakBytes, seeds, counters };
}
