/**
 * A peak lower bound that holds for every valid schedule, transfers and recomputation included
 * (proofs/graph-offload.md, "The memory bound"): each node's forward must run once with its tape when
 * it has one (its backward reads the tape), with every input resident, allocating its output and tape
 * and holding its forward workspace; each non-source node's backward must run once with `g_v` resident
 * (but for the loss), what `needs` names resident, its tape and its backward workspace. A transfer
 * never makes a tensor usable without its bytes on the device, so no schedule peaks below the largest
 * of these step needs plus `fixedBytes`. O(n + m).
 */
import { graphOf } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";
import type { Bound } from "../../src/optimality.js";

/** How the bound is proven. */
export const STEP_BOUND = "largest single step's resident need, proofs/graph-offload.md";

/** The largest single step's need, fixedBytes included, bytes. */
export function stepLowerBound(instance: Instance): number {
  const g = graphOf(instance);
  let largest = 0;
  for (let v = 0; v < g.size; v++) {
    const inputs = [...new Set(g.inputs[v] as readonly number[])];
    const inputBytes = inputs.reduce((sum, u) => sum + (g.bytes[u] as number), 0);
    const tape = g.tapeBytes[v] as number;
    const forward = inputBytes + (g.bytes[v] as number) + tape + (g.fwdTemp[v] as number);
    largest = Math.max(largest, forward);
    if (g.isSource[v] === 1) continue;
    const gradient = v === g.loss ? 0 : (g.gradBytes[v] as number);
    const read =
      (g.needsInputs[v] === 1 ? inputBytes : 0) + (g.needsOutput[v] === 1 ? (g.bytes[v] as number) : 0);
    largest = Math.max(largest, gradient + read + tape + (g.bwdTemp[v] as number));
  }
  return instance.fixedBytes + largest;
}

/** {@link stepLowerBound} as a memory bound over all schedules. */
export function stepBound(instance: Instance): Bound {
  return { value: stepLowerBound(instance), over: "all", method: STEP_BOUND };
}
