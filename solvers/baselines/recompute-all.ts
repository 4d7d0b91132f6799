/**
 * recompute-all: keep only what cannot be recomputed (the data input); before each backward, recompute
 * what it reads from the input and drop it afterwards. The least-memory baseline, at quadratic time:
 * rotor's `recompute_all` (Beaumont et al. 2019, section 2.5 of research/chain-offload.md) and
 * Checkmate's checkpoint-last, on any DAG.
 */
import { checkpointSchedule } from "../../src/schedule/checkpoint-schedule.js";
import type { Solver } from "../../src/solver.js";
import { judgeFixedSchedule } from "./judge.js";

export const recomputeAll: Solver = {
  name: "recompute-all",
  family: "baselines",
  problem: "any DAG",
  guarantee: "feasible only (least-memory reference)",
  reference: "rotor recompute_all; Checkmate checkpoint-last (Jain et al. 2020)",
  objectives: ["time", "memory"],
  solve: (instance, options) =>
    judgeFixedSchedule(
      instance,
      checkpointSchedule(instance, [], { policy: "per-backward", tapeKept: false, forwardPhase: false }),
      options,
    ),
};
