/**
 * The timing routine of graph-offload (proofs/graph-offload.md): given a transfer-free base schedule σ
 * (spans.ts) and a set T of its spans to send to the host, insert `O`, `D` and `P` so that the schedule
 * fits the budget and stalls little.
 *
 * Class searched, C(σ, T): σ's instructions in σ's order, plus one `O v` right after the `F v` that
 * produced the residency of v's first span in T (host copies persist, so one copy serves every later
 * span, a recomputed `a_v` being bit-identical), and for each span s = (v, a, b) of T either nothing or
 * one `D a:v` in a gap d and one `P v` in a gap q with a <= d < q <= b - 1 (gap g: after step g and σ's
 * frees there; `D`s before `P`s). Memory depends on the positions alone: a span freed at d and
 * prefetched at q removes bytes(v) from steps d+1..q.
 *
 * Guarantee: it returns a schedule exactly when some member of C(σ, T) fits the budget (the member
 * with every span of T absent over its whole open range is the least in memory at every step); the
 * schedule is valid, within the budget, and its makespan is the evaluator's. It is NOT optimal over
 * C(σ, T) (nor over T, which the planner chooses).
 *
 * Phase 1 (lazy frees, as placement.ts does in store-all's order): before each step still above the
 * budget, free the spans whose copies end earliest until it fits, and every other active span whose
 * copy has ended by then (`eager`); each is prefetched right before its next read. Phase 2: each freed
 * span's prefetch moved to the earliest gap from which memory allows it until its reader, in need order.
 * Both placements are evaluated and the faster is returned. O(K * |T| + |σ|) for K compute steps.
 */
import { InternalError } from "../../src/errors.js";
import { evaluate, type ValidEvaluation } from "../../src/evaluate/evaluate.js";
import { runInstruction } from "../../src/evaluate/handlers.js";
import { RunState, Violation } from "../../src/evaluate/run-state.js";
import { type Instruction, ops, type Schedule } from "../../src/schedule/types.js";
import { type Deadline, NO_DEADLINE } from "../../src/time-limit.js";
import type { BaseSchedule, Span } from "./spans.js";

/** Steps between two looks at the deadline (2^10). */
const CHECK_MASK = 0x3ff;

/** What the routine returns: a schedule within the budget, or that no member of C(σ, T) fits. */
export type SpanPlacement =
  | {
      readonly fits: true;
      readonly schedule: Schedule;
      readonly evaluation: ValidEvaluation;
      /** Spans of T actually freed and prefetched. */
      readonly moved: number;
    }
  | { readonly fits: false };

/** Where each moved span leaves and comes back: `D` in gap `free`, `P` in gap `back`. */
interface Move {
  readonly span: Span;
  readonly free: number;
  back: number;
}

/**
 * Places the spans `chosen` (members of `base.spans`) within `budgetBytes`.
 * @param eager also free every active span whose copy has ended when a step needs room (phase 1)
 * @param deadline checked every 1024 steps
 * @throws TimeLimitReached when `deadline` passes
 * @throws InternalError when a span's activation is not offloadable, the instance has no link, or the
 *   schedule built is invalid or above the budget (a bug)
 */
export function placeSpans(
  base: BaseSchedule,
  chosen: readonly Span[],
  budgetBytes: number,
  eager = true,
  deadline: Deadline = NO_DEADLINE,
): SpanPlacement {
  if (chosen.length > 0 && !base.hasLink) throw new InternalError("placeSpans: no link to offload over");
  for (const span of chosen)
    if (base.g.offloadable[span.node] === 0) throw new InternalError("placeSpans: span not offloadable");
  const moves = lazyFrees(base, chosen, budgetBytes, eager, deadline);
  if (moves === undefined) return { fits: false };
  const late = judged(base, moves, budgetBytes);
  earliestPrefetches(base, moves, budgetBytes, deadline);
  const early = judged(base, moves, budgetBytes);
  const best = early.evaluation.makespanMs < late.evaluation.makespanMs ? early : late;
  return { fits: true, ...best };
}

/** The offload point of each activation of T: the production step of its first span in T. */
function offloadSteps(chosen: readonly Span[]): Map<number, number> {
  const at = new Map<number, number>(); // node -> step
  const first = new Map<number, number>(); // node -> start of its first chosen span
  for (const span of chosen) {
    const seen = first.get(span.node);
    if (seen === undefined || span.start < seen) {
      first.set(span.node, span.start);
      at.set(span.node, span.produced);
    }
  }
  return at;
}

/** The evaluator's run state, fed one instruction at a time. */
class Runner {
  readonly state: RunState;
  private index = 0;

  constructor(base: BaseSchedule) {
    this.state = new RunState(base.g, base.instance, 0, {});
  }

  run(instruction: Instruction): void {
    try {
      runInstruction(this.state, instruction, this.index++);
    } catch (caught) {
      if (caught instanceof Violation) throw new InternalError(`placeSpans: ${caught.reason}`);
      throw caught;
    }
  }
}

/** Whether an instruction is a compute step (`F` or `B`). */
function isCompute(instruction: Instruction): instruction is Extract<Instruction, { op: "F" | "B" }> {
  return instruction.op === "F" || instruction.op === "B";
}

/** Phase 1's state while it walks σ: the runner, the active spans, the moves made so far. */
class LazyWalk {
  readonly runner: Runner;
  readonly moves: Move[] = [];
  private readonly offloadAt: Map<number, number>;
  private readonly byStart: Span[];
  /** Bytes of moved spans coming back right before each step. */
  private readonly returning: Float64Array;
  /** Nodes of the moved spans to prefetch right before each step (their reader). */
  private readonly back = new Map<number, number[]>();
  private active: Span[] = [];
  private next = 0;
  /** Bytes of the moved spans absent at the current step. */
  private absent = 0;

  constructor(
    private readonly base: BaseSchedule,
    chosen: readonly Span[],
    private readonly budget: number,
    private readonly eager: boolean,
  ) {
    this.runner = new Runner(base);
    this.offloadAt = offloadSteps(chosen);
    this.byStart = [...chosen].sort((a, b) => a.start - b.start || a.node - b.node);
    this.returning = new Float64Array(base.stepIndex.length + 1);
  }

  /** The gap before `step`: frees to make room, then the prefetches of spans read at `step`. */
  beforeStep(step: number): boolean {
    const { g } = this.base;
    this.absent -= this.returning[step] as number;
    while (this.next < this.byStart.length && (this.byStart[this.next] as Span).start < step)
      this.active.push(this.byStart[this.next++] as Span);
    this.active = this.active.filter((span) => span.end > step);
    const need = (this.base.during[step] as number) - this.absent - this.budget;
    const freed = freeBefore(this.runner, this.active, need, this.eager);
    if (freed === undefined) return false;
    for (const span of freed) {
      const bytes = g.bytes[span.node] as number;
      this.moves.push({ span, free: step - 1, back: span.end - 1 });
      this.back.set(span.end, [...(this.back.get(span.end) ?? []), span.node]);
      this.absent += bytes;
      this.returning[span.end] = (this.returning[span.end] as number) + bytes;
    }
    this.active = this.active.filter((span) => !freed.includes(span));
    for (const u of this.back.get(step) ?? []) this.runner.run(ops.prefetch(g.ids[u] as string));
    return true;
  }

  /** Runs compute step `step`, then the `O` of the activation it produced if one is due there. */
  runStep(instruction: Instruction, step: number): void {
    this.runner.run(instruction);
    if (instruction.op !== "F") return;
    if (this.offloadAt.get(this.base.g.indexOf.get(instruction.node) as number) === step)
      this.runner.run(ops.offload(instruction.node));
  }
}

/**
 * Phase 1: walks σ with every chosen span's `O` after its production; before each step above the
 * budget, frees active spans (start < step < end) earliest copy first. Each move comes back in gap
 * end - 1. Undefined when a step does not fit with every active span freed.
 */
function lazyFrees(
  base: BaseSchedule,
  chosen: readonly Span[],
  budget: number,
  eager: boolean,
  deadline: Deadline,
): Move[] | undefined {
  const walk = new LazyWalk(base, chosen, budget, eager);
  let step = 0;
  for (const instruction of base.schedule) {
    if (!isCompute(instruction)) {
      walk.runner.run(instruction);
      continue;
    }
    if ((step & CHECK_MASK) === 0) deadline.check("placing offloaded spans");
    if (!walk.beforeStep(step)) return undefined;
    walk.runStep(instruction, step);
    step++;
  }
  return walk.moves;
}

/**
 * The spans to free in the gap before a step needing `need` more bytes: the fewest earliest-copied
 * ones that make room (all of them must), then, when `eager`, every other whose copy has ended by
 * then. Runs their `D`s. Undefined when even all active spans do not make room.
 */
function freeBefore(
  runner: Runner,
  active: readonly Span[],
  need: number,
  eager: boolean,
): Span[] | undefined {
  const s = runner.state;
  const g = s.g;
  const copyEnd = (span: Span) => s.offloadEndAt[span.node] as number;
  const order = [...active].sort((a, b) => copyEnd(a) - copyEnd(b) || a.start - b.start || a.node - b.node);
  const freed: Span[] = [];
  let room = 0;
  let threshold = Number.NEGATIVE_INFINITY;
  for (const span of order) {
    if (room >= need) break;
    freed.push(span);
    room += g.bytes[span.node] as number;
    threshold = copyEnd(span);
  }
  if (room < need) return undefined;
  if (eager) {
    const by = Math.max(s.clock, threshold);
    for (const span of order) if (!freed.includes(span) && copyEnd(span) <= by) freed.push(span);
  }
  for (const span of freed) runner.run(ops.freeActivation(g.ids[span.node] as string));
  return freed;
}

/**
 * Phase 2: in need order (by next read), each prefetch at the earliest gap at or after its free and
 * the previous prefetch's gap from which memory allows it through its reader. Updates `moves`.
 */
function earliestPrefetches(
  base: BaseSchedule,
  moves: readonly Move[],
  budget: number,
  deadline: Deadline,
): void {
  const { g } = base;
  const K = base.stepIndex.length;
  const memory = Float64Array.from(base.during);
  const diff = new Float64Array(K + 1);
  for (const move of moves) {
    const bytes = g.bytes[move.span.node] as number;
    diff[move.free + 1] = (diff[move.free + 1] as number) - bytes;
    diff[move.back + 1] = (diff[move.back + 1] as number) + bytes;
  }
  let running = 0;
  for (let k = 0; k < K; k++) {
    running += diff[k] as number;
    memory[k] = (memory[k] as number) + running;
  }
  const order = [...moves].sort(
    (a, b) => a.span.end - b.span.end || a.free - b.free || a.span.node - b.span.node,
  );
  let previous = -1;
  for (const [index, move] of order.entries()) {
    if ((index & CHECK_MASK) === 0) deadline.check("placing prefetches");
    const bytes = g.bytes[move.span.node] as number;
    let gap = move.back;
    const floor = Math.max(move.free, previous);
    while (gap > floor && (memory[gap] as number) + bytes <= budget) gap--;
    for (let k = gap + 1; k <= move.back; k++) memory[k] = (memory[k] as number) + bytes;
    move.back = gap;
    previous = gap;
  }
}

/** Nodes listed per gap. */
function byGap(entries: readonly (readonly [number, number])[]): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const [gap, node] of entries) map.set(gap, [...(map.get(gap) ?? []), node]);
  return map;
}

/** σ with the `D`s and `P`s of `kept` in their gaps and each activation's `O` after its production. */
function buildSchedule(base: BaseSchedule, kept: readonly Move[]): Schedule {
  const { g } = base;
  const offloadAt = offloadSteps(kept.map((move) => move.span));
  const frees = byGap(kept.map((move) => [move.free, move.span.node] as const));
  const backs = byGap(kept.map((move) => [move.back, move.span.node] as const));
  const out: Instruction[] = [];
  let step = 0;
  for (const instruction of base.schedule) {
    if (!isCompute(instruction)) {
      out.push(instruction);
      continue;
    }
    for (const u of frees.get(step - 1) ?? []) out.push(ops.freeActivation(g.ids[u] as string));
    for (const u of backs.get(step - 1) ?? []) out.push(ops.prefetch(g.ids[u] as string));
    out.push(instruction);
    const v = g.indexOf.get(instruction.node) as number;
    if (instruction.op === "F" && offloadAt.get(v) === step) out.push(ops.offload(instruction.node));
    step++;
  }
  return Object.freeze(out);
}

/** Builds the schedule of `moves` (moves whose prefetch meets their free are dropped) and evaluates it. */
function judged(
  base: BaseSchedule,
  moves: readonly Move[],
  budget: number,
): { schedule: Schedule; evaluation: ValidEvaluation; moved: number } {
  const kept = moves.filter((move) => move.back > move.free);
  const schedule = buildSchedule(base, kept);
  const evaluation = evaluate(base.instance, schedule);
  if (!evaluation.valid)
    throw new InternalError(`placeSpans built an invalid schedule: ${evaluation.error.reason}`);
  if (evaluation.peakBytes > budget)
    throw new InternalError(`placeSpans: peak ${evaluation.peakBytes} above the budget ${budget}`);
  return { schedule, evaluation, moved: kept.length };
}
