/**
 * The memory objective on span tables (span-measure.ts, span-gaps.ts): the least peak over the kept
 * sets the tables cover.
 * With every span and interior measured (`spanExact`) that is every kept set, so the answer is exact
 * for any DAG, in time exponential only in the free nodes between consecutive cut points; on a chain
 * every node is a cut point and this is Feng & Huang's linear-graph threshold search (2021, section
 * 3.2) with every cost from the evaluator. `spanSeed` runs the same search
 * on `measureByGaps` tables, a seed for larger graphs.
 *
 * The peak of a kept set is max_i base(k_i) + rise_i with base(k_{i+1}) = base(k_i) + carry_i, so "is
 * there a kept set with peak <= T" is a shortest path over cut points in which the least base
 * dominates, each span offering the Pareto front of its (rise, carry) points; bisection on the
 * integer T gives the optimum (proofs/graph-mincut.md, "Decomposition at cut points").
 * O(spans * front * log(peak)) after tabulation.
 */
import { InternalError } from "../../src/errors.js";
import { cutPoints } from "../../src/graph/cut-points.js";
import type { InstanceGraph } from "../../src/instance/graph.js";
import type { JudgedKeep } from "./kept-evaluation.js";
import type { Search } from "./search.js";
import { type GapLimits, measureByGaps } from "./span-gaps.js";
import { type SpanPoint, type SpanTable, tabulateAll } from "./span-measure.js";
import type { SpanPlan } from "./span-plan.js";

/** Pareto front of (rise, carry): increasing rise, strictly decreasing carry (rise only when open). */
function memoryFront(points: readonly SpanPoint[], open: boolean): SpanPoint[] {
  const sorted = [...points].sort((a, b) => a.rise - b.rise || a.carry - b.carry);
  if (open) return sorted.slice(0, 1);
  const front: SpanPoint[] = [];
  for (const point of sorted) {
    const last = front[front.length - 1];
    if (last === undefined || point.carry < last.carry) front.push(point);
  }
  return front;
}

/** The span (by table index) and front point by which the least base of a boundary was reached. */
interface Link {
  readonly span: number;
  readonly point: SpanPoint;
}

/**
 * Least-base search under threshold T (relative to fixedBytes) over boundaries in increasing order.
 * @returns the kept set, or undefined when no kept set of the table peaks at most T
 */
function keptUnder(g: InstanceGraph, table: SpanTable, fronts: readonly SpanPoint[][], threshold: number) {
  const base = new Map<number, number>([[-1, 0]]);
  const parent = new Map<number, Link>();
  let ending: Link | undefined;
  // the table lists spans by end, so every start is final before it is extended
  for (const [index, span] of table.spans.entries()) {
    const from = base.get(span.start);
    if (from === undefined) continue;
    const chosen = lowestCarryWithin(fronts[index] as SpanPoint[], from, threshold);
    if (chosen === undefined) continue;
    if (span.end === g.size) {
      ending ??= { span: index, point: chosen };
      continue;
    }
    const reached = from + chosen.carry;
    if (reached < (base.get(span.end) ?? Number.POSITIVE_INFINITY)) {
      base.set(span.end, reached);
      parent.set(span.end, { span: index, point: chosen });
    }
  }
  return ending === undefined ? undefined : keptAlong(table, parent, ending);
}

/**
 * The point of a front (by increasing rise, decreasing carry) with the least carry whose peak from
 * base `from` stays at most `threshold`, or undefined when none does.
 */
function lowestCarryWithin(
  front: readonly SpanPoint[],
  from: number,
  threshold: number,
): SpanPoint | undefined {
  let chosen: SpanPoint | undefined;
  for (const point of front) {
    if (from + point.rise > threshold) break;
    chosen = point;
  }
  return chosen;
}

/** The kept set (sorted) of the path of links from `ending` back to the start: interiors and starts. */
function keptAlong(table: SpanTable, parent: ReadonlyMap<number, Link>, ending: Link): number[] {
  const kept: number[] = [];
  for (let link: Link | undefined = ending; link !== undefined; ) {
    const span = table.spans[link.span] as SpanTable["spans"][number];
    kept.push(...link.point.interior);
    if (span.start >= 0) kept.push(span.start);
    link = parent.get(span.start);
  }
  return kept.sort((a, b) => a - b);
}

/**
 * Bisection on the integer threshold between 0 and `reachable` (a peak the table reaches), and the
 * kept set found there, judged.
 * @throws TimeLimitReached when the time limit passes (checked at each bisection step)
 * @throws InternalError if the evaluator disagrees with the decomposition's predicted peak (a bug)
 */
function leastPeak(search: Search, table: SpanTable, reachable: number, phase: string): JudgedKeep {
  const { g, instance } = search;
  const fronts = table.points.map((points, index) => memoryFront(points, table.spans[index]?.end === g.size));
  const offset = instance.fixedBytes; // keptUnder counts from base(-1) = 0
  let low = 0;
  let high = reachable;
  while (low < high) {
    search.check(phase);
    const middle = Math.floor((low + high) / 2);
    if (keptUnder(g, table, fronts, middle - offset) === undefined) low = middle + 1;
    else high = middle;
  }
  const kept = keptUnder(g, table, fronts, high - offset);
  if (kept === undefined) throw new InternalError(`span search: no kept set at ${high} bytes`);
  const best = search.keep(kept, phase);
  if (best.peakBytes !== high)
    throw new InternalError(
      `span search: the decomposition predicts ${high} bytes but the evaluator says ${best.peakBytes}`,
    );
  return best;
}

/** The exact memory-objective answer over every kept set, from the table of every span and interior. */
export interface SpanAnswer {
  readonly best: JudgedKeep;
  readonly evaluations: number;
  readonly table: SpanTable;
}

/**
 * The exact memory-objective answer over every kept set, with the evaluator's verdict.
 * @throws TimeLimitReached when the time limit passes
 */
export function spanExact(search: Search, plan: SpanPlan): SpanAnswer {
  const phase = "the exact decomposition";
  const table = tabulateAll(search, plan);
  const reachable = search.keep([], phase).peakBytes;
  return { best: leastPeak(search, table, reachable, phase), evaluations: table.evaluations + 2, table };
}

/**
 * The least peak over the kept sets `measureByGaps` covers: a seed for graphs too large for
 * `spanExact`, optimal over what it measures, not overall.
 * @throws TimeLimitReached when the time limit passes
 */
export function spanSeed(search: Search, limits: GapLimits): SpanAnswer {
  const table = measureByGaps(search, limits);
  // keeping every cut point uses only spans between neighbours (gap 1), always measured
  const everyCut = search.keep(cutPoints(search.g), limits.phase).peakBytes;
  return {
    best: leastPeak(search, table, everyCut, limits.phase),
    evaluations: table.evaluations + 2,
    table,
  };
}
