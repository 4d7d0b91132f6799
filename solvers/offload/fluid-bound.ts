/**
 * The fluid relaxation of the offload problem and the lower bound it proves (proofs/offload-relaxations.md,
 * "Fluid bound"): at every step whose store-all memory is above the budget, the excess must be absent, and
 * every absent byte must have been copied out before the step (the device-to-host link moves data at
 * its rate once produced) and must be copied back after it, before its next reader (the host-to-device
 * link, in need order). Each link is solved greedily as a fluid: data flows at full rate as soon as it is
 * available (latency charged per byte at the best rate any candidate has). The bound chains the
 * per-step waits through the compute order. O(K n log n) for K steps and n nodes.
 */
import type { OffloadOrder } from "./order.js";

/** What the fluid relaxation says about one instance and budget. */
export interface FluidBound {
  /** Lower bound on the makespan of every offload schedule within the budget, ms (Infinity: none fits). */
  readonly boundMs: number;
  /** Bytes that must be absent at each step (0 where store-all fits). */
  readonly need: Float64Array;
  /** Per step with a need: the earliest it can start (the device-to-host fluid), ms; 0 elsewhere. */
  readonly startAtLeast: Float64Array;
  /** Per step with a need: the least time from its end to the makespan (the host-to-device fluid), ms. */
  readonly afterAtLeast: Float64Array;
}

/** The method string bounds cite. */
export const FLUID_BOUND = "fluid relaxation of both links, proofs/offload-relaxations.md";

/**
 * The activations that may be absent at step `j` in some offload schedule: offloadable, held by
 * store-all at `j`, neither read nor produced by `j`, of positive size.
 */
export function candidatesAt(order: OffloadOrder, j: number): number[] {
  const { g, reads } = order;
  const read = reads[j] as readonly number[];
  const list: number[] = [];
  const produced = Math.min(j, order.forwardSteps);
  for (let u = 0; u < produced; u++)
    if (
      g.offloadable[u] === 1 &&
      (g.bytes[u] as number) > 0 &&
      (order.lastUse[u] as number) > j &&
      !read.includes(u)
    )
      list.push(u);
  return list;
}

/** Least time to move `need` bytes of `items` (release time, bytes) through a fluid link at `msPerByte`. */
export function fluidTime(items: [number, number][], need: number, msPerByte: number): number {
  items.sort((a, b) => a[0] - b[0]);
  let cursor = 0;
  let moved = 0;
  for (const [release, bytes] of items) {
    const start = Math.max(cursor, release);
    if (moved + bytes >= need) return start + msPerByte * (need - moved);
    moved += bytes;
    cursor = start + msPerByte * bytes;
  }
  return Number.POSITIVE_INFINITY;
}

/** The fluid bound of `order`'s instance at `budgetBytes` (the order must have a link for offloads). */
export function fluidBound(order: OffloadOrder, budgetBytes: number): FluidBound {
  const K = order.steps.length;
  const need = Float64Array.from(order.storeAllDuring, (during) => Math.max(0, during - budgetBytes));
  const { ends, tail } = noStallTimes(order);
  const startAtLeast = new Float64Array(K);
  const afterAtLeast = new Float64Array(K);
  for (let j = 0; j < K; j++) {
    if ((need[j] as number) <= 0) continue;
    const waits = linkWaits(order, j, need[j] as number, ends, tail);
    startAtLeast[j] = waits.before;
    afterAtLeast[j] = waits.after;
  }
  const result = { need, startAtLeast, afterAtLeast };
  return { ...result, boundMs: chainWaits(order, result, 0, 0, tail) };
}

/**
 * Chains the per-step waits from step `next` started at `clock`: each step starts no earlier than the
 * previous one's end nor than its fluid start, and a step with a need leaves at least its fluid time
 * (and its remaining compute) after it. A lower bound on the makespan of every completion.
 * @param tail compute time from each step to the end (index K: 0)
 */
export function chainWaits(
  order: OffloadOrder,
  waits: Pick<FluidBound, "need" | "startAtLeast" | "afterAtLeast">,
  next: number,
  clock: number,
  tail: Float64Array,
): number {
  const K = order.steps.length;
  let start = clock;
  let bound = clock + (tail[next] as number);
  for (let s = next; s < K; s++) {
    if (s > next) start += order.durations[s - 1] as number;
    if ((waits.need[s] as number) <= 0) continue;
    start = Math.max(start, waits.startAtLeast[s] as number);
    const after = Math.max(waits.afterAtLeast[s] as number, tail[s + 1] as number);
    bound = Math.max(bound, start + (order.durations[s] as number) + after);
  }
  return bound;
}

/** No-stall end of each forward (when its output is released) and compute time from step s to the end. */
function noStallTimes(order: OffloadOrder): { ends: Float64Array; tail: Float64Array } {
  const K = order.steps.length;
  const ends = new Float64Array(K);
  let clock = 0;
  for (let s = 0; s < K; s++) {
    clock += order.durations[s] as number;
    ends[s] = clock;
  }
  const tail = new Float64Array(K + 1);
  for (let s = K - 1; s >= 0; s--) tail[s] = (tail[s + 1] as number) + (order.durations[s] as number);
  return { ends, tail };
}

/**
 * At step `j`: the earliest the device-to-host fluid can have moved `need` bytes of candidates out
 * (`before`, an absolute time) and the least time after the step the host-to-device fluid needs to bring
 * `need` bytes back before their next readers (`after`, counted back from the end).
 */
function linkWaits(
  order: OffloadOrder,
  j: number,
  need: number,
  ends: Float64Array,
  tail: Float64Array,
): { before: number; after: number } {
  const { g } = order;
  const candidates = candidatesAt(order, j);
  let largest = 0;
  for (const u of candidates) largest = Math.max(largest, g.bytes[u] as number);
  const hardware = order.instance.hardware;
  if (candidates.length === 0 || hardware === undefined)
    return { before: Number.POSITIVE_INFINITY, after: 0 };
  const msPerByte = 1 / hardware.bandwidth + hardware.latency / largest;
  const out = candidates.map((u): [number, number] => [ends[u] as number, g.bytes[u] as number]);
  const back = candidates.map((u): [number, number] => [
    tail[nextRead(order, u, j)] as number,
    g.bytes[u] as number,
  ]);
  return { before: fluidTime(out, need, msPerByte), after: fluidTime(back, need, msPerByte) };
}

/** The first step after `j` reading a:u (one exists for a candidate). */
function nextRead(order: OffloadOrder, u: number, j: number): number {
  for (const s of order.readSteps[u] as readonly number[]) if (s > j) return s;
  return order.steps.length;
}
