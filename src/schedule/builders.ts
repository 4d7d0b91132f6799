/**
 * The schedules every part of remat builds (STYLE.md, "Core concepts live in src/"): store-all (plain
 * backpropagation), the checkpoint schedule of a kept set, and recompute-all; and the resolution of a
 * budget against an instance's store-all peak. Solvers, the simulator, benchmarks and tests all take
 * them from here, so there is one definition of each.
 */
import { type Budget, budgetBytes, parseBudget } from "../budget.js";
import { InternalError } from "../errors.js";
import { evaluate, type ValidEvaluation } from "../evaluate/evaluate.js";
import type { Instance } from "../instance/types.js";
import type { Deadline } from "../time-limit.js";
import { checkpointSchedule, RECOMPUTE_ALL_MAX_INSTRUCTIONS } from "./checkpoint-schedule.js";
import type { Schedule } from "./types.js";

/**
 * The store-all schedule: every node forward once in order (kept nodes with their tape), then every
 * backward in reverse order, each activation freed after its last read. The fastest schedule without
 * offloading, and the reference for overhead and for budgets given as a percentage.
 */
export function storeAllSchedule(instance: Instance): Schedule {
  return checkpointSchedule(
    instance,
    instance.nodes.map((_, index) => index),
    { policy: "segments", tapeKept: true, forwardPhase: true },
  );
}

/**
 * The checkpoint schedule keeping the nodes at `indices` (and every node that is not recomputable):
 * Chen-style segments, each recomputed at most once (proofs/checkpoint-schedule.md).
 */
export function keepSchedule(instance: Instance, indices: Iterable<number>): Schedule {
  return checkpointSchedule(instance, indices, { policy: "segments", tapeKept: false, forwardPhase: true });
}

/**
 * recompute-all: keep only what cannot be recomputed; before each backward, recompute what it reads from
 * there and drop it afterwards (rotor's `recompute_all`, Beaumont et al. 2019; Checkmate's
 * checkpoint-last, Jain et al. 2020). Quadratic in the depth of the graph, hence capped.
 *
 * @param maxInstructions the cap (default RECOMPUTE_ALL_MAX_INSTRUCTIONS, 10 million)
 * @throws ScheduleTooLarge beyond the cap; TimeLimitReached when `deadline` passes during the build
 */
export function recomputeAllSchedule(
  instance: Instance,
  deadline?: Deadline,
  maxInstructions: number = RECOMPUTE_ALL_MAX_INSTRUCTIONS,
): Schedule {
  return checkpointSchedule(instance, [], {
    policy: "per-backward",
    tapeKept: false,
    forwardPhase: false,
    maxInstructions,
    ...(deadline === undefined ? {} : { deadline }),
  });
}

const references = new WeakMap<Instance, ValidEvaluation>();

/**
 * The evaluator's verdict on the store-all schedule of `instance` (cached per instance).
 * @throws InternalError if the builder produced an invalid schedule (a bug)
 */
export function storeAllEvaluation(instance: Instance): ValidEvaluation {
  const cached = references.get(instance);
  if (cached !== undefined) return cached;
  const evaluation = evaluate(instance, storeAllSchedule(instance));
  if (!evaluation.valid) throw new InternalError(`store-all schedule invalid: ${evaluation.error.reason}`);
  references.set(instance, evaluation);
  return evaluation;
}

/**
 * The budget in bytes for `instance` (fixedBytes included): bytes as given, a fraction of the store-all
 * peak (rounded down), or Infinity for none.
 * @param path the field the budget came from, for the error (default `budget`)
 * @throws InputError (code `option`) for a malformed budget
 */
export function resolveBudget(instance: Instance, budget: Budget | string | number, path = "budget"): number {
  const parsed = typeof budget === "object" ? budget : parseBudget(budget, path);
  return budgetBytes(parsed, parsed.kind === "fraction" ? storeAllEvaluation(instance).peakBytes : 0, path);
}
