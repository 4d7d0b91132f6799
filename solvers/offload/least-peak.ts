/**
 * Least peaks of offload schedules, from store-all's memory alone (proofs/offload-timing.md, "Least
 * peaks"): every step must hold what it reads and produces, the tapes, the gradients and every
 * activation that cannot leave the device; an offloaded activation may be absent at any other step
 * between its production and its last read. O(K + sum of reads) for K compute steps.
 */
import { type Instruction, ops, type Schedule } from "../../src/schedule/types.js";
import type { OffloadOrder } from "./order.js";

/**
 * The least peak over the whole `offload` class, bytes: each offloadable activation absent at every
 * step of its lifetime that does not read it (offloaded once, prefetched before each reader). It is
 * reached (slowly) within the class, and no schedule of the class peaks lower. Without a link it is
 * store-all's peak.
 */
export function classLeastPeak(order: OffloadOrder): number {
  const { g, readSteps, lastUse, storeAllDuring } = order;
  if (!order.hasLink) return maxOf(storeAllDuring);
  const saved = new Float64Array(storeAllDuring.length + 1);
  for (let u = 0; u < g.size; u++) {
    if (g.offloadable[u] === 0) continue;
    const bytes = g.bytes[u] as number;
    let from = u + 1; // absent from the step after its production ...
    for (const s of readSteps[u] as readonly number[]) {
      if (s < from) continue;
      addRange(saved, from, s - 1, bytes); // ... up to each reader, present at the reader
      from = s + 1;
    }
    addRange(saved, from, lastUse[u] as number, bytes);
  }
  return peakWithSavings(storeAllDuring, saved);
}

/**
 * The least peak of the routine's class C(S) for the offloaded set `offloaded` (placement.ts): each
 * activation of S absent from the step after its last forward read up to the step before its first
 * backward read. O(K + |S|).
 */
export function setLeastPeak(order: OffloadOrder, offloaded: readonly number[]): number {
  const { storeAllDuring } = order;
  const saved = new Float64Array(storeAllDuring.length + 1);
  for (const u of offloaded) {
    const last = absentUntil(order, u);
    addRange(saved, (order.lastForwardRead[u] as number) + 1, last, order.g.bytes[u] as number);
  }
  return peakWithSavings(storeAllDuring, saved);
}

/** The last step at which an activation of S may be absent in C(S): before its first backward read. */
export function absentUntil(order: OffloadOrder, u: number): number {
  const first = order.firstBackwardRead[u] as number;
  return first === -1 ? (order.lastUse[u] as number) : first - 1;
}

/** Adds `bytes` to the difference array over steps `from..to` (nothing when empty). */
function addRange(diff: Float64Array, from: number, to: number, bytes: number): void {
  if (from > to) return;
  diff[from] = (diff[from] as number) + bytes;
  diff[to + 1] = (diff[to + 1] as number) - bytes;
}

/** max over steps of store-all's memory minus the prefix sums of the savings. */
function peakWithSavings(during: Float64Array, diff: Float64Array): number {
  let running = 0;
  let peak = Number.NEGATIVE_INFINITY;
  for (let s = 0; s < during.length; s++) {
    running += diff[s] as number;
    peak = Math.max(peak, (during[s] as number) - running);
  }
  return peak;
}

function maxOf(values: Float64Array): number {
  let best = Number.NEGATIVE_INFINITY;
  for (const value of values) best = Math.max(best, value);
  return best;
}

/**
 * A schedule of the offload class reaching {@link classLeastPeak}: every offloadable activation that
 * can be absent is offloaded right after its forward, freed whenever the next step does not read it
 * (waiting for its copy) and prefetched right before each step that reads it; frees come before
 * prefetches in every gap. Slow, but the least peak there is; the fallback of every offload solver.
 */
export function leastPeakSchedule(order: OffloadOrder): Schedule {
  const { g, steps, reads } = order;
  const readers = reads.map((list) => new Set(list));
  const moved = new Uint8Array(g.size);
  for (let u = 0; u < g.size; u++)
    if (order.hasLink && g.offloadable[u] === 1 && canBeAbsent(order, readers, u)) moved[u] = 1;
  const resident = new Uint8Array(g.size);
  const out: Instruction[] = [];
  for (let s = 0; s < steps.length; s++) {
    const step = steps[s] as { backward: boolean; node: number };
    const id = g.ids[step.node] as string;
    out.push(step.backward ? ops.backward(id) : ops.forward(id, true));
    if (!step.backward) resident[step.node] = 1;
    if (!step.backward && moved[step.node] === 1) out.push(ops.offload(id));
    leastPeakGap(order, s, readers[s + 1] ?? new Set<number>(), moved, resident, out);
  }
  return Object.freeze(out);
}

/** The gap after step `s`: free what is done or not read next (if moved), then prefetch what is read next. */
function leastPeakGap(
  order: OffloadOrder,
  s: number,
  next: Set<number>,
  moved: Uint8Array,
  resident: Uint8Array,
  out: Instruction[],
): void {
  const { g } = order;
  for (let u = 0; u < g.size; u++) {
    if (resident[u] === 0) continue;
    if ((order.lastUse[u] as number) > s && (moved[u] === 0 || next.has(u))) continue;
    out.push(ops.freeActivation(g.ids[u] as string));
    resident[u] = 0;
  }
  for (const u of next) if (resident[u] === 0 && moved[u] === 1) out.push(ops.prefetch(g.ids[u] as string));
  for (const u of next) resident[u] = 1;
}

/** Whether some step between u's forward and its last read does not read it. */
function canBeAbsent(order: OffloadOrder, readers: readonly Set<number>[], u: number): boolean {
  for (let s = u + 1; s < (order.lastUse[u] as number); s++)
    if (!(readers[s] as Set<number>).has(u)) return true;
  return false;
}
