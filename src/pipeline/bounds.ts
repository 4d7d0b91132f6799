/**
 * Lower bounds on the step time of every plan of a pipeline problem (proofs/pipeline-model.md,
 * "Bounds"), whatever the partition, the stage schedules (recomputation only adds work) and the link:
 * - work: every micro-batch runs every node's forward and backward once at least, on P devices:
 *   m * W / P, with W the sum of forward and backward times;
 * - latency: micro-batch 0's forward runs through every node in order and its backward back: W;
 * - node `l` (the device holding it runs its m forwards and backwards one at a time): its work
 *   m * (fwd_l + bwd_l) cannot start before micro-batch 0's forward has crossed the nodes before it
 *   and its last backward must still cross them back: sum_{k<l} (fwd_k + bwd_k) + m (fwd_l + bwd_l).
 * The bound is the largest of them. O(L).
 */
import type { PipelineBound, PipelineProblem } from "./types.js";

/** The step-time lower bound of `problem`. */
export function stepLowerBound(problem: PipelineProblem): PipelineBound {
  const { nodes } = problem.instance;
  const m = problem.microbatches;
  const work = nodes.reduce((sum, node) => sum + node.fwd + node.bwd, 0);
  let before = 0;
  let node = 0;
  for (const { fwd, bwd } of nodes) {
    node = Math.max(node, before + m * (fwd + bwd));
    before += fwd + bwd;
  }
  const share = (m * work) / problem.devices;
  const valueMs = Math.max(share, work, node);
  const which =
    valueMs === share
      ? "m W / P (total work over the devices)"
      : valueMs === node
        ? "one node's m forwards and backwards after the nodes before it"
        : "one micro-batch's latency W";
  return { valueMs, method: `${which}, proofs/pipeline-model.md "Bounds"` };
}
