/**
 * The memory objective (Feng & Huang 2021's problem on remat's cost model): the least evaluated peak
 * over all kept sets K of the checkpoint schedule (every segment between kept activations recomputed
 * once; solvers/baselines/checkpoints.ts). Three methods, chosen by the instance:
 * - at most `exhaustiveLimit` free candidates: enumerate every K (exact);
 * - when the spans between cut points are small enough (`spanWork`): the decomposition at cut points
 *   of span-memory.ts (exact; polynomial on chains, VGG-like graphs and chains with label inputs);
 * - otherwise: nested minimum lower sets (lower-sets.ts), Feng & Huang's threshold search on their
 *   blocks (segment-search.ts), Chen's articulation-point set, the AOTAutograd-style partitions
 *   (partition.ts, with and without bans), the two extremes and the span seed (span-memory.ts: the
 *   decomposition over cut-point kept sets) as seeds, every seed judged by the evaluator, then toggle
 *   local search from the best; reported with the lower bound of memory-bound.ts, so the gap is known.
 * @see ../../proofs/graph-mincut.md
 */
import { InternalError } from "../../src/errors.js";
import { graphOf } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";
import type { Certificate } from "../../src/solver.js";
import { chenSqrtCheckpoints } from "../baselines/chen.js";
import { enumerateKeeps, freeCandidates } from "./exhaustive.js";
import { type JudgedKeep, judgeKeep, lessMemory } from "./kept-evaluation.js";
import { toggleSearch } from "./local-search.js";
import { lowerSetSweep, nodeCapacities } from "./lower-sets.js";
import { memoryLowerBound } from "./memory-bound.js";
import { partitionSaved } from "./partition.js";
import { thresholdCandidates } from "./segment-search.js";
import { spanExact, spanSeed } from "./span-memory.js";
import { planSpans, type SpanTable } from "./spans.js";

/** Spans from one start that may rise above the best seed's peak before the span seed stops extending it. */
const SPAN_PATIENCE = 2;

/** Tuning of the memory search; every field has a default in `graphOptions`. */
export interface MemorySearchOptions {
  /** Enumerate every kept set when there are at most this many free candidates. */
  readonly exhaustiveLimit: number;
  /** Run the exact decomposition at cut points when its evaluations times the node count is at most this. */
  readonly spanWork: number;
  /** Most lower sets in the sweep (the stride grows with the graph to stay under it). */
  readonly maxLowerSets: number;
  /** Thresholds tried by the Feng & Huang search. */
  readonly thresholds: number;
  /** Bytes per ms of forward time added to each node's cut capacity (the `lambda` trade-off). */
  readonly lambda: number;
  /** The span seed also tries every interior of neighbour spans with at most this many free nodes. */
  readonly spanChoices: number;
  /** The span seed measures spans over at most this many cut points. */
  readonly spanGap: number;
  /** Most evaluations for the local search. */
  readonly localEvaluations: number;
  /** Most max-flows for the lower bound. */
  readonly boundCuts: number;
  /** `performance.now()` after which the local search stops. */
  readonly deadline: number;
  /** `performance.now()` after which the exact decomposition gives up (most of the time limit). */
  readonly exactDeadline: number;
  /** Op names the partition seed never recomputes. */
  readonly ban: readonly string[];
}

/** The memory search's answer and every kept set it judged (seeds for the time objective). */
export interface MemorySearchResult {
  readonly best: JudgedKeep;
  /** Present when `best` is proven optimal over all kept sets: how. */
  readonly certificate?: Certificate;
  /** Every span of the graph measured with every interior, when the exact decomposition ran. */
  readonly spanTable?: SpanTable;
  /** The spans the span seed measured, when it ran. */
  readonly seedTable?: SpanTable;
  /** Lower bound on the peak of any kept set's schedule, bytes. */
  readonly lowerBoundBytes: number;
  /** Every judged seed (not the local-search trials). */
  readonly seeds: readonly JudgedKeep[];
  readonly counters: Readonly<Record<string, number>>;
}

/**
 * Runs the memory search.
 * @throws InternalError if a proven bound exceeds a found peak (a bug)
 */
export function searchMemory(instance: Instance, options: MemorySearchOptions): MemorySearchResult {
  const g = graphOf(instance);
  const candidates = freeCandidates(g);
  if (candidates.length <= options.exhaustiveLimit) {
    let best: JudgedKeep | undefined;
    const seeds: JudgedKeep[] = [];
    const evaluations = enumerateKeeps(instance, g, (judged) => {
      seeds.push(judged);
      if (best === undefined || lessMemory(judged, best)) best = judged;
    });
    const found = best as JudgedKeep;
    const certificate: Certificate = {
      kind: "enumeration",
      over: "checkpoint",
      count: evaluations,
      of: "kept sets",
    };
    return exactAnswer(found, seeds, certificate, { evaluations, exhaustive: 1 });
  }
  const plan = planSpans(g);
  let spanTimedOut = 0;
  if (plan.evaluations * g.size <= options.spanWork) {
    const exact = spanExact(instance, g, plan, options.exactDeadline);
    if (exact !== undefined) {
      const certificate: Certificate = {
        kind: "decomposition",
        over: "checkpoint",
        parts: exact.table.spans.length,
        method: "decomposition at cut points (proofs/graph-mincut.md)",
      };
      return {
        ...exactAnswer(exact.best, [exact.best], certificate, {
          evaluations: exact.evaluations,
          spanExact: 1,
        }),
        spanTable: exact.table,
      };
    }
    spanTimedOut = 1;
  }

  const stride = Math.max(1, Math.ceil(g.size / options.maxLowerSets));
  const sets = lowerSetSweep(g, nodeCapacities(g, options.lambda), stride);
  const keptSets = [
    ...thresholdCandidates(g, sets, options.thresholds),
    chenSqrtCheckpoints(instance),
    partitionSaved(instance, g, options.ban).saved,
    partitionSaved(instance, g, []).saved,
    [],
    candidates,
  ];
  const seeds = keptSets.map((kept) => judgeKeep(instance, kept));
  const firstBest = seeds.reduce((best, judged) => (lessMemory(judged, best) ? judged : best));
  const spanned = spanSeed(instance, g, {
    upperBound: firstBest.evaluation.peakBytes,
    patience: SPAN_PATIENCE,
    maxChoices: options.spanChoices,
    maxGap: options.spanGap,
    fullInteriorGap: 0,
    deadline: options.deadline,
  });
  if (spanned !== undefined) seeds.push(spanned.best);
  const start = seeds.reduce((best, judged) => (lessMemory(judged, best) ? judged : best));
  const local = toggleSearch(instance, start, candidates, lessMemory, {
    evaluations: options.localEvaluations,
    deadline: options.deadline,
  });
  const bound = memoryLowerBound(instance, g, options.boundCuts);
  if (bound.bytes > local.best.evaluation.peakBytes)
    throw new InternalError(
      `searchMemory: lower bound ${bound.bytes} exceeds the peak ${local.best.evaluation.peakBytes} found`,
    );
  return {
    ...(spanned === undefined ? {} : { seedTable: spanned.table }),
    best: local.best,
    ...(bound.bytes === local.best.evaluation.peakBytes
      ? {
          certificate: {
            kind: "meets-bound",
            over: "checkpoint",
            objective: "memory",
            bound: "min-cut separators at each backward step (proofs/graph-mincut.md, Lower bound)",
            value: bound.bytes,
          } satisfies Certificate,
        }
      : {}),
    lowerBoundBytes: bound.bytes,
    seeds: [...seeds, local.best],
    counters: {
      lowerSets: sets.length,
      seeds: seeds.length,
      spanSeedEvaluations: spanned?.evaluations ?? 0,
      evaluations: seeds.length + (spanned?.evaluations ?? 0) + local.evaluations,
      boundCuts: bound.cuts,
      spanTimedOut,
    },
  };
}

function exactAnswer(
  best: JudgedKeep,
  seeds: readonly JudgedKeep[],
  certificate: Certificate,
  counters: Record<string, number>,
): MemorySearchResult {
  return { best, certificate, lowerBoundBytes: best.evaluation.peakBytes, seeds, counters };
}
