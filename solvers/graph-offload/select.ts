/**
 * The greedy choice of spans to offload from a base schedule (spans.ts) so that it fits a budget: while
 * some step is above the budget with every chosen span absent over its whole open range, take the step
 * of largest remaining excess and add one span straddling it (start < step < end), by `rule`:
 * - `slack`: a span whose idle window (compute time strictly between its start and end) holds both of
 *   its transfers (`O` and `P`) first, the largest of those; otherwise the one of most slack (window
 *   minus two transfers);
 * - `bytes`: the largest span (the fewest transfers), ties by slack.
 * Undefined when a step cannot be covered. O(picks * (K + |spans|)) for K compute steps; the deadline
 * is checked at every pick.
 * @see ../../proofs/graph-offload.md, "The planner"
 */
import { type Deadline, NO_DEADLINE } from "../../src/time-limit.js";
import type { BaseSchedule, Span } from "./spans.js";

/** How the greedy ranks the spans straddling the worst step. */
export type SpanRule = "slack" | "bytes";

/** The rules the planner tries, in order. */
export const SPAN_RULES: readonly SpanRule[] = ["slack", "bytes"];

/** Relative tolerance under which two times count as equal (so that scaling every time keeps the order). */
const TIME_TIES = 1e-9;

/** A candidate span with its slack, ms. */
interface Ranked {
  readonly span: Span;
  readonly bytes: number;
  readonly slack: number;
  readonly roomy: boolean;
}

/** Compares two times with the relative tolerance: -1, 0 or 1. */
function compareTimes(a: number, b: number): number {
  if (Math.abs(a - b) <= TIME_TIES * Math.max(Math.abs(a), Math.abs(b))) return 0;
  return a < b ? -1 : 1;
}

/** Whether `a` ranks before `b` under `rule` (ties by start, then node: never by a time alone). */
function before(a: Ranked, b: Ranked, rule: SpanRule): boolean {
  const bySlack = compareTimes(b.slack, a.slack);
  const byBytes = b.bytes - a.bytes;
  let order: number;
  if (rule === "bytes") order = byBytes !== 0 ? byBytes : bySlack;
  else if (a.roomy !== b.roomy) order = a.roomy ? -1 : 1;
  else order = a.roomy ? byBytes || bySlack : bySlack || byBytes;
  if (order !== 0) return order < 0;
  return a.span.start - b.span.start < 0 || (a.span.start === b.span.start && a.span.node < b.span.node);
}

/** Prefix sums of the step durations: window(a, b) = prefix[b] - prefix[a + 1]. */
function prefixDurations(base: BaseSchedule): Float64Array {
  const prefix = new Float64Array(base.durations.length + 1);
  base.durations.forEach((ms, k) => {
    prefix[k + 1] = (prefix[k] as number) + ms;
  });
  return prefix;
}

/** The step of largest excess over the budget given the cover (the earliest of equals), or -1. */
function worstStep(base: BaseSchedule, cover: Float64Array, budget: number): number {
  let worst = -1;
  let excess = 0;
  for (let k = 0; k < base.during.length; k++) {
    const over = (base.during[k] as number) - (cover[k] as number) - budget;
    if (over > excess) {
      excess = over;
      worst = k;
    }
  }
  return worst;
}

/**
 * The spans to offload so that `base` fits `budgetBytes` with each absent over its open range, chosen
 * greedily by `rule`; undefined when no choice of its spans fits.
 */
export function chooseSpans(
  base: BaseSchedule,
  budgetBytes: number,
  rule: SpanRule,
  deadline: Deadline = NO_DEADLINE,
): Span[] | undefined {
  const { g } = base;
  const prefix = prefixDurations(base);
  const cover = new Float64Array(base.during.length);
  const taken = new Uint8Array(base.spans.length);
  const chosen: Span[] = [];
  for (let k = worstStep(base, cover, budgetBytes); k >= 0; k = worstStep(base, cover, budgetBytes)) {
    deadline.check("choosing spans to offload");
    let best: { ranked: Ranked; index: number } | undefined;
    base.spans.forEach((span, index) => {
      if (taken[index] === 1 || !(span.start < k && k < span.end)) return;
      const window = (prefix[span.end] as number) - (prefix[span.start + 1] as number);
      const transfers = 2 * (base.transferMs[span.node] as number);
      const ranked = {
        span,
        bytes: g.bytes[span.node] as number,
        slack: window - transfers,
        roomy: compareTimes(window, transfers) >= 0,
      };
      if (best === undefined || before(ranked, best.ranked, rule)) best = { ranked, index };
    });
    if (best === undefined) return undefined;
    taken[best.index] = 1;
    const { span, bytes } = best.ranked;
    chosen.push(span);
    for (let s = span.start + 1; s < span.end; s++) cover[s] = (cover[s] as number) + bytes;
  }
  return chosen;
}
