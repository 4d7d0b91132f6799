/**
 * recompute-all: keep only what cannot be recomputed (the data input); before each backward, recompute
 * what it reads from the input and drop it afterwards. The least-memory baseline, at quadratic time:
 * rotor's `recompute_all` (Beaumont et al. 2019) and Checkmate's checkpoint-last (Jain et al. 2020), on
 * any DAG (src/schedule/builders.ts). Its schedule grows as the square of the depth, so instances whose
 * schedule would pass RECOMPUTE_ALL_MAX_INSTRUCTIONS (10 million; a chain of about 3,160 nodes) are
 * refused, and the build and its evaluation stop at the time limit.
 */
import { InputError } from "../../src/errors.js";
import { sumOfTimesBound } from "../../src/evaluate/bounds.js";
import { NO_SWITCHES } from "../../src/options.js";
import { recomputeAllSchedule } from "../../src/schedule/builders.js";
import { ScheduleTooLarge } from "../../src/schedule/checkpoint-schedule.js";
import type { Solver, SolverAnswer } from "../../src/solver.js";
import { Deadline, TimeLimitReached } from "../../src/time-limit.js";
import { judgeFixedSchedule } from "./judge.js";

export const recomputeAll: Solver = {
  name: "recompute-all",
  family: "baselines",
  problem: "any DAG whose recompute-all schedule has at most 10 million instructions",
  guarantee: "feasible only (least-memory reference)",
  reference: "rotor recompute_all; Checkmate checkpoint-last (Jain et al. 2020)",
  objectives: ["time", "memory"],
  emits: {},
  switches: NO_SWITCHES,
  reads: [],
  solve: (instance, options): SolverAnswer => {
    const deadline = new Deadline(options.timeLimitSec);
    try {
      return judgeFixedSchedule(instance, recomputeAllSchedule(instance, deadline), options, deadline);
    } catch (error) {
      if (error instanceof TimeLimitReached)
        return { status: "timeout", reason: error.message, lowerBoundMs: sumOfTimesBound(instance) };
      if (!(error instanceof ScheduleTooLarge)) throw error;
      throw new InputError(
        "recompute-all",
        [
          {
            code: "structure",
            path: "nodes",
            expected: `an instance whose recompute-all schedule has at most ${error.limit} instructions (it grows as the square of the depth)`,
            received: `more than ${error.limit} instructions`,
          },
        ],
        instance.name,
      );
    }
  },
};
