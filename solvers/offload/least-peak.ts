/**
 * Least peaks of offload schedules, from store-all's memory alone (proofs/offload-timing.md, "Least
 * peaks"): every step must hold what it reads and produces, the tapes, the gradients and every
 * activation that cannot leave the device; an offloaded activation may be absent at any other step
 * between its production and its last read. O(K + sum of reads) for K compute steps.
 */
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
