/**
 * store-all: keep every activation (with tape) through the forward pass, then run the backward pass.
 * The fastest schedule there is without offloading, and the reference for overhead.
 */

import type { Instance } from "../../src/instance/types.js";
import { checkpointSchedule } from "../../src/schedule/checkpoint-schedule.js";
import type { Schedule } from "../../src/schedule/types.js";
import type { Solver } from "../../src/solver.js";
import { judgeFixedSchedule } from "./judge.js";

/** The store-all schedule of `instance`: every node forward once in order, then every backward in reverse. */
export function storeAllSchedule(instance: Instance): Schedule {
  return checkpointSchedule(
    instance,
    instance.nodes.map((_, index) => index),
    { policy: "segments", tapeKept: true, forwardPhase: true },
  );
}

export const storeAll: Solver = {
  name: "store-all",
  family: "baselines",
  problem: "any DAG",
  guarantee: "optimal makespan when it fits (no recomputation); otherwise infeasible",
  reference: "plain backpropagation",
  objectives: ["time"],
  solve: (instance, options) => judgeFixedSchedule(instance, storeAllSchedule(instance), options),
};
