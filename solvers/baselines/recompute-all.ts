/**
 * recompute-all: keep only what cannot be recomputed (the data input); before each backward, recompute
 * what it reads from the input and drop it afterwards. The least-memory baseline, at quadratic time:
 * rotor's `recompute_all` (Beaumont et al. 2019) and Checkmate's checkpoint-last (Jain et al. 2020), on
 * any DAG (src/schedule/builders.ts).
 */
import { NO_SWITCHES } from "../../src/options.js";
import { recomputeAllSchedule } from "../../src/schedule/builders.js";
import type { Solver } from "../../src/solver.js";
import { judgeFixedSchedule } from "./judge.js";

export const recomputeAll: Solver = {
  name: "recompute-all",
  family: "baselines",
  problem: "any DAG",
  guarantee: "feasible only (least-memory reference)",
  reference: "rotor recompute_all; Checkmate checkpoint-last (Jain et al. 2020)",
  objectives: ["time", "memory"],
  emits: {},
  switches: NO_SWITCHES,
  reads: [],
  solve: (instance, options) => judgeFixedSchedule(instance, recomputeAllSchedule(instance), options),
};
