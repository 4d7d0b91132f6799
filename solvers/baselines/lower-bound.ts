/**
 * A makespan lower bound that holds for every complete schedule: each non-source node runs its
 * backward once, and `B loss` needs the loss computed, hence every node (all are ancestors of the
 * loss) runs its forward at least once. Transfers only add stalls.
 */
import { graphOf } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";

/** Sum of all forward times plus the backward times of the non-source nodes, ms. */
export function makespanLowerBound(instance: Instance): number {
  const g = graphOf(instance);
  let total = 0;
  for (let v = 0; v < g.size; v++) {
    total += g.fwd[v] as number;
    if (g.isSource[v] === 0) total += g.bwd[v] as number;
  }
  return total;
}
