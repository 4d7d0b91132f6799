/**
 * Lower bounds on the step time of every plan of a pipeline problem (proofs/pipeline-model.md,
 * "Bounds"), whatever the partition, the stage schedules (recomputation only adds work) and the link.
 * With W = sum of forward and backward times and B(a) = sum_{k<a} (fwd_k + bwd_k):
 * - work: m W / P (the devices together run every node's forward and backward per micro-batch);
 * - latency: W (micro-batch 0's forwards in order, then its backwards);
 * - partition: min over contiguous partitions of the units (units.ts) into at most P stages of the
 *   largest B(a) + m sum_{a..e} (fwd + bwd) over its stages [a, e], B(a) the work of the units before
 *   a: the device of a stage runs its m forwards and backwards one at a time, none before micro-batch
 *   0 has crossed the units before a (every node there is an ancestor of the cut a reads), and the
 *   last one's gradient must still cross them back. Every plan has some partition, so the minimum
 *   bounds them all; it is at least each unit's own B(l) + m (fwd_l + bwd_l) over the units alone.
 * The bound is the largest of the three. O(P K^2) for K units.
 */
import type { PipelineBound, PipelineProblem } from "./types.js";
import { pipelineUnits, unitWeights } from "./units.js";

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

/** min over partitions of units 1..K into at most P stages of max_s B(a_s) + m W(a_s..e_s). */
function partitionBound(problem: PipelineProblem): number {
  const { instance } = problem;
  const units = pipelineUnits(instance);
  const K = units.count;
  const m = problem.microbatches;
  const work = unitWeights(
    instance,
    units,
    (v) => (instance.nodes[v]?.fwd ?? 0) + (instance.nodes[v]?.bwd ?? 0),
  );
  const prefix = new Float64Array(K + 1);
  for (let u = 1; u <= K; u++) prefix[u] = (prefix[u - 1] as number) + (work[u] as number);
  // stage of units [a, e]: B(a) = prefix[a - 1], its own work prefix[e] - prefix[a - 1]
  const cost = (a: number, e: number) =>
    (prefix[a - 1] as number) + m * ((prefix[e] as number) - (prefix[a - 1] as number));
  let row = Float64Array.from({ length: K + 1 }, (_, e) => (e === 0 ? 0 : cost(1, e)));
  let best = row[K] as number;
  for (let s = 1; s < Math.min(problem.devices, K); s++) {
    const next = new Float64Array(K + 1).fill(Number.POSITIVE_INFINITY);
    for (let e = s + 1; e <= K; e++)
      for (let a = s + 1; a <= e; a++)
        next[e] = Math.min(next[e] as number, Math.max(row[a - 1] as number, cost(a, e)));
    row = next;
    best = Math.min(best, row[K] as number);
  }
  return best;
}
