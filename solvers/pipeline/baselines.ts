/**
 * The balancing baselines (torchgpipe's `balance_by_time` and `balance_by_size`, Kim et al. 2020; and
 * equal layer counts): each cuts the chain into S = min(P, L) stages by its own rule, then gives each
 * stage the best option of its menu for its in-flight count (assemble.ts), as pipeline-dp does, so the
 * comparison isolates the cut. `feasible` (or `optimal` when the step time meets the lower bound),
 * `infeasible` naming the first stage no option fits. O(S L^2) plus the stages' menus.
 */

import type { InstanceNode } from "../../src/instance/types.js";
import type {
  PipelineProblem,
  PipelineSolver,
  PipelineSolverAnswer,
  PipelineSolverOptions,
} from "../../src/pipeline/types.js";
import { nodeEnds, pipelineUnits, unitWeights } from "../../src/pipeline/units.js";
import { Deadline, TimeLimitReached } from "../../src/time-limit.js";
import { answerOf } from "./answer.js";
import { assemble, type Partition } from "./assemble.js";
import { minMaxPartition, uniformPartition } from "./balance.js";
import { menuFor } from "./menus.js";

/** A baseline solver cutting the units (src/pipeline/units.ts) with `cut`, which returns unit ends. */
function baseline(cut: (problem: PipelineProblem, stages: number) => Partition) {
  return (problem: PipelineProblem, options: PipelineSolverOptions): PipelineSolverAnswer => {
    const deadline = new Deadline(options.timeLimitSec);
    const menu = menuFor(problem, options, deadline);
    const units = pipelineUnits(problem.instance);
    const stages = Math.min(problem.devices, units.count);
    try {
      const built = assemble(problem, menu, nodeEnds(units, cut(problem, stages)));
      if ("plan" in built) return answerOf(problem, [built.plan], "", { chainDpSolves: menu.solves });
      return answerOf(
        problem,
        [],
        `stage ${built.stage} (nodes ${built.first}..${built.last}) has no schedule within ${problem.memoryBytes} bytes with its in-flight micro-batches`,
        { chainDpSolves: menu.solves },
      );
    } catch (error) {
      if (!(error instanceof TimeLimitReached)) throw error;
      return { ...answerOf(problem, [], "", {}), status: "timeout", reason: error.message };
    }
  };
}

/** Per unit (index 0 holds 0), the sum of `weight` over its nodes. */
function perUnit(problem: PipelineProblem, weight: (node: InstanceNode, v: number) => number): number[] {
  const { instance } = problem;
  return unitWeights(instance, pipelineUnits(instance), (v) => weight(instance.nodes[v] as InstanceNode, v));
}

const GUARANTEE = "feasible only (optimal when the step time meets the lower bound)";

/** Stages balanced by compute time (forward + backward of each node). */
export const balanceTime: PipelineSolver = {
  name: "balance-time",
  guarantee: GUARANTEE,
  reference: "torchgpipe balance_by_time (Kim et al. 2020), with an exact min-max cut",
  solve: baseline((problem, stages) =>
    minMaxPartition(
      perUnit(problem, (node) => node.fwd + node.bwd),
      stages,
    ),
  ),
};

/** Stages balanced by memory: each node's state plus its activation and tape. */
export const balanceMemory: PipelineSolver = {
  name: "balance-memory",
  guarantee: GUARANTEE,
  reference: "torchgpipe balance_by_size (Kim et al. 2020), with an exact min-max cut",
  solve: baseline((problem, stages) =>
    minMaxPartition(
      perUnit(problem, (node, v) => (problem.stateBytes[v] ?? 0) + node.bytes + node.tapeBytes),
      stages,
    ),
  ),
};

/** Equal unit counts per stage (on a chain, equal node counts). */
export const uniform: PipelineSolver = {
  name: "uniform",
  guarantee: GUARANTEE,
  reference: "equal layer counts (GPipe's and Megatron's default split)",
  solve: baseline((problem, stages) => uniformPartition(pipelineUnits(problem.instance).count, stages)),
};
