/**
 * Exact memory objective by decomposition at cut points: the least evaluated peak over all kept sets K
 * of the checkpoint schedule, for any DAG, in time exponential only in the free nodes *between*
 * consecutive cut points. On a chain every node is a cut point and this is Feng & Huang's linear-graph
 * threshold search (2021, section 3.2; graph-remat.md section 2) with every cost taken from the
 * evaluator; chains with label inputs, VGG- and MLP-like op graphs stay polynomial.
 *
 * A cut point is a non-source node c such that no non-source before c is read after c, and no source
 * is read both up to c and after it (`cutPoints`). For a kept set whose kept cut points are
 * k_1 < ... < k_m, every instruction of its schedule belongs to one span (k_i, k_{i+1}] (the virtual
 * k_0 = -1 before everything, the last span open-ended), and memory during it equals
 * base(k_i) + r(k_i, k_{i+1}, J_i, instruction), where J_i is the part of K strictly inside the span
 * and base(k) the memory after the forward of k; base(k_{i+1}) - base(k_i) = carry(k_i, k_{i+1}, J_i).
 * (proofs/graph-mincut.md, "Decomposition at cut points".) So the peak is
 * max_i base(k_i) + rise(k_i, k_{i+1}, J_i), and "is there a K with peak <= T" is a shortest-path
 * question over cut points in which the least base dominates, each span contributing the Pareto front
 * of its (rise, carry) over all interiors J. Bisection on the integer T gives the optimum.
 *
 * Complexity: sum over spans of 2^(free interior nodes) evaluations, O(n) each, to tabulate; then
 * O(spans * front * log(peak)).
 */
import { InternalError } from "../../src/errors.js";
import type { InstanceGraph } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";
import { type JudgedKeep, judgeKeep } from "./kept-evaluation.js";

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

/** One interior choice of a span: its rise over base(start) and its carry to base(end). */
interface FrontPoint {
  readonly rise: number;
  /** base(end) - base(start); NaN for the open-ended last span. */
  readonly carry: number;
  readonly interior: readonly number[];
}

/** A span between boundary positions: `start` is -1 or a cut point, `end` a cut point or `g.size` (open). */
interface Span {
  readonly start: number;
  readonly end: number;
  /** Free non-cut nodes strictly inside, the span's choices. */
  readonly choices: readonly number[];
}

/** What the decomposition needs before it runs: the spans and the evaluations they cost. */
export interface SpanPlan {
  readonly cuts: readonly number[];
  readonly spans: readonly Span[];
  /** Sum over spans of 2^choices: the evaluations `spanExact` makes (Infinity if it overflows). */
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
      for (; next < Math.min(end, g.size); next++)
        if (isCut[next] === 0 && g.isSource[next] === 0 && g.recomputable[next] === 1) choices.push(next);
      spans.push({ start, end, choices: [...choices] });
      evaluations += 2 ** choices.length;
      // a later end would leave this cut point out of the kept set: impossible if it is forced
      if (end < g.size && g.recomputable[end] === 0) break;
    }
  }
  return { cuts, spans, evaluations };
}

/**
 * Evaluates the schedule keeping the span's ends and `interior`, and reads the span's instructions:
 * forward-phase `F v` with start < v <= end, each backward step `B v` with start < v <= end together
 * with the recomputations just before it; a free belongs to the instruction it follows.
 */
function measure(instance: Instance, g: InstanceGraph, span: Span, interior: readonly number[]): FrontPoint {
  const { start, end } = span;
  const keep = [...interior];
  if (start >= 0) keep.push(start);
  if (end < g.size) keep.push(end);
  const { schedule, evaluation } = judgeKeep(instance, keep, { trace: true });
  const trace = evaluation.trace ?? [];
  const inSpan = (v: number) => v > start && v <= end;
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
  let baseStart = start < 0 ? instance.fixedBytes : Number.NaN;
  let baseEnd = Number.NaN;
  let high = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < schedule.length; i++) {
    const step = trace[i] as { duringBytes: number; afterBytes: number };
    const node = stepOf[i] as number;
    if (inSpan(node)) high = Math.max(high, step.duringBytes);
    if (i < forwardPhaseEnd && node === start) baseStart = step.afterBytes;
    if (i < forwardPhaseEnd && node === end) baseEnd = step.afterBytes;
  }
  return { rise: high - baseStart, carry: baseEnd - baseStart, interior };
}

/** Pareto front of (rise, carry): increasing rise, strictly decreasing carry. */
function paretoFront(points: FrontPoint[], open: boolean): FrontPoint[] {
  const sorted = points.sort((a, b) => a.rise - b.rise || a.carry - b.carry);
  if (open) return sorted.slice(0, 1);
  const front: FrontPoint[] = [];
  for (const point of sorted) {
    const last = front[front.length - 1];
    if (last === undefined || point.carry < last.carry) front.push(point);
  }
  return front;
}

interface Tables {
  readonly spans: readonly Span[];
  readonly fronts: readonly FrontPoint[][];
  readonly evaluations: number;
}

function tabulate(
  instance: Instance,
  g: InstanceGraph,
  plan: SpanPlan,
  deadline: number,
): Tables | undefined {
  const fronts: FrontPoint[][] = [];
  let evaluations = 0;
  for (const span of plan.spans) {
    if (performance.now() > deadline) return undefined;
    const points: FrontPoint[] = [];
    const count = 2 ** span.choices.length;
    for (let mask = 0; mask < count; mask++) {
      const interior = span.choices.filter((_, bit) => Math.floor(mask / 2 ** bit) % 2 === 1);
      points.push(measure(instance, g, span, interior));
      evaluations++;
    }
    fronts.push(paretoFront(points, span.end === g.size));
  }
  return { spans: plan.spans, fronts, evaluations };
}

/**
 * Least-base search under threshold T over boundaries in increasing order.
 * @returns the kept set, or undefined when no kept set peaks at most T
 */
function keptUnder(g: InstanceGraph, tables: Tables, threshold: number): number[] | undefined {
  const base = new Map<number, number>([[-1, 0]]);
  const parent = new Map<number, { span: number; point: FrontPoint }>();
  // spans are listed by start, then end; process them by end so every start is final first
  const order = tables.spans
    .map((_, index) => index)
    .sort((a, b) => {
      const x = tables.spans[a] as Span;
      const y = tables.spans[b] as Span;
      return x.end - y.end || x.start - y.start;
    });
  let ending: { span: number; point: FrontPoint } | undefined;
  for (const index of order) {
    const span = tables.spans[index] as Span;
    const from = base.get(span.start);
    if (from === undefined) continue;
    let chosen: FrontPoint | undefined;
    for (const point of tables.fronts[index] as FrontPoint[]) {
      if (from + point.rise > threshold) break;
      chosen = point; // the front's carry decreases as the rise grows
    }
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
  if (ending === undefined) return undefined;
  const kept: number[] = [];
  let link: { span: number; point: FrontPoint } | undefined = ending;
  while (link !== undefined) {
    const span = tables.spans[link.span] as Span;
    kept.push(...link.point.interior);
    if (span.start >= 0) kept.push(span.start);
    link = parent.get(span.start);
  }
  return kept.sort((a, b) => a - b);
}

/**
 * The exact memory-objective answer, with the evaluator's verdict.
 * @param deadline `performance.now()` after which tabulation gives up (checked between spans)
 * @returns undefined if the deadline passed first
 * @throws InternalError if the evaluator disagrees with the decomposition's predicted peak (a bug)
 */
export function spanExact(
  instance: Instance,
  g: InstanceGraph,
  plan: SpanPlan = planSpans(g),
  deadline = Number.POSITIVE_INFINITY,
): { best: JudgedKeep; evaluations: number } | undefined {
  const tables = tabulate(instance, g, plan, deadline);
  if (tables === undefined) return undefined;
  // base(-1) enters as 0 above: every rise and carry is relative, so shift T by the true base
  const offset = instance.fixedBytes;
  let low = 0;
  let high = judgeKeep(instance, []).evaluation.peakBytes;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (keptUnder(g, tables, middle - offset) === undefined) low = middle + 1;
    else high = middle;
  }
  const kept = keptUnder(g, tables, high - offset);
  if (kept === undefined) throw new InternalError("spanExact: no kept set at the upper bound");
  const best = judgeKeep(instance, kept);
  if (best.evaluation.peakBytes !== high)
    throw new InternalError(
      `spanExact: the decomposition predicts ${high} bytes but the evaluator says ${best.evaluation.peakBytes}`,
    );
  return { best, evaluations: tables.evaluations + 2 };
}
