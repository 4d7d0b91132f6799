/**
 * Lower bounds that hold for every valid schedule, derived from the cost model's rules alone
 * (proofs/cost-model.md, "Lower bounds"). `solve` recomputes them to check any certificate that cites them.
 */
import { graphOf } from "../instance/graph.js";
import type { Instance } from "../instance/types.js";
import type { Bound } from "../optimality.js";

/** The name certificates and bounds use for {@link makespanLowerBound}. */
export const SUM_OF_TIMES = "sum of forward and backward times, proofs/cost-model.md";

/**
 * Sum of all forward times plus the backward times of the non-source nodes, ms: each non-source node runs
 * its backward exactly once, and `B loss` needs the loss computed, hence every node (all are ancestors of
 * the loss) runs its forward at least once; transfers only add stalls. O(n).
 */
export function makespanLowerBound(instance: Instance): number {
  const g = graphOf(instance);
  let total = 0;
  for (let v = 0; v < g.size; v++) {
    total += g.fwd[v] as number;
    if (g.isSource[v] === 0) total += g.bwd[v] as number;
  }
  return total;
}

/** {@link makespanLowerBound} as a bound over all schedules. */
export function sumOfTimesBound(instance: Instance): Bound {
  return { value: makespanLowerBound(instance), over: "all", method: SUM_OF_TIMES };
}
