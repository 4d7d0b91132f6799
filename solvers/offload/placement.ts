/**
 * The timing routine shared by every offload solver (issue 11, item 6): given the set S of activations
 * to offload and a budget, place `O`, `D` and `P` around store-all's compute order (order.ts) so that
 * the schedule fits and stalls as little as possible.
 *
 * It searches the class C(S) of proofs/offload-timing.md: every activation of S is offloaded right
 * after its forward (so the device-to-host channel runs them in production order), freed once in the
 * forward pass (at or after its last forward read, at the latest between the passes) and, when a
 * backward step reads it, prefetched once in the backward pass, the prefetches issued in need order;
 * everything else is freed where store-all frees it.
 *
 * Guarantee (proved in proofs/offload-timing.md, checked against exhaustive placement over C(S) in
 * test/offload/placement.test.ts): it returns a schedule exactly when some member of C(S) fits the
 * budget, and then one of least makespan in C(S). It is NOT optimal over every placement of S (other
 * channel orders, prefetches in the forward pass, several absences per activation can be faster;
 * offload-exhaustive searches those), nor over the choice of S (the solvers choose it).
 *
 * Forward pass: lazy frees. Before each forward, free (waiting for their copies if need be) the fewest
 * earliest-copied activations of S that make it fit, and every other one whose copy has already ended.
 * Backward pass: in need order, each prefetch at the earliest gap from which memory allows it until its
 * last reader. O(K * |S|) for K compute steps; the times come from the evaluator's own run state.
 */
import { InternalError } from "../../src/errors.js";
import { evaluate, type ValidEvaluation } from "../../src/evaluate/evaluate.js";
import { runInstruction } from "../../src/evaluate/handlers.js";
import { RunState, Violation } from "../../src/evaluate/run-state.js";
import { type Instruction, ops, type Schedule } from "../../src/schedule/types.js";
import { setLeastPeak } from "./least-peak.js";
import type { OffloadOrder } from "./order.js";

/** What the routine returns: a schedule within the budget, or the least peak C(S) can reach. */
export type Placement =
  | {
      readonly fits: true;
      readonly schedule: Schedule;
      readonly evaluation: ValidEvaluation;
    }
  | {
      readonly fits: false;
      /** The least peak of any member of C(S), bytes (above the budget). */
      readonly leastPeakBytes: number;
    };

/**
 * Places the offloads of `offloaded` (node indices; duplicates ignored) within `budgetBytes`.
 * @throws InternalError when a node of S is not offloadable, the instance has no link, or the schedule
 *   built is invalid or above the budget (a bug)
 */
export function placeOffloads(
  order: OffloadOrder,
  offloaded: Iterable<number>,
  budgetBytes: number,
): Placement {
  const set = [...new Set(offloaded)].sort((a, b) => a - b);
  checkSet(order, set);
  const leastPeakBytes = setLeastPeak(order, set);
  if (leastPeakBytes > budgetBytes) return { fits: false, leastPeakBytes };
  const forward = forwardPass(order, set, budgetBytes);
  const prefetchGaps = backwardGaps(order, set, budgetBytes);
  if (forward === undefined || prefetchGaps === undefined)
    throw new InternalError("placeOffloads: C(S) fits by its least peak but a pass found no room");
  const schedule = Object.freeze([...forward, ...backwardPass(order, set, prefetchGaps)]);
  const evaluation = evaluate(order.instance, schedule);
  if (!evaluation.valid)
    throw new InternalError(`placeOffloads built an invalid schedule: ${evaluation.error.reason}`);
  if (evaluation.peakBytes > budgetBytes)
    throw new InternalError(`placeOffloads: peak ${evaluation.peakBytes} above the budget ${budgetBytes}`);
  return { fits: true, schedule, evaluation };
}

function checkSet(order: OffloadOrder, set: readonly number[]): void {
  if (set.length > 0 && !order.hasLink)
    throw new InternalError("placeOffloads: the instance has no link to offload over");
  for (const u of set)
    if (!(u >= 0 && u < order.g.size) || order.g.offloadable[u] === 0)
      throw new InternalError(`placeOffloads: node ${u} cannot be offloaded`);
}

/** The evaluator's run state, fed one instruction at a time, keeping the instructions. */
class Runner {
  readonly state: RunState;
  readonly out: Instruction[] = [];

  constructor(order: OffloadOrder) {
    this.state = new RunState(order.g, order.instance, 0, {});
  }

  run(instruction: Instruction): void {
    try {
      runInstruction(this.state, instruction, this.out.length);
    } catch (caught) {
      if (caught instanceof Violation) throw new InternalError(`placeOffloads: ${caught.reason}`);
      throw caught;
    }
    this.out.push(instruction);
  }
}

/**
 * The forward pass with lazy frees, up to the boundary gap (all of S freed there); undefined when a
 * forward does not fit even with every freeable activation of S freed.
 */
function forwardPass(order: OffloadOrder, set: readonly number[], budget: number): Instruction[] | undefined {
  const { g } = order;
  const inSet = new Uint8Array(g.size);
  for (const u of set) inSet[u] = 1;
  const runner = new Runner(order);
  const pending: number[] = []; // offloaded, not yet freed, in production (= copy) order
  for (let j = 0; j < order.forwardSteps; j++) {
    if (!freeBefore(order, runner, pending, j, budget)) return undefined;
    const id = g.ids[j] as string;
    runner.run(ops.forward(id, true));
    if (inSet[j] === 1) {
      runner.run(ops.offload(id));
      pending.push(j);
    }
    for (const u of frees(order, j)) if (inSet[u] === 0) runner.run(ops.freeActivation(g.ids[u] as string));
  }
  for (const u of pending) runner.run(ops.freeActivation(g.ids[u] as string));
  return runner.out;
}

/** Activations store-all frees right after step `step` (their last use), ascending. */
function frees(order: OffloadOrder, step: number): number[] {
  const list: number[] = [];
  const reads = order.reads[step] as readonly number[];
  const node = (order.steps[step] as { node: number }).node;
  for (const u of [...reads, node]) if (order.lastUse[u] === step && !list.includes(u)) list.push(u);
  return list.sort((a, b) => a - b);
}

/**
 * Lazy frees in the gap before forward `j`: the least copy-end time `t` at which the freeable
 * activations of S copied by `t` make room, then every freeable one copied by max(clock, t).
 * Returns false when even all of them do not make room.
 */
function freeBefore(
  order: OffloadOrder,
  runner: Runner,
  pending: number[],
  j: number,
  budget: number,
): boolean {
  const { g } = order;
  const s = runner.state;
  const need =
    s.memory + (g.bytes[j] as number) + (g.tapeBytes[j] as number) + (g.fwdTemp[j] as number) - budget;
  let threshold = s.clock;
  if (need > 0) {
    let freed = 0;
    for (const u of pending) {
      if ((order.lastForwardRead[u] as number) >= j) continue;
      freed += g.bytes[u] as number;
      threshold = Math.max(threshold, s.offloadEndAt[u] as number);
      if (freed >= need) break;
    }
    if (freed < need) return false;
  }
  for (let k = 0; k < pending.length; k++) {
    const u = pending[k] as number;
    if ((order.lastForwardRead[u] as number) >= j || (s.offloadEndAt[u] as number) > threshold) continue;
    runner.run(ops.freeActivation(g.ids[u] as string));
    pending.splice(k, 1);
    k--;
  }
  return true;
}

/**
 * The gap of each prefetch (index into `set`'s need order), in need order: each at the earliest gap at
 * or after the previous one from which it fits in memory through its last reader. Undefined when one
 * cannot be placed before its first reader.
 */
function backwardGaps(
  order: OffloadOrder,
  set: readonly number[],
  budget: number,
): Map<number, number> | undefined {
  const { g, forwardSteps: n } = order;
  const K = order.steps.length;
  const slack = new Float64Array(K);
  const diff = new Float64Array(K + 1);
  for (const u of set) {
    const last = order.lastUse[u] as number;
    if (last >= n) {
      diff[n] = (diff[n] as number) + (g.bytes[u] as number);
      diff[last + 1] = (diff[last + 1] as number) - (g.bytes[u] as number);
    }
  }
  let running = 0;
  for (let s = n; s < K; s++) {
    running += diff[s] as number;
    slack[s] = budget - ((order.storeAllDuring[s] as number) - running);
  }
  const gaps = new Map<number, number>();
  let previous = n - 1;
  for (const u of needOrder(order, set)) {
    const bytes = g.bytes[u] as number;
    const first = order.firstBackwardRead[u] as number;
    const last = order.lastUse[u] as number;
    let bad = -1;
    for (let s = last; s >= n && bad === -1; s--) if ((slack[s] as number) < bytes) bad = s;
    if (bad >= first) return undefined;
    const gap = Math.max(previous, bad);
    for (let s = gap + 1; s <= last; s++) slack[s] = (slack[s] as number) - bytes;
    gaps.set(u, gap);
    previous = gap;
  }
  return gaps;
}

/** The activations of S that a backward step reads, by first backward read, ties by index. */
export function needOrder(order: OffloadOrder, set: readonly number[]): number[] {
  return set
    .filter((u) => (order.firstBackwardRead[u] as number) >= 0)
    .sort((a, b) => (order.firstBackwardRead[a] as number) - (order.firstBackwardRead[b] as number) || a - b);
}

/** The backward pass: the boundary gap's prefetches, then each step, its frees and its gap's prefetches. */
function backwardPass(order: OffloadOrder, set: readonly number[], gaps: Map<number, number>): Instruction[] {
  const { g, forwardSteps: n } = order;
  const byGap = new Map<number, number[]>();
  for (const u of needOrder(order, set)) {
    const gap = gaps.get(u) as number;
    byGap.set(gap, [...(byGap.get(gap) ?? []), u]);
  }
  const out: Instruction[] = [];
  const prefetch = (gap: number) => {
    for (const u of byGap.get(gap) ?? []) out.push(ops.prefetch(g.ids[u] as string));
  };
  prefetch(n - 1);
  for (let s = n; s < order.steps.length; s++) {
    out.push(ops.backward(g.ids[(order.steps[s] as { node: number }).node] as string));
    for (const u of frees(order, s)) out.push(ops.freeActivation(g.ids[u] as string));
    prefetch(s);
  }
  return out;
}
