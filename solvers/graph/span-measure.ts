/**
 * Measuring spans between cut points (proofs/graph-mincut.md, "Decomposition at cut points"), the
 * tables the exact and seeded searches of span-memory.ts and span-time.ts work on.
 *
 * For a kept set whose kept cut points are k_1 < ... < k_m, every instruction of its schedule belongs
 * to one span (k_i, k_{i+1}] (the virtual k_0 = -1 before everything, the last span open-ended), and
 * memory during it equals base(k_i) + r(k_i, k_{i+1}, J_i, instruction), where J_i is the part of K
 * strictly inside the span and base(k) the memory after the forward of k; base(k_{i+1}) - base(k_i)
 * = carry(k_i, k_{i+1}, J_i), and the compute time of the span's instructions depends on the same
 * three things. So one evaluated schedule measures all its spans at once (`measureAll`, O(n + m)),
 * and a span's numbers can be reused in any kept set.
 */
import { InternalError } from "../../src/errors.js";
import type { StepProfile } from "../../src/evaluate/evaluate.js";
import { cutMarks, cutPoints } from "../../src/graph/cut-points.js";
import type { InstanceGraph } from "../../src/instance/graph.js";
import type { Schedule } from "../../src/schedule/types.js";
import type { Search } from "./search.js";
import type { Span, SpanPlan } from "./span-plan.js";

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

/** The interior of a span with no kept free node (shared: tables hold many). */
const NO_INTERIOR: readonly number[] = Object.freeze([]);

/** Measured spans: for each, every interior point measured (not reduced to a front). */
export interface SpanTable {
  /** By end, then start: every span ending at a boundary comes before any span starting there. */
  readonly spans: readonly Span[];
  readonly points: readonly (readonly SpanPoint[])[];
  /** Schedules evaluated to fill the table. */
  readonly evaluations: number;
}

/**
 * Measures every span of the plan with every interior (exact tables): sum over spans of 2^choices
 * evaluations.
 * @throws TimeLimitReached when the time limit passes (checked before each evaluation)
 */
export function tabulateAll(search: Search, plan: SpanPlan): SpanTable {
  const points: SpanPoint[][] = [];
  let evaluations = 0;
  for (const span of plan.spans) {
    const list: SpanPoint[] = [];
    const count = 2 ** span.choices.length;
    for (let mask = 0; mask < count; mask++) {
      const interior = span.choices.filter((_, bit) => Math.floor(mask / 2 ** bit) % 2 === 1);
      list.push(measure(search, plan.isCut, span, interior));
      evaluations++;
    }
    points.push(list);
  }
  return byEnd(plan.spans, points, evaluations);
}

/** The table with its spans (and their points) ordered by end, then start. */
export function byEnd(
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

/**
 * The node whose step each instruction belongs to: a forward-phase `F v` to v; a backward `B v` and
 * the recomputations just before it to v; a free to the instruction it follows. Also the index of
 * the first instruction of the backward pass. O(schedule).
 */
function stepOwners(g: InstanceGraph, schedule: Schedule): { owner: Int32Array; forwardPhaseEnd: number } {
  const owner = new Int32Array(schedule.length);
  const forwardPhaseEnd = directOwners(g, schedule, owner);
  for (let i = schedule.length - 1, next = -1; i >= 0; i--) {
    if (schedule[i]?.op === "B") next = owner[i] as number;
    if (owner[i] === -2) owner[i] = next; // a recomputation belongs to the backward it serves
  }
  return { owner, forwardPhaseEnd };
}

/**
 * Fills `owner` in one forward scan: a forward-phase `F v` and a `B v` own themselves (their node's
 * index), a free the owner of the instruction before it (-1 at the start), and a forward of the
 * backward pass -2 (its backward, found later). The forward phase ends at the first instruction other
 * than a free after g.size forwards. Returns that index (the schedule's length when it never ends).
 */
function directOwners(g: InstanceGraph, schedule: Schedule, owner: Int32Array): number {
  let forwardPhaseEnd = schedule.length;
  let forwards = 0;
  for (let i = 0; i < schedule.length; i++) {
    const op = schedule[i] as Schedule[number];
    if (op.op === "D") {
      owner[i] = i > 0 ? (owner[i - 1] as number) : -1;
      continue;
    }
    if (forwards === g.size && forwardPhaseEnd === schedule.length) forwardPhaseEnd = i;
    const inForwardPhase = i < forwardPhaseEnd;
    if (op.op === "F" && inForwardPhase) forwards++;
    owner[i] = op.op === "F" && !inForwardPhase ? -2 : (g.indexOf.get(op.node) as number);
  }
  return forwardPhaseEnd;
}

/** The boundaries of a kept set (-1, its kept or forced cut points, g.size) and each node's span. */
function boundariesOf(g: InstanceGraph, isCut: Uint8Array, keep: readonly number[]) {
  const kept = new Uint8Array(g.size);
  for (const v of keep) kept[v] = 1;
  const bounds = [-1];
  const spanOf = new Int32Array(g.size); // index of the span (bounds[k], bounds[k + 1]] holding each node
  for (let v = 0; v < g.size; v++) {
    spanOf[v] = bounds.length - 1;
    if (isCut[v] === 1 && (kept[v] === 1 || g.recomputable[v] === 0)) bounds.push(v);
  }
  bounds.push(g.size);
  return { bounds, spanOf };
}

/**
 * Evaluates the schedule keeping `keep` and measures every span between consecutive kept boundaries.
 * By the decomposition each span's numbers depend only on its ends and its kept interior, so one
 * evaluation measures them all.
 * @throws TimeLimitReached before the evaluation when the time limit has passed
 */
export function measureAll(
  search: Search,
  isCut: Uint8Array,
  keep: readonly number[],
  phase: string,
): Measured[] {
  const { g, instance } = search;
  const { schedule, evaluation } = search.keepProfiled(keep, phase);
  const { duringBytes, computeMs } = evaluation.profile as StepProfile;
  const { owner, forwardPhaseEnd } = stepOwners(g, schedule);
  const { bounds, spanOf } = boundariesOf(g, isCut, keep);
  const spans = bounds.length - 1;
  const base = new Float64Array(spans + 1).fill(Number.NaN); // memory after each boundary's forward
  base[0] = instance.fixedBytes;
  const high = new Float64Array(spans).fill(Number.NEGATIVE_INFINITY);
  const time = new Float64Array(spans);
  for (let i = 0; i < schedule.length; i++) {
    const node = owner[i] as number;
    const k = spanOf[node] as number;
    high[k] = Math.max(high[k] as number, duringBytes[i] as number);
    time[k] = (time[k] as number) + (computeMs[i] as number);
    if (i < forwardPhaseEnd && bounds[k + 1] === node) base[k + 1] = evaluation.timeline[i] as number;
  }
  const interiors = new Map<number, number[]>(); // only the spans with a kept interior
  for (const v of keep) {
    if (isCut[v] === 1) continue;
    const k = spanOf[v] as number;
    const list = interiors.get(k);
    if (list === undefined) interiors.set(k, [v]);
    else list.push(v);
  }
  return Array.from({ length: spans }, (_, k) => ({
    start: bounds[k] as number,
    end: bounds[k + 1] as number,
    rise: (high[k] as number) - (base[k] as number),
    carry: (base[k + 1] as number) - (base[k] as number),
    timeMs: time[k] as number,
    interior: interiors.get(k) ?? NO_INTERIOR,
  }));
}

/** Measures one span with the given interior (its ends kept). */
function measure(search: Search, isCut: Uint8Array, span: Span, interior: readonly number[]): SpanPoint {
  const keep = [...interior];
  if (span.start >= 0) keep.push(span.start);
  if (span.end < search.g.size) keep.push(span.end);
  const found = measureAll(search, isCut, keep, "the exact decomposition").find(
    (m) => m.start === span.start && m.end === span.end,
  );
  if (found === undefined) throw new InternalError(`measure: span (${span.start}, ${span.end}] not measured`);
  return found;
}

/**
 * The decomposition of one kept set's schedule (for tests and explanations): its spans, each measured
 * in the schedule of `keep` and again in the schedule keeping only that span's ends and interior.
 */
export function decompose(
  search: Search,
  keep: readonly number[],
): { together: readonly Measured[]; alone: readonly SpanPoint[] } {
  const isCut = cutMarks(search.g, cutPoints(search.g));
  const together = measureAll(search, isCut, keep, "decompose");
  const alone = together.map((span) => measure(search, isCut, { ...span, choices: [] }, span.interior));
  return { together, alone };
}
