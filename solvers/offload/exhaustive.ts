/**
 * Exact branch and bound over the whole `offload` class (src/optimality.ts) for tiny instances: every
 * offloaded set, every order of the offloads on the device-to-host channel, every position of every
 * `D` and `P` (several absences of one activation included), up to the dominance rules of
 * proofs/offload-exhaustive.md, which never remove every optimal schedule. Each branch runs on the
 * evaluator's own run state (src/evaluate/run-state.ts, handlers.ts), so times and memory are the
 * evaluator's by construction.
 *
 * Pruning: a branch ends as soon as its peak passes the budget, or when its clock plus the compute still
 * to run (and the prefetches the absent activations still need, in need order) reaches the incumbent.
 * Exponential in the number of nodes; the recursion is as deep as the schedule (at most a few hundred
 * instructions, the solver refusing more than MAX_EXHAUSTIVE_NODES nodes). The work is counted in search
 * nodes, never in time: the time limit only stops it.
 */
import { InternalError } from "../../src/errors.js";
import { runInstruction } from "../../src/evaluate/handlers.js";
import { RunState, Violation } from "../../src/evaluate/run-state.js";
import { type Instruction, ops, type Schedule } from "../../src/schedule/types.js";
import { type Deadline, TimeLimitReached } from "../../src/time-limit.js";
import { chainWaits, type FluidBound, fluidBound } from "./fluid-bound.js";
import type { OffloadOrder } from "./order.js";

/** Largest instance (nodes) the exhaustive search accepts. */
export const MAX_EXHAUSTIVE_NODES = 12;

/** Search nodes between two looks at the deadline. */
const DEADLINE_MASK = 0x3ff;

/** The outcome of one search: the best schedule within the budget (if any), and whether it is proven. */
export interface ExhaustiveResult {
  readonly schedule: Schedule | undefined;
  readonly makespanMs: number;
  /** Search nodes visited. */
  readonly nodes: number;
  /** True when the whole tree was searched (the answer is the class optimum). */
  readonly complete: boolean;
  /** True when the time limit stopped the search (the schedule is the best found so far). */
  readonly timedOut: boolean;
}

/** Thrown inside the search when its work limit is spent. */
class WorkSpent {}

/** The context of the current gap (the place before compute step `next`). Bitmasks over nodes. */
interface Gap {
  readonly next: number;
  /** Offloads may still be issued in this gap (a forward gap, before any free or prefetch). */
  readonly offloading: boolean;
  /** Some offload was issued in this gap (then any pending activation may follow it). */
  readonly offloaded: boolean;
  /** The previous instruction in this gap. */
  readonly last: "none" | "O" | "D" | "P";
  /** For a run of frees: the wait time and index of the previous one (frees in increasing order). */
  readonly lastWait: number;
  readonly lastNode: number;
  /** Activations freed in this gap (never prefetched back in the same gap). */
  readonly freedHere: number;
  /** Activations read by the step just run. */
  readonly justRead: number;
  /** Activations that have been absent at least once. */
  readonly everAbsent: number;
  /** Prefetched activations not read since (never freed before a read). */
  readonly awaitingRead: number;
}

/**
 * Searches the offload class of `order`'s instance within `budgetBytes`.
 * @param incumbent makespan of a known schedule within the budget (Infinity for none): only strictly
 *   faster schedules are looked for, so the result's schedule is undefined when none is faster
 * @param maxNodes search nodes allowed; past it the result is not `complete`
 * @param deadline a search it stops answers `timedOut` with the best schedule found so far
 */
export function searchOffloadClass(
  order: OffloadOrder,
  budgetBytes: number,
  incumbent: number,
  maxNodes: number,
  deadline: Deadline,
): ExhaustiveResult {
  if (order.g.size > 30) throw new InternalError("searchOffloadClass: more than 30 nodes");
  const search = new Search(order, budgetBytes, incumbent, maxNodes, deadline);
  let complete = true;
  let timedOut = false;
  try {
    search.start();
  } catch (caught) {
    if (caught instanceof TimeLimitReached) timedOut = true;
    else if (!(caught instanceof WorkSpent)) throw caught;
    complete = false;
  }
  return { schedule: search.bestSchedule, makespanMs: search.best, nodes: search.nodes, complete, timedOut };
}

class Search {
  best: number;
  bestSchedule: Schedule | undefined;
  nodes = 0;
  private readonly prefix: Instruction[] = [];
  /** Compute time from step s to the end, ms (index K: 0). */
  private readonly tail: Float64Array;
  /** Bitmask of the activations each step reads. */
  private readonly readMask: number[];
  /** The fluid relaxation's per-step waits (fluid-bound.ts), valid for every schedule within the budget. */
  private readonly fluid: FluidBound;
  /** Time vectors of the gap starts seen, by position and masks (dominance, proof rule 7). */
  private readonly seen = new Map<string, Float64Array[]>();

  constructor(
    private readonly order: OffloadOrder,
    private readonly budget: number,
    incumbent: number,
    private readonly maxNodes: number,
    private readonly deadline: Deadline,
  ) {
    this.best = incumbent;
    const K = order.steps.length;
    this.tail = new Float64Array(K + 1);
    for (let s = K - 1; s >= 0; s--)
      this.tail[s] = (this.tail[s + 1] as number) + (order.durations[s] as number);
    this.readMask = order.reads.map((list) => list.reduce((mask, u) => mask | (1 << u), 0));
    this.fluid = fluidBound(order, budget);
  }

  start(): void {
    const state = new RunState(this.order.g, this.order.instance, 0, {});
    this.step(state, 0, 0, 0);
  }

  /** Runs compute step `s` and the frees after its last reads, then explores the gap after it. */
  private step(parent: RunState, s: number, everAbsent: number, awaitingRead: number): void {
    const state = cloneState(parent, this.order);
    const mark = this.prefix.length;
    if (this.runStep(state, s, everAbsent)) {
      const read = this.readMask[s] as number;
      if (s === this.order.steps.length - 1) this.finish(state);
      else if (
        this.fitsLater(state, s + 1) &&
        !this.dominated(state, s + 1, everAbsent, awaitingRead & ~read)
      )
        this.gap(state, {
          next: s + 1,
          offloading: s < this.order.forwardSteps && this.order.hasLink,
          offloaded: false,
          last: "none",
          lastWait: Number.NEGATIVE_INFINITY,
          lastNode: -1,
          freedHere: 0,
          justRead: read,
          everAbsent,
          awaitingRead: awaitingRead & ~read,
        });
    }
    this.undo(mark);
  }

  /** Runs step `s` and the frees after the last reads it makes; false when the branch ends there. */
  private runStep(state: RunState, s: number, everAbsent: number): boolean {
    const { g } = this.order;
    const step = this.order.steps[s] as { backward: boolean; node: number };
    const id = g.ids[step.node] as string;
    if (!this.apply(state, step.backward ? ops.backward(id) : ops.forward(id, true))) return false;
    for (let u = 0; u < g.size; u++) {
      if (this.order.lastUse[u] !== s) continue;
      // an offloaded activation never absent: its offload was useless (dominated; proof, rule 1)
      if ((state.offloadIndex[u] as number) >= 0 && ((everAbsent >>> u) & 1) === 0) return false;
      if (!this.apply(state, ops.freeActivation(g.ids[u] as string))) return false;
    }
    return true;
  }

  /** Explores every move in the gap before step `gap.next`. */
  private gap(state: RunState, gap: Gap): void {
    this.visit();
    if (this.lowerBound(state, gap.next) >= this.best) return;
    if (gap.offloading) {
      for (const u of this.offloadCandidates(state, gap)) this.offload(state, gap, u);
      this.movesAfterOffloads(state, { ...gap, offloading: false });
      return;
    }
    this.movesAfterOffloads(state, gap);
  }

  private movesAfterOffloads(state: RunState, gap: Gap): void {
    this.step(state, gap.next, gap.everAbsent, gap.awaitingRead);
    const { g } = this.order;
    for (let u = 0; u < g.size; u++) {
      if (this.canFree(state, gap, u)) this.free(state, gap, u);
      if (this.canPrefetch(state, gap, u)) this.prefetch(state, gap, u);
    }
  }

  /** Offloads allowed now: the activation just produced first, then (after it) any pending one. */
  private offloadCandidates(state: RunState, gap: Gap): number[] {
    const produced = gap.next - 1;
    const list: number[] = [];
    for (let u = gap.offloaded ? 0 : produced; u <= produced; u++) {
      if (this.order.g.offloadable[u] === 0 || state.resident[u] === 0) continue;
      if ((state.offloadIndex[u] as number) >= 0 || !this.absentLater(u, gap.next)) continue;
      list.push(u);
    }
    return list;
  }

  /** Whether `a:u` could still be absent at some step from `from` on and be read after it. */
  private absentLater(u: number, from: number): boolean {
    const last = this.order.lastUse[u] as number;
    for (let s = from; s < last; s++) if ((((this.readMask[s] as number) >>> u) & 1) === 0) return true;
    return false;
  }

  /** Whether some step after `after` reads `a:u`. */
  private readAfter(u: number, after: number): boolean {
    return (
      (this.order.lastUse[u] as number) > after &&
      (this.order.readSteps[u] as number[]).some((s) => s > after)
    );
  }

  private canFree(state: RunState, gap: Gap, u: number): boolean {
    if (state.resident[u] === 0 || (state.offloadIndex[u] as number) < 0) return false;
    if ((((this.readMask[gap.next] as number) >>> u) & 1) === 1 || !this.readAfter(u, gap.next)) return false;
    if (((gap.awaitingRead >>> u) & 1) === 1) return false;
    if (((gap.everAbsent >>> u) & 1) === 1 && ((gap.justRead >>> u) & 1) === 0) return false;
    const wait = Math.max(state.readyAt[u] as number, state.offloadEndAt[u] as number);
    if (gap.last === "P" && wait <= state.clock) return false;
    if (gap.last === "D" && (wait < gap.lastWait || (wait === gap.lastWait && u < gap.lastNode)))
      return false;
    return true;
  }

  private canPrefetch(state: RunState, gap: Gap, u: number): boolean {
    if (state.resident[u] === 1 || (state.offloadIndex[u] as number) < 0) return false;
    if (((gap.freedHere >>> u) & 1) === 1) return false;
    return this.readAfter(u, gap.next - 1);
  }

  private offload(parent: RunState, gap: Gap, u: number): void {
    const state = cloneState(parent, this.order);
    const mark = this.prefix.length;
    if (this.apply(state, ops.offload(this.order.g.ids[u] as string)))
      this.gap(state, { ...gap, offloaded: true, last: "O" });
    this.undo(mark);
  }

  private free(parent: RunState, gap: Gap, u: number): void {
    const state = cloneState(parent, this.order);
    const wait = Math.max(parent.readyAt[u] as number, parent.offloadEndAt[u] as number);
    const mark = this.prefix.length;
    if (this.apply(state, ops.freeActivation(this.order.g.ids[u] as string)))
      this.gap(state, {
        ...gap,
        offloading: false,
        last: "D",
        lastWait: wait,
        lastNode: u,
        freedHere: gap.freedHere | (1 << u),
        everAbsent: gap.everAbsent | (1 << u),
      });
    this.undo(mark);
  }

  private prefetch(parent: RunState, gap: Gap, u: number): void {
    const state = cloneState(parent, this.order);
    const mark = this.prefix.length;
    if (this.apply(state, ops.prefetch(this.order.g.ids[u] as string)))
      this.gap(state, { ...gap, offloading: false, last: "P", awaitingRead: gap.awaitingRead | (1 << u) });
    this.undo(mark);
  }

  /** Runs `instruction` on `state`; false when it is invalid or the peak passes the budget. */
  private apply(state: RunState, instruction: Instruction): boolean {
    try {
      runInstruction(state, instruction, this.prefix.length);
    } catch (caught) {
      if (caught instanceof Violation) return false;
      throw caught;
    }
    this.prefix.push(instruction);
    return state.peak <= this.budget;
  }

  private undo(mark: number): void {
    this.prefix.length = mark;
  }

  private finish(state: RunState): void {
    const makespan = Math.max(state.clock, state.deviceToHostFree, state.hostToDeviceFree);
    if (makespan < this.best) {
      this.best = makespan;
      this.bestSchedule = Object.freeze([...this.prefix]);
    }
  }

  /**
   * Whether every step from `next` on can still fit: from the boundary on no offload can start
   * (proof, rule 2), so an activation without a host copy stays until its last read, and at best every
   * one with a host copy is absent wherever no step reads it.
   */
  private fitsLater(state: RunState, next: number): boolean {
    if (next < this.order.forwardSteps) return true;
    const { g } = this.order;
    for (let s = next; s < this.order.steps.length; s++) {
      let during = this.order.storeAllDuring[s] as number;
      const read = this.readMask[s] as number;
      for (let u = 0; u < g.size; u++)
        if (
          (state.offloadIndex[u] as number) >= 0 &&
          (this.order.lastUse[u] as number) > s &&
          ((read >>> u) & 1) === 0
        )
          during -= g.bytes[u] as number;
      if (during > this.budget) return false;
    }
    return true;
  }

  /**
   * Whether a gap start at the same position with the same resident, host-copy, absent-once and
   * awaiting-read sets was seen with every time (clock, channels, copy ends, arrivals, each taken at
   * least at the clock) no later: then nothing reachable from here does better (proof, rule 7).
   * Otherwise records this one.
   */
  private dominated(state: RunState, next: number, everAbsent: number, awaiting: number): boolean {
    const { g } = this.order;
    let resident = 0;
    let host = 0;
    for (let u = 0; u < g.size; u++) {
      if (state.resident[u] === 1) resident |= 1 << u;
      if ((state.offloadIndex[u] as number) >= 0) host |= 1 << u;
    }
    const key = `${next}|${resident}|${host}|${everAbsent}|${awaiting}`;
    const clock = state.clock;
    const times = new Float64Array(3 + 2 * g.size);
    times[0] = clock;
    times[1] = Math.max(clock, state.deviceToHostFree);
    times[2] = Math.max(clock, state.hostToDeviceFree);
    for (let u = 0; u < g.size; u++) {
      times[3 + 2 * u] = Math.max(clock, state.offloadEndAt[u] as number);
      times[4 + 2 * u] = Math.max(clock, state.readyAt[u] as number);
    }
    const list = this.seen.get(key);
    if (list === undefined) {
      this.seen.set(key, [times]);
      return false;
    }
    for (const other of list) if (noLater(other, times)) return true;
    this.seen.set(
      key,
      list.filter((other) => !noLater(times, other)),
    );
    (this.seen.get(key) as Float64Array[]).push(times);
    return false;
  }

  private visit(): void {
    this.nodes++;
    if (this.nodes > this.maxNodes) throw new WorkSpent();
    if ((this.nodes & DEADLINE_MASK) === 0) this.deadline.check("the exhaustive offload search");
  }

  /**
   * The clock plus the compute still to run; and, since every absent activation still needs a prefetch
   * that starts after now (and after the prefetches in flight) and ends before its next reader, for the
   * absent ones in need order: the sum of their transfers up to each plus the compute from its reader
   * on (release times ignored, so it stays a bound whatever order the prefetches take).
   */
  private lowerBound(state: RunState, next: number): number {
    let bound = state.clock + (this.tail[next] as number);
    const { g } = this.order;
    const absent: [number, number][] = [];
    for (let u = 0; u < g.size; u++) {
      if (state.resident[u] === 1 || (state.offloadIndex[u] as number) < 0) continue;
      const reader = (this.order.readSteps[u] as number[]).find((s) => s >= next);
      if (reader !== undefined) absent.push([reader, u]);
    }
    absent.sort((a, b) => a[0] - b[0]);
    let channel = Math.max(state.clock, state.hostToDeviceFree);
    for (const [reader, u] of absent) {
      channel += this.order.transferMs[u] as number;
      bound = Math.max(bound, channel + (this.tail[reader] as number));
    }
    return Math.max(bound, chainWaits(this.order, this.fluid, next, state.clock, this.tail));
  }
}

/** Whether every time of `a` is at most the same time of `b`. */
function noLater(a: Float64Array, b: Float64Array): boolean {
  for (let k = 0; k < a.length; k++) if ((a[k] as number) > (b[k] as number)) return false;
  return true;
}

/** A copy of the evaluator's run state (every field `runInstruction` reads or writes). */
function cloneState(s: RunState, order: OffloadOrder): RunState {
  const copy = new RunState(order.g, order.instance, 0, {});
  copy.resident.set(s.resident);
  copy.readyAt.set(s.readyAt);
  copy.offloadEndAt.set(s.offloadEndAt);
  copy.offloadIndex.set(s.offloadIndex);
  copy.gradState.set(s.gradState);
  copy.tape.set(s.tape);
  copy.backwardDone.set(s.backwardDone);
  copy.forwardCount.set(s.forwardCount);
  copy.pendingConsumers.set(s.pendingConsumers);
  copy.memory = s.memory;
  copy.peak = s.peak;
  copy.clock = s.clock;
  copy.computeMs = s.computeMs;
  copy.stallMs = s.stallMs;
  copy.deviceToHostFree = s.deviceToHostFree;
  copy.hostToDeviceFree = s.hostToDeviceFree;
  copy.recomputations = s.recomputations;
  copy.transfers = s.transfers;
  return copy;
}
