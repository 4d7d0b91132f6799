/**
 * Measuring spans between cut points (proofs/graph-mincut.md, "Decomposition at cut points"), the
 * tables the exact and seeded searches of span-memory.ts and span-time.ts work on.
 *
 * A cut point is a non-source node c such that no non-source before c is read after c, and no source
 * is read both up to c and after it (`cutPoints`). For a kept set whose kept cut points are
 * k_1 < ... < k_m, every instruction of its schedule belongs to one span (k_i, k_{i+1}] (the virtual
 * k_0 = -1 before everything, the last span open-ended), and memory during it equals
 * base(k_i) + r(k_i, k_{i+1}, J_i, instruction), where J_i is the part of K strictly inside the span
 * and base(k) the memory after the forward of k; base(k_{i+1}) - base(k_i) = carry(k_i, k_{i+1}, J_i),
 * and the compute time of the span's instructions depends on the same three things. So one evaluated
 * schedule measures all its spans at once, and a span's numbers can be reused in any kept set.
 */
import { InternalError } from "../../src/errors.js";
import type { StepProfile } from "../../src/evaluate/evaluate.js";
import type { InstanceGraph } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";
import { judgeKeep } from "./kept-evaluation.js";

/**
 * Cut points in increasing order: non-sources c such that every edge u -> w from a non-source with
 * u < c has w <= c, and every source's readers lie all at or before c or all after it. O(n + m).
 */
export function cutPoints(g: InstanceGraph): number[] {
  const blocked = new Int32Array(g.size + 1); // difference array of positions a source blocks
  let reach = -1; // the furthest reader of a non-source seen so far
  const cuts: number[] = [];
  for (let u = 0; u < g.size; u++) {
    const readers = g.consumers[u] as readonly number[];
    if (g.isSource[u] === 1 && readers.length > 0) {
      const first = Math.min(...readers);
      const last = Math.max(...readers);
      blocked[first] = (blocked[first] as number) + 1; // positions first .. last - 1 are blocked
      blocked[last] = (blocked[last] as number) - 1;
    }
  }
  let blocking = 0;
  for (let c = 0; c < g.size; c++) {
    blocking += blocked[c] as number;
    if (g.isSource[c] === 0 && reach <= c && blocking === 0) cuts.push(c);
    if (g.isSource[c] === 0) for (const w of g.consumers[c] as readonly number[]) reach = Math.max(reach, w);
  }
  return cuts;
}

/** One interior choice of a span, measured. */
export interface SpanPoint {
  /** Most memory during the span's instructions minus base(start), bytes. */
  readonly rise: number;
  /** base(end) - base(start), bytes; NaN for the open-ended last span. */
  readonly carry: number;
  /** Compute time of the span's instructions, ms. */
  readonly timeMs: number;
  /** The kept free nodes strictly inside the span. */
  readonly interior: readonly number[];
}

/** A span's measurement in one evaluated schedule. */
export interface Measured extends SpanPoint {
  readonly start: number;
  readonly end: number;
}

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
  /** Sum over spans of 2^choices: the evaluations `tabulateAll` makes (Infinity if it overflows). */
  readonly evaluations: number;
}

/** Lists the spans: pairs of boundaries with no forced (non-recomputable) cut point strictly inside. */
export function planSpans(g: InstanceGraph): SpanPlan {
  const cuts = cutPoints(g);
  const isCut = new Uint8Array(g.size);
  for (const c of cuts) isCut[c] = 1;
  const starts = [-1, ...cuts];
  const ends = [...cuts, g.size];
  const spans: Span[] = [];
  let evaluations = 0;
  for (const start of starts) {
    const choices: number[] = [];
    let next = start + 1;
    for (const end of ends) {
      if (end <= start) continue;
      for (; next < Math.min(end, g.size); next++) if (isChoice(g, isCut, next)) choices.push(next);
      spans.push({ start, end, choices: [...choices] });
      evaluations += 2 ** choices.length;
      // a later end would leave this cut point out of the kept set: impossible if it is forced
      if (end < g.size && g.recomputable[end] === 0) break;
    }
  }
  return { cuts, isCut, spans, evaluations };
}

/** Measured spans: for each, every interior point measured (not reduced to a front). */
export interface SpanTable {
  /** By end, then start: every span ending at a boundary comes before any span starting there. */
  readonly spans: readonly Span[];
  readonly points: readonly (readonly SpanPoint[])[];
  /** Schedules evaluated to fill the table. */
  readonly evaluations: number;
}

/**
 * Measures every span of the plan with every interior (exact tables).
 * @returns undefined if `deadline` (`performance.now()`) passed first
 */
export function tabulateAll(
  instance: Instance,
  g: InstanceGraph,
  plan: SpanPlan,
  deadline: number,
): SpanTable | undefined {
  const points: SpanPoint[][] = [];
  let evaluations = 0;
  for (const span of plan.spans) {
    if (performance.now() > deadline) return undefined;
    const list: SpanPoint[] = [];
    const count = 2 ** span.choices.length;
    for (let mask = 0; mask < count; mask++) {
      const interior = span.choices.filter((_, bit) => Math.floor(mask / 2 ** bit) % 2 === 1);
      list.push(measure(instance, g, plan.isCut, span, interior));
      evaluations++;
    }
    points.push(list);
  }
  return byEnd(plan.spans, points, evaluations);
}

/** The table with its spans (and their points) ordered by end, then start. */
function byEnd(
  spans: readonly Span[],
  points: readonly (readonly SpanPoint[])[],
  evaluations: number,
): SpanTable {
  const order = spans.map((_, index) => index);
  order.sort((a, b) => {
    const x = spans[a] as Span;
    const y = spans[b] as Span;
    return x.end - y.end || x.start - y.start;
  });
  return {
    spans: order.map((index) => spans[index] as Span),
    points: order.map((index) => points[index] as readonly SpanPoint[]),
    evaluations,
  };
}

/** Whether node v may be kept or not inside a span: a free node that is not a cut point. */
function isChoice(g: InstanceGraph, isCut: Uint8Array, v: number): boolean {
  return isCut[v] === 0 && g.isSource[v] === 0 && g.recomputable[v] === 1;
}

/** How far `measureByGaps` goes. */
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
  /** `performance.now()` after which measuring gives up. */
  readonly deadline: number;
}

/**
 * Tables for graphs too large for `tabulateAll`: spans between cut points with empty interiors,
 * measured a gap at a time (for gap d and residue r, one evaluation keeping the cut points of rank
 * r, r + d, r + 2d, ... measures all those spans at once), plus every interior of the neighbour spans
 * with at most `maxChoices` free nodes (mask m keeps the subset m in all of them at once). A start
 * stops growing its spans once `patience` of them in a row rise above `upperBound` (memory after any
 * forward is at least fixedBytes, so such a span is in no kept set peaking at most the bound; the
 * longer ones skipped are only likely so). A larger bound measures a superset of spans.
 * Cost: sum over the gaps reached of d evaluations, plus 2^maxChoices.
 * @returns undefined if the deadline passed first
 */
export function measureByGaps(
  instance: Instance,
  g: InstanceGraph,
  limits: GapLimits,
): SpanTable | undefined {
  const cuts = cutPoints(g);
  const isCut = new Uint8Array(g.size);
  for (const c of cuts) isCut[c] = 1;
  const bounds = [-1, ...cuts, g.size]; // rank i; ranks 1..cuts.length may be kept
  const rankOf = new Map(bounds.map((v, rank) => [v, rank] as const));
  const keyOf = (span: Measured) =>
    (rankOf.get(span.start) as number) * bounds.length + (rankOf.get(span.end) as number);
  const measured = new Map<number, Measured[]>();
  const seen = new Set<string>();
  const add = (key: number, span: Measured) => {
    const id = `${key}:${span.interior.join()}`;
    if (seen.has(id)) return;
    seen.add(id);
    const list = measured.get(key);
    if (list === undefined) measured.set(key, [span]);
    else list.push(span);
  };
  limits.known?.spans.forEach((span, index) => {
    const key = (rankOf.get(span.start) as number) * bounds.length + (rankOf.get(span.end) as number);
    for (const point of limits.known?.points[index] ?? [])
      add(key, { ...point, start: span.start, end: span.end });
  });
  // only the spans of the current gap from live starts are kept, so what is measured depends on the
  // bound alone (monotonically), not on which evaluations happened to be skipped
  const record = (keep: readonly number[], gap: number) => {
    for (const span of measureAll(instance, g, isCut, keep)) {
      const key = keyOf(span);
      const start = Math.floor(key / bounds.length);
      if (key % bounds.length === start + gap && alive[start] === 1) add(key, span);
    }
  };
  const free: number[] = [];
  for (let v = 0; v < g.size; v++) if (isChoice(g, isCut, v)) free.push(v);
  const useless = new Int32Array(bounds.length - 1);
  const alive = new Uint8Array(bounds.length - 1).fill(1);
  let evaluations = 0;
  for (let gap = 1; gap < bounds.length && gap <= limits.maxGap && alive.includes(1); gap++) {
    for (let residue = 0; residue < gap; residue++) {
      if (performance.now() > limits.deadline) return undefined;
      let wanted = false;
      let unknown = false;
      for (let rank = residue; rank < alive.length; rank += gap)
        if (alive[rank] === 1) {
          wanted = true;
          unknown ||= !measured.has(rank * bounds.length + rank + gap);
        }
      if (!wanted) continue;
      const kept = cuts.filter((_, index) => (index + 1) % gap === residue);
      if (unknown) {
        record(kept, gap);
        evaluations++;
      }
      if (gap <= limits.fullInteriorGap) {
        // the same spans with every free node inside kept: no recomputation, for large budgets
        record([...kept, ...free], gap);
        evaluations++;
      }
    }
    for (let rank = 0; rank < alive.length; rank++) {
      if (alive[rank] === 0) continue;
      const span = measured.get(rank * bounds.length + rank + gap)?.[0];
      if (rank + gap >= bounds.length - 1) alive[rank] = 0; // the open-ended span was the last one
      if (span === undefined) continue;
      useless[rank] = instance.fixedBytes + span.rise > limits.upperBound ? (useless[rank] as number) + 1 : 0;
      if ((useless[rank] as number) >= limits.patience) alive[rank] = 0;
    }
  }
  const choices: number[][] = bounds.slice(0, -1).map(() => []); // the free nodes of each neighbour span
  for (let rank = 0, k = 0; k < free.length; k++) {
    const v = free[k] as number;
    while (v > (bounds[rank + 1] as number)) rank++;
    choices[rank]?.push(v);
  }
  const small = choices.filter((list) => list.length <= limits.maxChoices);
  const widest = limits.known === undefined ? Math.max(0, ...small.map((list) => list.length)) : 0;
  for (let mask = 1; mask < 2 ** widest; mask++) {
    if (performance.now() > limits.deadline) return undefined;
    alive.fill(1); // every neighbour span is wanted here
    record(
      [...cuts, ...small.flatMap((list) => list.filter((_, bit) => Math.floor(mask / 2 ** bit) % 2 === 1))],
      1,
    );
    evaluations++;
  }
  const lists = [...measured.values()];
  const spans = lists.map((list) => {
    const { start, end } = list[0] as Measured;
    return { start, end, choices: [] };
  });
  return byEnd(spans, lists, evaluations);
}

/**
 * Evaluates the schedule keeping `keep` and measures every span between consecutive kept boundaries
 * (kept or forced cut points, with -1 before them and `g.size` after): a span's instructions are the
 * forward-phase `F v` with start < v <= end and each backward step `B v` with start < v <= end together
 * with the recomputations just before it; a free belongs to the instruction it follows. By the
 * decomposition each span's numbers depend only on its ends and its kept interior, so one evaluation
 * measures them all.
 */
function measureAll(
  instance: Instance,
  g: InstanceGraph,
  isCut: Uint8Array,
  keep: readonly number[],
): Measured[] {
  const { schedule, evaluation } = judgeKeep(instance, keep, { profile: true });
  const { duringBytes, computeMs } = evaluation.profile as StepProfile;
  const { timeline } = evaluation;
  const kept = new Uint8Array(g.size);
  for (const v of keep) kept[v] = 1;
  const bounds = [-1];
  const spanOf = new Int32Array(g.size); // index of the span (bounds[k], bounds[k + 1]] holding each node
  for (let v = 0; v < g.size; v++) {
    spanOf[v] = bounds.length - 1;
    if (isCut[v] === 1 && (kept[v] === 1 || g.recomputable[v] === 0)) bounds.push(v);
  }
  bounds.push(g.size);
  const stepOf = new Int32Array(schedule.length); // the node whose step each instruction belongs to
  let forwardPhaseEnd = schedule.length; // first instruction of the backward pass
  let forwards = 0;
  for (let i = 0; i < schedule.length; i++) {
    const op = schedule[i] as (typeof schedule)[number];
    if (op.op === "D") stepOf[i] = i > 0 ? (stepOf[i - 1] as number) : -1;
    else if (forwards === g.size && forwardPhaseEnd === schedule.length) forwardPhaseEnd = i;
    if (op.op === "F" && i < forwardPhaseEnd) forwards++;
    if (op.op !== "D")
      stepOf[i] = op.op === "F" && i >= forwardPhaseEnd ? -2 : (g.indexOf.get(op.node) as number);
  }
  for (let i = schedule.length - 1, next = -1; i >= 0; i--) {
    if (schedule[i]?.op === "B") next = stepOf[i] as number;
    if (stepOf[i] === -2) stepOf[i] = next; // a recomputation belongs to the backward it serves
  }
  const spans = bounds.length - 1;
  const base = new Float64Array(spans + 1).fill(Number.NaN); // memory after each boundary's forward
  base[0] = instance.fixedBytes;
  const high = new Float64Array(spans).fill(Number.NEGATIVE_INFINITY);
  const time = new Float64Array(spans);
  for (let i = 0; i < schedule.length; i++) {
    const node = stepOf[i] as number;
    const k = spanOf[node] as number;
    high[k] = Math.max(high[k] as number, duringBytes[i] as number);
    time[k] = (time[k] as number) + (computeMs[i] as number);
    if (i < forwardPhaseEnd && bounds[k + 1] === node) base[k + 1] = timeline[i] as number;
  }
  const interiors: number[][] = Array.from({ length: spans }, () => []);
  for (const v of keep) if (isCut[v] === 0) interiors[spanOf[v] as number]?.push(v);
  return interiors.map((interior, k) => ({
    start: bounds[k] as number,
    end: bounds[k + 1] as number,
    rise: (high[k] as number) - (base[k] as number),
    carry: (base[k + 1] as number) - (base[k] as number),
    timeMs: time[k] as number,
    interior,
  }));
}

/**
 * The decomposition of one kept set's schedule (for tests and explanations): its spans, each measured
 * in the schedule of `keep` and again in the schedule keeping only that span's ends and interior.
 */
export function decompose(
  instance: Instance,
  g: InstanceGraph,
  keep: readonly number[],
): { together: readonly Measured[]; alone: readonly SpanPoint[] } {
  const isCut = new Uint8Array(g.size);
  for (const c of cutPoints(g)) isCut[c] = 1;
  const together = measureAll(instance, g, isCut, keep);
  const alone = together.map((span) => measure(instance, g, isCut, { ...span, choices: [] }, span.interior));
  return { together, alone };
}

/** Measures one span with the given interior (its ends kept). */
function measure(
  instance: Instance,
  g: InstanceGraph,
  isCut: Uint8Array,
  span: Span,
  interior: readonly number[],
): SpanPoint {
  const keep = [...interior];
  if (span.start >= 0) keep.push(span.start);
  if (span.end < g.size) keep.push(span.end);
  const found = measureAll(instance, g, isCut, keep).find(
    (m) => m.start === span.start && m.end === span.end,
  );
  if (found === undefined) throw new InternalError(`measure: span (${span.start}, ${span.end}] not measured`);
  return found;
}
