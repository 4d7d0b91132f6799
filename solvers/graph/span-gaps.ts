/**
 * Span tables for graphs too large for the exact decomposition (span-plan.ts): spans between cut
 * points with empty interiors, measured a gap at a time, plus every interior of the neighbour spans
 * with few free nodes (proofs/graph-mincut.md, "Large graphs: the span seed"). By the locality lemma
 * one evaluation measures every span of its schedule (span-measure.ts), so for gap d and residue r
 * the schedule keeping the cut points of rank r, r + d, r + 2d, ... measures all those spans at once;
 * and mask m keeps the subset m of every small neighbour span at once.
 * Cost: sum over the gaps reached of d evaluations (at most maxGap (maxGap + 1) / 2), plus the gaps up
 * to fullInteriorGap again with every free node kept, plus 2^maxChoices; O(n + m) each, and O(n maxGap)
 * memory for the measured spans.
 */
import { cutMarks, cutPoints } from "../../src/graph/cut-points.js";
import { isChoice } from "./cut-points.js";
import type { Search } from "./search.js";
import { byEnd, measureAll, type SpanPoint, type SpanTable } from "./span-measure.js";

/** How far `measureByGaps` goes (every limit is counted work: no clock). */
export interface GapLimits {
  /** A start stops growing its spans once `patience` in a row rise above this peak, bytes. */
  readonly upperBound: number;
  readonly patience: number;
  /** Neighbour spans with at most this many free interior nodes get every interior measured. */
  readonly maxChoices: number;
  /** Longest span measured, in cut points spanned (a cap independent of the bound). */
  readonly maxGap: number;
  /** Also measure the spans over at most this many cut points with their whole interior kept. */
  readonly fullInteriorGap: number;
  /**
   * Points already measured (by a call with the same maxChoices): reused, and their neighbour-span
   * interiors not measured again.
   */
  readonly known?: SpanTable;
  /** The phase named when the time limit stops the measuring. */
  readonly phase: string;
}

/**
 * The spans measured so far, keyed by (rank of start, rank of end), without repeated interiors; points
 * are held by reference (a known table's are not copied).
 */
class GapTable {
  readonly cuts: readonly number[];
  readonly isCut: Uint8Array;
  /** Boundaries by rank: -1, the cut points, g.size. */
  readonly bounds: readonly number[];
  /** Rank of each boundary, at node + 1. */
  private readonly rank: Int32Array;
  readonly measured = new Map<number, SpanPoint[]>();
  private readonly seen = new Set<number | string>();
  /** 1 for the starts (by rank) still growing their spans. */
  readonly alive: Uint8Array;
  evaluations = 0;

  constructor(
    readonly search: Search,
    readonly phase: string,
  ) {
    const { g } = search;
    this.cuts = cutPoints(g);
    this.isCut = cutMarks(g, this.cuts);
    this.bounds = [-1, ...this.cuts, g.size];
    this.rank = new Int32Array(g.size + 2);
    this.bounds.forEach((v, rank) => {
      this.rank[v + 1] = rank;
    });
    this.alive = new Uint8Array(this.bounds.length - 1).fill(1);
  }

  key(start: number, end: number): number {
    return (this.rank[start + 1] as number) * this.bounds.length + (this.rank[end + 1] as number);
  }

  add(key: number, point: SpanPoint): void {
    const id = point.interior.length === 0 ? key : `${key}:${point.interior.join()}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    const list = this.measured.get(key);
    if (list === undefined) this.measured.set(key, [point]);
    else list.push(point);
  }

  /**
   * Evaluates the schedule keeping `keep` and records its spans of gap `gap` from live starts only,
   * so that what is measured depends on the bound alone (monotonically), not on which evaluations
   * happened to be skipped.
   */
  record(keep: readonly number[], gap: number): void {
    for (const span of measureAll(this.search, this.isCut, keep, this.phase)) {
      const key = this.key(span.start, span.end);
      const start = Math.floor(key / this.bounds.length);
      if (key % this.bounds.length === start + gap && this.alive[start] === 1) this.add(key, span);
    }
    this.evaluations++;
  }

  table(): SpanTable {
    const size = this.bounds.length;
    const spans = [...this.measured.keys()].map((key) => ({
      start: this.bounds[Math.floor(key / size)] as number,
      end: this.bounds[key % size] as number,
      choices: [],
    }));
    return byEnd(spans, [...this.measured.values()], this.evaluations);
  }
}

/** Measures the spans of gap `gap` from the live starts (one evaluation per residue that needs one). */
function measureGap(table: GapTable, gap: number, free: readonly number[], limits: GapLimits): void {
  const { alive, bounds, measured, cuts } = table;
  for (let residue = 0; residue < gap; residue++) {
    table.search.check(limits.phase);
    let wanted = false;
    let unknown = false;
    for (let rank = residue; rank < alive.length; rank += gap)
      if (alive[rank] === 1) {
        wanted = true;
        unknown ||= !measured.has(rank * bounds.length + rank + gap);
      }
    if (!wanted) continue;
    const kept = cuts.filter((_, index) => (index + 1) % gap === residue);
    if (unknown) table.record(kept, gap);
    // the same spans with every free node inside kept: no recomputation, for large budgets
    if (gap <= limits.fullInteriorGap) table.record([...kept, ...free], gap);
  }
}

/** Stops the starts whose last `patience` spans all rose above the bound. */
function retireStarts(table: GapTable, gap: number, useless: Int32Array, limits: GapLimits): void {
  const { alive, bounds, measured } = table;
  for (let rank = 0; rank < alive.length; rank++) {
    if (alive[rank] === 0) continue;
    const span = measured.get(rank * bounds.length + rank + gap)?.[0];
    if (rank + gap >= bounds.length - 1) alive[rank] = 0; // the open-ended span was the last one
    if (span === undefined) continue;
    const over = table.search.instance.fixedBytes + span.rise > limits.upperBound;
    useless[rank] = over ? (useless[rank] as number) + 1 : 0;
    if ((useless[rank] as number) >= limits.patience) alive[rank] = 0;
  }
}

/** The free nodes of each neighbour span (between consecutive cut points), by rank of its start. */
function neighbourChoices(table: GapTable, free: readonly number[]): number[][] {
  const choices: number[][] = table.bounds.slice(0, -1).map(() => []);
  for (let rank = 0, k = 0; k < free.length; k++) {
    const v = free[k] as number;
    while (v > (table.bounds[rank + 1] as number)) rank++;
    choices[rank]?.push(v);
  }
  return choices;
}

/**
 * Tables for graphs too large for `tabulateAll` (span-measure.ts). A start stops growing its spans
 * once `patience` of them in a row rise above `upperBound` (memory after any forward is at least
 * fixedBytes, so such a span is in no kept set peaking at most the bound; the longer ones skipped are
 * only likely so). A larger bound measures a superset of spans.
 * @throws TimeLimitReached when the time limit passes (checked before each evaluation)
 */
export function measureByGaps(search: Search, limits: GapLimits): SpanTable {
  const { g } = search;
  const table = new GapTable(search, limits.phase);
  limits.known?.spans.forEach((span, index) => {
    for (const point of limits.known?.points[index] ?? []) table.add(table.key(span.start, span.end), point);
  });
  const free: number[] = [];
  for (let v = 0; v < g.size; v++) if (isChoice(g, table.isCut, v)) free.push(v);
  const useless = new Int32Array(table.alive.length);
  for (let gap = 1; gap < table.bounds.length && gap <= limits.maxGap && table.alive.includes(1); gap++) {
    measureGap(table, gap, free, limits);
    retireStarts(table, gap, useless, limits);
  }
  const small = neighbourChoices(table, free).filter((list) => list.length <= limits.maxChoices);
  const widest =
    limits.known === undefined ? small.reduce((most, list) => Math.max(most, list.length), 0) : 0;
  for (let mask = 1; mask < 2 ** widest; mask++) {
    table.alive.fill(1); // every neighbour span is wanted here
    const inside = small.flatMap((list) => list.filter((_, bit) => Math.floor(mask / 2 ** bit) % 2 === 1));
    table.record([...table.cuts, ...inside], 1);
  }
  return table.table();
}
