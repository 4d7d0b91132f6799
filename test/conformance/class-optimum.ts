/**
 * The optimum of a schedule class found by enumeration, independently of every solver: the checkpoint
 * class by every kept set (test/graph/exhaustive.ts), the persistent chain class by every tree of moves
 * (test/chain/enumerate.ts), pofo's offload-chain class by every spine, offload and prefetch placement
 * (test/pofo/enumerate.ts), the offload class by its (peak, makespan) front, each point the exact
 * optimum of offload-exhaustive's branch and bound at a budget just below the previous point's peak, the
 * stage-grid class (milp's) by its front the same way, each point test/milp/grid-exhaustive.ts's
 * dynamic program over stages; each schedule judged by the evaluator alone. `all` cannot be enumerated.
 */

import { exactOffloadOptimum } from "../../solvers/offload/exhaustive-solver.js";
import { evaluate, type ValidEvaluation } from "../../src/evaluate/evaluate.js";
import { graphOf } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";
import type { Objective, ScheduleClass } from "../../src/optimality.js";
import { keepSchedule, storeAllEvaluation } from "../../src/schedule/builders.js";
import { persistentSchedules } from "../chain/enumerate.js";
import { gridOptimum } from "../milp/grid-exhaustive.js";
import { offloadChainEvaluations } from "../pofo/enumerate.js";

/** Most free nodes whose kept sets are enumerated (2^10 evaluations). */
const MAX_FREE = 10;
/** Longest chain whose persistent class is enumerated (1,806 schedules at 7 stages). */
const MAX_STAGES = 7;
/** Longest chain whose offload-chain class is enumerated (pofo's class: 4 stages). */
const MAX_OFFLOAD_CHAIN_STAGES = 4;
/** Most nodes whose offload class front is computed (one exact search per front point). */
const MAX_OFFLOAD_NODES = 8;
/** Most nodes whose stage-grid front is computed (one exponential search per point; tapes make it slower). */
const MAX_GRID_NODES = 5;
const MAX_GRID_NODES_WITH_TAPES = 4;

function isChain(instance: Instance): boolean {
  const g = graphOf(instance);
  return g.inputs.every((inputs, v) =>
    v === 0 ? inputs.length === 0 : inputs.length === 1 && inputs[0] === v - 1,
  );
}

/**
 * Every valid schedule of `over` on `instance`, evaluated; undefined when the class is `all` or too big.
 * Persistent trees that recompute a node that may not be recomputed are not in the class (skipped).
 */
export function classEvaluations(instance: Instance, over: ScheduleClass): ValidEvaluation[] | undefined {
  const g = graphOf(instance);
  if (over === "checkpoint") {
    const free = instance.nodes.flatMap((_, v) =>
      g.isSource[v] === 0 && g.recomputable[v] === 1 ? [v] : [],
    );
    if (free.length > MAX_FREE) return undefined;
    return Array.from({ length: 2 ** free.length }, (_, mask) => {
      const kept = free.filter((_, bit) => Math.floor(mask / 2 ** bit) % 2 === 1);
      const evaluation = evaluate(instance, keepSchedule(instance, kept));
      if (!evaluation.valid)
        throw new Error(`keepSchedule built an invalid schedule: ${evaluation.error.reason}`);
      return evaluation;
    });
  }
  if (over === "offload")
    return instance.nodes.length > MAX_OFFLOAD_NODES ? undefined : offloadFront(instance);
  if (over === "stage-grid") {
    const taped = instance.nodes.some((node) => (node.tapeBytes ?? 0) > 0);
    return instance.nodes.length > (taped ? MAX_GRID_NODES_WITH_TAPES : MAX_GRID_NODES)
      ? undefined
      : gridFront(instance);
  }
  if (over === "offload-chain")
    return isChain(instance) && instance.nodes.length - 1 <= MAX_OFFLOAD_CHAIN_STAGES
      ? offloadChainEvaluations(instance)
      : undefined;
  if (over === "persistent-chain") {
    if (!isChain(instance) || instance.nodes.length - 1 > MAX_STAGES) return undefined;
    return persistentSchedules(instance)
      .map((schedule) => evaluate(instance, schedule))
      .filter((evaluation): evaluation is ValidEvaluation => evaluation.valid);
  }
  return undefined;
}

/**
 * The (peak, makespan) front of the stage-grid class: its optimum without a budget, then at one byte below
 * the last point's peak, until none fits (as offloadFront). Each point's schedule is judged by the
 * evaluator; one that is invalid is a bug of the search.
 */
function gridFront(instance: Instance): ValidEvaluation[] {
  const front: ValidEvaluation[] = [];
  for (let budget = Number.POSITIVE_INFINITY; ; ) {
    const found = gridOptimum(instance, budget);
    if (found === undefined) return front;
    const evaluation = evaluate(instance, found.schedule);
    if (!evaluation.valid || evaluation.peakBytes > budget)
      throw new Error(`gridOptimum built a schedule the evaluator refuses at ${budget} bytes`);
    front.push(evaluation);
    budget = evaluation.peakBytes - 1;
  }
}

/**
 * The (peak, makespan) front of the offload class: store-all, then the exact optimum at one byte below
 * the last point's peak, until no schedule of the class fits (sizes are whole bytes, so no budget in
 * between has another optimum). For `classOptimum` the front is as good as the whole class.
 */
function offloadFront(instance: Instance): ValidEvaluation[] | undefined {
  const front: ValidEvaluation[] = [storeAllEvaluation(instance)];
  if (instance.hardware === undefined) return front;
  for (;;) {
    const budget = (front[front.length - 1] as ValidEvaluation).peakBytes - 1;
    const found = exactOffloadOptimum(instance, budget);
    if (found === undefined) return front;
    if (!found.complete) return undefined;
    front.push(found.evaluation);
  }
}

/**
 * The class optimum: for `time`, the least makespan among schedules peaking within `budgetBytes`
 * (undefined when none fits); for `memory`, the least peak.
 */
export function classOptimum(
  evaluations: readonly ValidEvaluation[],
  objective: Objective,
  budgetBytes: number,
): number | undefined {
  let best: number | undefined;
  for (const evaluation of evaluations) {
    if (evaluation.peakBytes > budgetBytes) continue;
    const cost = objective === "time" ? evaluation.makespanMs : evaluation.peakBytes;
    if (best === undefined || cost < best) best = cost;
  }
  return best;
}
