/**
 * A makespan lower bound that holds for every complete schedule: each non-source node runs its
 * backward once, and every node whose activation some backward reads (or that is needed to compute
 * one) runs its forward at least once. Transfers only add stalls.
 */
import { graphOf } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";

/** Sum of all backward times plus the forward times of the nodes some backward depends on, ms. */
export function makespanLowerBound(instance: Instance): number {
  const g = graphOf(instance);
  const required = new Uint8Array(g.size);
  const stack: number[] = [];
  const require = (v: number) => {
    if (required[v] === 0) {
      required[v] = 1;
      stack.push(v);
    }
  };
  for (let v = 0; v < g.size; v++) {
    if (g.isSource[v] === 1) continue;
    if (g.needsOutput[v] === 1 || (g.tapeBytes[v] as number) > 0) require(v);
    if (g.needsInputs[v] === 1) for (const u of g.inputs[v] as number[]) require(u);
  }
  while (stack.length > 0) for (const u of g.inputs[stack.pop() as number] as number[]) require(u);
  let total = 0;
  for (let v = 0; v < g.size; v++) {
    if (g.isSource[v] === 0) total += g.bwd[v] as number;
    if (required[v] === 1) total += g.fwd[v] as number;
  }
  return total;
}
