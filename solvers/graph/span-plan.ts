/**
 * The spans of the exact decomposition (proofs/graph-mincut.md, "Decomposition at cut points"): every
 * pair of boundaries (the virtual start -1, the cut points, the open end g.size) with no forced
 * (non-recomputable) cut point strictly inside, each with its choices, the free non-cut nodes inside.
 * Tabulating span s costs 2^choices(s) evaluations. There are O(n^2) spans on a chain, so the cost is
 * counted first, stopping as soon as it passes the caller's limit (O(min(spans, limit) + n)), and the
 * spans are listed only when it fits.
 */

import { cutMarks, cutPoints } from "../../src/graph/cut-points.js";
import type { InstanceGraph } from "../../src/instance/graph.js";
import { isChoice } from "./cut-points.js";

/** A span between boundary positions: `start` is -1 or a cut point, `end` a cut point or `g.size` (open). */
export interface Span {
  readonly start: number;
  readonly end: number;
  /** Free non-cut nodes strictly inside, the span's choices. */
  readonly choices: readonly number[];
}

/** What the decomposition needs before it runs: the spans and the evaluations they cost. */
export interface SpanPlan {
  readonly cuts: readonly number[];
  /** 1 at each cut point. */
  readonly isCut: Uint8Array;
  readonly spans: readonly Span[];
  /** Sum over spans of 2^choices: the evaluations `tabulateAll` makes. */
  readonly evaluations: number;
}

/**
 * Walks the spans by start, then end; `visit` sees the choices so far (a shared, growing list) and
 * returns false to stop the walk.
 */
function walkSpans(
  g: InstanceGraph,
  cuts: readonly number[],
  isCut: Uint8Array,
  visit: (start: number, end: number, choices: readonly number[]) => boolean,
): void {
  const ends = [...cuts, g.size];
  for (const start of [-1, ...cuts]) if (!walkFrom(g, ends, isCut, start, visit)) return;
}

/**
 * Walks the spans from `start` by end (see {@link walkSpans}), up to the first forced cut point.
 * @returns false when `visit` stopped the walk
 */
function walkFrom(
  g: InstanceGraph,
  ends: readonly number[],
  isCut: Uint8Array,
  start: number,
  visit: (start: number, end: number, choices: readonly number[]) => boolean,
): boolean {
  const choices: number[] = [];
  let next = start + 1;
  for (const end of ends) {
    if (end <= start) continue;
    for (; next < Math.min(end, g.size); next++) if (isChoice(g, isCut, next)) choices.push(next);
    if (!visit(start, end, choices)) return false;
    // a later end would leave this cut point out of the kept set: impossible if it is forced
    if (end < g.size && g.recomputable[end] === 0) break;
  }
  return true;
}

/** Spans counted between two calls of the progress callback. */
const PROGRESS_EVERY = 1 << 16;

/**
 * The evaluations the exact decomposition would make, or Infinity as soon as they pass `limit`.
 * O(min(spans, limit) + n) time, O(n) memory.
 * @param progress called every 65,536 spans (a time-limit check; it may throw to stop)
 */
export function countSpanEvaluations(g: InstanceGraph, limit: number, progress?: () => void): number {
  const cuts = cutPoints(g);
  let evaluations = 0;
  let spans = 0;
  walkSpans(g, cuts, cutMarks(g, cuts), (_start, _end, choices) => {
    evaluations += 2 ** choices.length;
    if (++spans % PROGRESS_EVERY === 0) progress?.();
    return evaluations <= limit;
  });
  return evaluations <= limit ? evaluations : Number.POSITIVE_INFINITY;
}

/** Lists the spans (call it only when `countSpanEvaluations` fits: there may be O(n^2)). */
export function planSpans(g: InstanceGraph): SpanPlan {
  const cuts = cutPoints(g);
  const isCut = cutMarks(g, cuts);
  const spans: Span[] = [];
  let evaluations = 0;
  walkSpans(g, cuts, isCut, (start, end, choices) => {
    spans.push({ start, end, choices: [...choices] });
    evaluations += 2 ** choices.length;
    return true;
  });
  return { cuts, isCut, spans, evaluations };
}
