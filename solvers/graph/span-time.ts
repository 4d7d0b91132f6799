/**
 * The time objective on span tables (span-measure.ts, span-gaps.ts): the least makespan, among the kept sets the table
 * covers, whose peak fits the budget. A checkpoint schedule has no transfers, so its makespan is the sum
 * of its spans' compute times, and its peak is max_i base(k_i) + rise_i with base(k_{i+1}) =
 * base(k_i) + carry_i (proofs/graph-mincut.md, "Decomposition at cut points"). A label-setting dynamic
 * program carries, at each kept cut point, the non-dominated (base, time) pairs of the kept sets
 * reaching it within the budget: a pair with no more base and no more time than another serves every
 * continuation at least as well. With a table from `tabulateAll` it returns the fastest checkpoint
 * schedule within the budget over all kept sets (exact for the class); with `measureByGaps`, over the
 * kept sets measured. O(spans * labels * points).
 */
import { InternalError } from "../../src/errors.js";
import type { JudgedKeep } from "./kept-evaluation.js";
import type { Search } from "./search.js";
import type { SpanPoint, SpanTable } from "./span-measure.js";

/** A kept set reaching boundary `at`: its base (relative to fixedBytes), its time so far, its last span. */
interface Label {
  readonly at: number;
  readonly base: number;
  readonly timeMs: number;
  readonly point: SpanPoint | undefined;
  readonly previous: Label | undefined;
}

/** Keeps the labels no other label beats on both base and time; by increasing base. */
function nonDominated(labels: readonly Label[]): Label[] {
  const sorted = [...labels].sort((a, b) => a.base - b.base || a.timeMs - b.timeMs);
  const kept: Label[] = [];
  for (const label of sorted) {
    const last = kept[kept.length - 1];
    if (last === undefined || label.timeMs < last.timeMs) kept.push(label);
  }
  return kept;
}

/** The points no other point beats on rise, carry and time at once (the open span: rise and time). */
function usefulPoints(points: readonly SpanPoint[], open: boolean): SpanPoint[] {
  const sorted = [...points].sort((a, b) => a.rise - b.rise || a.timeMs - b.timeMs || a.carry - b.carry);
  const kept: SpanPoint[] = [];
  for (const point of sorted)
    if (!kept.some((other) => other.timeMs <= point.timeMs && (open || other.carry <= point.carry)))
      kept.push(point);
  return kept;
}

/** `count` labels evenly spread over `labels` (sorted by base), the first and last among them. */
function thin(labels: readonly Label[], count: number): Label[] {
  return Array.from(
    { length: count },
    (_, i) => labels[Math.round((i * (labels.length - 1)) / (count - 1))] as Label,
  );
}

/** The best complete kept set found: its last label, the open-ended span's point, the total time. */
interface Ending {
  readonly label: Label;
  readonly point: SpanPoint;
  readonly timeMs: number;
}

/**
 * The label-setting sweep over the table's spans (ordered by end, so a boundary's labels are final when
 * its first outgoing span comes): the fastest ending within `room` bytes above fixedBytes. A boundary's
 * labels are dropped after its last outgoing span, so memory holds the labels of the boundaries still
 * in reach (and the chains of their predecessors), not of all.
 */
function sweepLabels(search: Search, table: SpanTable, room: number, maxLabels: number): Ending | undefined {
  const { g } = search;
  const points = table.points.map((list, index) => usefulPoints(list, table.spans[index]?.end === g.size));
  const lastFrom = new Map<number, number>();
  table.spans.forEach((span, index) => {
    lastFrom.set(span.start, index);
  });
  const sweep: Sweep = {
    labels: new Map<number, Label[]>([
      [-1, [{ at: -1, base: 0, timeMs: 0, point: undefined, previous: undefined }]],
    ]),
    settled: new Set<number>(),
    best: undefined,
  };
  for (const [index, span] of table.spans.entries()) {
    const from = settledLabels(search, sweep, span.start, maxLabels);
    if (from === undefined) continue;
    const open = span.end === g.size;
    for (const label of from) extendAll(sweep, label, points[index] as SpanPoint[], span.end, open, room);
    if (lastFrom.get(span.start) === index) sweep.labels.delete(span.start);
  }
  return sweep.best;
}

/** The sweep's state: the labels at each boundary in reach, the boundaries settled, the best ending. */
interface Sweep {
  readonly labels: Map<number, Label[]>;
  readonly settled: Set<number>;
  best: Ending | undefined;
}

/**
 * The labels at boundary `start`, reduced (on the first call for it) to the non-dominated ones, thinned
 * to `maxLabels`; undefined when no label reached it.
 * @throws TimeLimitReached when the time limit passes (checked once per boundary)
 */
function settledLabels(search: Search, sweep: Sweep, start: number, maxLabels: number): Label[] | undefined {
  let from = sweep.labels.get(start);
  if (from === undefined || sweep.settled.has(start)) return from;
  search.check("the span program");
  from = nonDominated(from);
  if (from.length > maxLabels) from = thin(from, maxLabels);
  sweep.labels.set(start, from);
  sweep.settled.add(start);
  return from;
}

/**
 * Extends `label` by each of a span's `points` whose rise fits in `room`, to boundary `end`; when the
 * span is `open` (ends at g.size) each gives a complete kept set, which replaces the best ending when
 * faster.
 */
function extendAll(
  sweep: Sweep,
  label: Label,
  points: readonly SpanPoint[],
  end: number,
  open: boolean,
  room: number,
): void {
  for (const point of points) {
    if (label.base + point.rise > room) continue;
    const timeMs = label.timeMs + point.timeMs;
    if (open) {
      if (sweep.best === undefined || timeMs < sweep.best.timeMs) sweep.best = { label, timeMs, point };
      continue;
    }
    const next: Label = { at: end, base: label.base + point.carry, timeMs, point, previous: label };
    const list = sweep.labels.get(end);
    if (list === undefined) sweep.labels.set(end, [next]);
    else list.push(next);
  }
}

/**
 * The fastest kept set of the table whose schedule peaks at most `budgetBytes`, judged.
 * @param maxLabels labels kept per boundary: Infinity keeps every non-dominated one (exact over the
 *   table); otherwise at most this many, spread evenly by base
 * @returns undefined when the table has none
 * @throws TimeLimitReached when the time limit passes (checked at each boundary)
 * @throws InternalError if the evaluator disagrees with the predicted makespan or peak (a bug)
 */
export function fastestSpanKeep(
  search: Search,
  table: SpanTable,
  budgetBytes: number,
  maxLabels: number,
): JudgedKeep | undefined {
  const best = sweepLabels(search, table, budgetBytes - search.instance.fixedBytes, maxLabels);
  if (best === undefined) return undefined;
  const kept = [...best.point.interior];
  for (let label: Label | undefined = best.label; label !== undefined; label = label.previous) {
    if (label.at >= 0) kept.push(label.at);
    if (label.point !== undefined) kept.push(...label.point.interior);
  }
  const judged = search.keep(kept, "the span program");
  const { peakBytes, makespanMs } = judged;
  if (peakBytes > budgetBytes || Math.abs(makespanMs - best.timeMs) > 1e-6 * Math.max(1, makespanMs))
    throw new InternalError(
      `span time search: predicted ${best.timeMs} ms within ${budgetBytes} bytes, evaluated ${makespanMs} ms at ${peakBytes} bytes`,
    );
  return judged;
}
