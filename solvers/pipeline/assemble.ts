/**
 * A plan from a partition (proofs/pipeline-dp.md, "Stage costs"): each stage gets the best option of
 * its menu for its in-flight count (src/pipeline/order.ts, `inFlightCount`). Shared by pipeline-dp and
 * the baselines, so they differ only in how they cut the chain. O(S) menu look-ups.
 */
import { inFlightCount } from "../../src/pipeline/order.js";
import { transferMs } from "../../src/pipeline/simulate.js";
import type { PipelinePlan, PipelineProblem } from "../../src/pipeline/types.js";
import type { StageMenu } from "./stage-menu.js";

/** A contiguous partition: `ends[s]` is the last node of stage s (the last one is the loss). */
export type Partition = readonly number[];

/** The plan of `ends`, or the first stage that no option fits. */
export function assemble(
  problem: PipelineProblem,
  menu: StageMenu,
  ends: Partition,
):
  | { readonly plan: PipelinePlan }
  | { readonly stage: number; readonly first: number; readonly last: number } {
  const stages = [];
  let first = 1;
  for (let s = 0; s < ends.length; s++) {
    const last = ends[s] as number;
    const k = inFlightCount(problem.schedule, s, ends.length, problem.microbatches);
    const option = menu.bestFor(first, last, k);
    if (option === null) return { stage: s, first, last };
    stages.push({ first, last, schedule: option.schedule });
    first = last + 1;
  }
  return { plan: { stages } };
}

/** The link's busy time per micro-batch after node `e`, each direction: max of the two transfers, ms. */
export function linkPeriodMs(problem: PipelineProblem, e: number): number {
  const node = problem.instance.nodes[e];
  if (node === undefined) return 0;
  return Math.max(transferMs(problem.link, node.bytes), transferMs(problem.link, node.gradBytes));
}

/** Both transfers across the cut after node `e` (one micro-batch's latency pays both), ms. */
export function linkLatencyMs(problem: PipelineProblem, e: number): number {
  const node = problem.instance.nodes[e];
  if (node === undefined) return 0;
  return transferMs(problem.link, node.bytes) + transferMs(problem.link, node.gradBytes);
}
