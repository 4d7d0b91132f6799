/**
 * store-all: keep every activation (with tape) through the forward pass, then run the backward pass.
 * The fastest schedule there is without offloading, and the reference for overhead.
 */
import { NO_SWITCHES } from "../../src/options.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";
import type { Solver } from "../../src/solver.js";
import { judgeFixedSchedule } from "./judge.js";

export const storeAll: Solver = {
  name: "store-all",
  family: "baselines",
  problem: "any DAG",
  guarantee: "optimal makespan when it fits (no recomputation); otherwise infeasible",
  reference: "plain backpropagation",
  objectives: ["time"],
  emits: {},
  switches: NO_SWITCHES,
  reads: [],
  solve: (instance, options) => judgeFixedSchedule(instance, storeAllSchedule(instance), options),
};
