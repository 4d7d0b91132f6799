/**
 * Every member of the timing routine's class C(S) (proofs/offload-timing.md) for one offloaded set S,
 * built from the class's definition alone and judged by the evaluator: each activation of S freed in
 * any forward gap from its last forward read to the boundary, and prefetched in any gap from the
 * boundary to its first backward reader, prefetches in need order. The reference for the routine's claim.
 */

import { offloadOrder } from "../../solvers/offload/order.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import type { Instance } from "../../src/instance/types.js";
import { type Instruction, ops, type Schedule } from "../../src/schedule/types.js";

/** The least makespan over the members of C(S) peaking within `budget` (undefined when none), and how many there are. */
export function bestSetPlacement(
  instance: Instance,
  set: readonly number[],
  budget: number,
): { makespan: number | undefined; members: number } {
  const order = offloadOrder(instance);
  const n = order.forwardSteps;
  const sorted = [...set].sort((a, b) => a - b);
  const prefetched = sorted
    .filter((u) => (order.firstBackwardRead[u] as number) >= 0)
    .sort((a, b) => (order.firstBackwardRead[a] as number) - (order.firstBackwardRead[b] as number) || a - b);
  let best: number | undefined;
  let members = 0;
  for (const freeGaps of choices(
    sorted.map((u) => [order.lastForwardRead[u] as number, n - 1] as const),
    false,
  ))
    for (const prefetchGaps of choices(
      prefetched.map((u) => [n - 1, (order.firstBackwardRead[u] as number) - 1] as const),
      true,
    )) {
      members++;
      const schedule = build(instance, sorted, freeGaps, prefetched, prefetchGaps);
      const evaluation = evaluate(instance, schedule);
      if (!evaluation.valid) throw new Error(`C(S) member invalid: ${evaluation.error.reason}`);
      if (evaluation.peakBytes <= budget && (best === undefined || evaluation.makespanMs < best))
        best = evaluation.makespanMs;
    }
  return { makespan: best, members };
}

/** Every vector picking one value in each range [lo, hi]; `monotone` keeps them non-decreasing. */
function* choices(ranges: readonly (readonly [number, number])[], monotone: boolean): Generator<number[]> {
  const picked: number[] = [];
  const stack: number[] = [];
  if (ranges.length === 0) {
    yield [];
    return;
  }
  const start = (k: number) =>
    Math.max((ranges[k] as readonly [number, number])[0], monotone && k > 0 ? (picked[k - 1] as number) : 0);
  stack.push(start(0));
  while (stack.length > 0) {
    const k = stack.length - 1;
    const value = stack[k] as number;
    if (value > (ranges[k] as readonly [number, number])[1]) {
      stack.pop();
      picked.pop();
      if (stack.length > 0) stack[stack.length - 1] = (stack[stack.length - 1] as number) + 1;
      continue;
    }
    picked[k] = value;
    picked.length = k + 1;
    if (k === ranges.length - 1) {
      yield [...picked];
      stack[k] = value + 1;
    } else stack.push(start(k + 1));
  }
}

function build(
  instance: Instance,
  set: readonly number[],
  freeGaps: readonly number[],
  prefetched: readonly number[],
  prefetchGaps: readonly number[],
): Schedule {
  const order = offloadOrder(instance);
  const { g } = order;
  const id = (u: number) => g.ids[u] as string;
  const inSet = new Set(set);
  const out: Instruction[] = [];
  const storeAllFrees = (step: number, skipSet: boolean) => {
    for (let u = 0; u < g.size; u++)
      if (order.lastUse[u] === step && !(skipSet && inSet.has(u))) out.push(ops.freeActivation(id(u)));
  };
  const prefetchesAt = (gap: number) =>
    prefetched.forEach((u, k) => {
      if (prefetchGaps[k] === gap) out.push(ops.prefetch(id(u)));
    });
  for (let j = 0; j < order.forwardSteps; j++) {
    out.push(ops.forward(id(j), true));
    if (inSet.has(j)) out.push(ops.offload(id(j)));
    storeAllFrees(j, true);
    set.forEach((u, k) => {
      if (freeGaps[k] === j) out.push(ops.freeActivation(id(u)));
    });
  }
  prefetchesAt(order.forwardSteps - 1);
  for (let s = order.forwardSteps; s < order.steps.length; s++) {
    out.push(ops.backward(id((order.steps[s] as { node: number }).node)));
    storeAllFrees(s, false);
    prefetchesAt(s);
  }
  return out;
}
