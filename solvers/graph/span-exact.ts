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
  /** 1 at each cut point. */
  readonly isCut: Uint8Array;
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
  return { cuts, isCut, spans, evaluations };
}

/** A span's measurement in one evaluated schedule. */
interface Measured extends FrontPoint {
  readonly start: number;
  readonly end: number;
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
  const { schedule, evaluation } = judgeKeep(instance, keep, { trace: true });
  const trace = evaluation.trace ?? [];
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
  for (let i = 0; i < schedule.length; i++) {
    const step = trace[i] as { duringBytes: number; afterBytes: number };
    const node = stepOf[i] as number;
    const k = spanOf[node] as number;
    high[k] = Math.max(high[k] as number, step.duringBytes);
    if (i < forwardPhaseEnd && bounds[k + 1] === node) base[k + 1] = step.afterBytes;
  }
  const interiors: number[][] = Array.from({ length: spans }, () => []);
  for (const v of keep) if (isCut[v] === 0) interiors[spanOf[v] as number]?.push(v);
  return interiors.map((interior, k) => ({
    start: bounds[k] as number,
    end: bounds[k + 1] as number,
    rise: (high[k] as number) - (base[k] as number),
    carry: (base[k + 1] as number) - (base[k] as number),
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
): { together: readonly Measured[]; alone: readonly FrontPoint[] } {
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
): FrontPoint {
  const keep = [...interior];
  if (span.start >= 0) keep.push(span.start);
  if (span.end < g.size) keep.push(span.end);
  const found = measureAll(instance, g, isCut, keep).find(
    (m) => m.start === span.start && m.end === span.end,
  );
  if (found === undefined)
    throw new InternalError(`spanExact: span (${span.start}, ${span.end}] not measured`);
  return found;
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
      points.push(measure(instance, g, plan.isCut, span, interior));
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
 * Bisection on the integer threshold: the least T at which `keptUnder` finds a kept set, between 0 and
 * `high` (a peak the tables can reach), and that kept set judged by the evaluator.
 * @throws InternalError if the evaluator disagrees with the decomposition's predicted peak (a bug)
 */
function leastThreshold(instance: Instance, g: InstanceGraph, tables: Tables, reachable: number): JudgedKeep {
  // base(-1) enters keptUnder as 0: every rise and carry is relative, so T is shifted by fixedBytes
  const offset = instance.fixedBytes;
  let low = 0;
  let high = reachable;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (keptUnder(g, tables, middle - offset) === undefined) low = middle + 1;
    else high = middle;
  }
  const kept = keptUnder(g, tables, high - offset);
  if (kept === undefined) throw new InternalError(`spanExact: no kept set at ${high} bytes`);
  const best = judgeKeep(instance, kept);
  if (best.evaluation.peakBytes !== high)
    throw new InternalError(
      `spanExact: the decomposition predicts ${high} bytes but the evaluator says ${best.evaluation.peakBytes}`,
    );
  return best;
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
  const best = leastThreshold(instance, g, tables, judgeKeep(instance, []).evaluation.peakBytes);
  return { best, evaluations: tables.evaluations + 2 };
}

/**
 * A search seed for graphs too large for `spanExact`: the same decomposition over the kept sets made
 * of cut points only (every interior empty), measured a gap at a time: for gap d and residue r, one
 * evaluation keeping the cut points of rank r, r + d, r + 2d, ... measures all those spans at once.
 * A start stops growing its spans once `patience` of them in a row rise above `upperBound` (memory
 * after any forward is at least fixedBytes, so such a span is in no kept set peaking at most the
 * bound; the longer ones skipped are only likely so). Optimal over what it measures, not overall.
 * Cost: sum over the gaps reached of d evaluations.
 * @returns undefined if the deadline passed first
 */
export function spanSeed(
  instance: Instance,
  g: InstanceGraph,
  limits: {
    readonly upperBound: number;
    readonly patience: number;
    readonly maxChoices: number;
    readonly deadline: number;
  },
): { best: JudgedKeep; evaluations: number } | undefined {
  const cuts = cutPoints(g);
  const isCut = new Uint8Array(g.size);
  for (const c of cuts) isCut[c] = 1;
  const bounds = [-1, ...cuts, g.size]; // rank i; ranks 1..cuts.length may be kept
  const rankOf = new Map(bounds.map((v, rank) => [v, rank] as const));
  const measured = new Map<number, Measured>(); // key start rank * bounds.length + end rank
  const useless = new Int32Array(bounds.length - 1);
  const alive = new Uint8Array(bounds.length - 1).fill(1);
  let evaluations = 0;
  for (let gap = 1; gap < bounds.length && alive.includes(1); gap++) {
    for (let residue = 0; residue < gap; residue++) {
      if (performance.now() > limits.deadline) return undefined;
      let wanted = false;
      for (let rank = residue; rank < alive.length && !wanted; rank += gap) wanted = alive[rank] === 1;
      if (!wanted) continue;
      const keep = cuts.filter((_, index) => (index + 1) % gap === residue);
      for (const span of measureAll(instance, g, isCut, keep)) {
        const key = (rankOf.get(span.start) as number) * bounds.length + (rankOf.get(span.end) as number);
        measured.set(key, span);
      }
      evaluations++;
    }
    for (let rank = 0; rank < alive.length; rank++) {
      if (alive[rank] === 0) continue;
      const span = measured.get(rank * bounds.length + rank + gap);
      if (rank + gap >= bounds.length - 1) alive[rank] = 0; // the open-ended span was the last one
      if (span === undefined) continue;
      useless[rank] = instance.fixedBytes + span.rise > limits.upperBound ? (useless[rank] as number) + 1 : 0;
      if ((useless[rank] as number) >= limits.patience) alive[rank] = 0;
    }
  }
  // interiors of neighbour spans with at most maxChoices free nodes: mask m keeps, in every such
  // span, the subset m of its choices (all spans at once, 2^maxChoices evaluations)
  const choices: number[][] = bounds.slice(0, -1).map(() => []);
  for (let rank = 0, v = 0; v < g.size; v++) {
    if (v > (bounds[rank + 1] as number)) rank++;
    if (isCut[v] === 0 && g.isSource[v] === 0 && g.recomputable[v] === 1) choices[rank]?.push(v);
  }
  const widest = Math.max(0, ...choices.map((list) => (list.length <= limits.maxChoices ? list.length : 0)));
  const interiorPoints = new Map<number, Measured[]>();
  for (let mask = 1; mask < 2 ** widest; mask++) {
    if (performance.now() > limits.deadline) return undefined;
    const keep = [...cuts];
    for (const list of choices)
      if (list.length <= limits.maxChoices)
        keep.push(...list.filter((_, bit) => Math.floor(mask / 2 ** bit) % 2 === 1));
    for (const span of measureAll(instance, g, isCut, keep)) {
      const key = (rankOf.get(span.start) as number) * bounds.length + (rankOf.get(span.end) as number);
      interiorPoints.set(key, [...(interiorPoints.get(key) ?? []), span]);
    }
    evaluations++;
  }
  const keys = [...measured.keys()];
  const tables: Tables = {
    spans: keys.map((key) => {
      const { start, end } = measured.get(key) as Measured;
      return { start, end, choices: [] };
    }),
    fronts: keys.map((key) =>
      paretoFront(
        [measured.get(key) as Measured, ...(interiorPoints.get(key) ?? [])],
        key % bounds.length === bounds.length - 1,
      ),
    ),
    evaluations,
  };
  // keeping every cut point uses only spans between neighbours (gap 1), always measured
  const everyCut = judgeKeep(instance, cuts).evaluation.peakBytes;
  const best = leastThreshold(instance, g, tables, everyCut);
  return { best, evaluations: evaluations + 2 };
}
