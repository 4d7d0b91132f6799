/**
 * Lower bounds on the step time of every plan of a pipeline problem (proofs/pipeline-model.md,
 * "Bounds"), whatever the partition, the stage schedules (recomputation only adds work) and the link.
 * With W = sum of forward and backward times and B(a) = sum_{k<a} (fwd_k + bwd_k):
 * - work: m W / P (the devices together run every node's forward and backward per micro-batch);
 * - latency: W (micro-batch 0's forwards in order, then its backwards);
 * - partition: min over contiguous partitions into at most P stages of the largest
 *   B(a) + m sum_{a..e} (fwd + bwd) over its stages [a, e]: the device of a stage runs its m forwards
 *   and backwards one at a time, none before micro-batch 0 has crossed the nodes before a, and the
 *   last one's gradient must still cross them back. Every plan has some partition, so the minimum
 *   bounds them all; it is at least each node's own B(l) + m (fwd_l + bwd_l) over the nodes alone.
 * The bound is the largest of the three. O(P L^2).
 */
import type { PipelineBound, PipelineProblem } from "./types.js";

/** The step-time lower bound of `problem`. */
export function stepLowerBound(problem: PipelineProblem): PipelineBound {
  const { nodes } = problem.instance;
  const m = problem.microbatches;
  const work = nodes.reduce((sum, node) => sum + node.fwd + node.bwd, 0);
  const share = (m * work) / problem.devices;
  const partition = partitionBound(problem);
  const valueMs = Math.max(share, work, partition);
  const which =
    valueMs === partition
      ? "the least over partitions of a stage's m forwards and backwards after the nodes before it"
      : valueMs === share
        ? "m W / P (total work over the devices)"
        : "one micro-batch's latency W";
  return { valueMs, method: `${which}, proofs/pipeline-model.md "Bounds"` };
}

/** min over partitions of nodes 1..L (node 0 with stage 0) into at most P stages of max_s B(a_s) + m W(a_s..e_s). */
function partitionBound(problem: PipelineProblem): number {
  const { nodes } = problem.instance;
  const L = nodes.length - 1;
  const m = problem.microbatches;
  const prefix = new Float64Array(L + 2);
  for (let v = 0; v <= L; v++)
    prefix[v + 1] = (prefix[v] as number) + (nodes[v]?.fwd ?? 0) + (nodes[v]?.bwd ?? 0);
  // stage [a, e] (a >= 1; stage 0 also holds node 0, whose times are 0 or counted in B(1))
  const cost = (a: number, e: number) =>
    (a === 1 ? 0 : (prefix[a] as number)) +
    m * ((prefix[e + 1] as number) - (prefix[a === 1 ? 0 : a] as number));
  let row = Float64Array.from({ length: L + 1 }, (_, e) => (e === 0 ? 0 : cost(1, e)));
  let best = row[L] as number;
  for (let s = 1; s < Math.min(problem.devices, L); s++) {
    const next = new Float64Array(L + 1).fill(Number.POSITIVE_INFINITY);
    for (let e = s + 1; e <= L; e++)
      for (let a = s + 1; a <= e; a++)
        next[e] = Math.min(next[e] as number, Math.max(row[a - 1] as number, cost(a, e)));
    row = next;
    best = Math.min(best, row[L] as number);
  }
  return best;
}
