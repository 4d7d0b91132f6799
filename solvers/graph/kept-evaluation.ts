/**
 * Judging a kept set: build the foundation's checkpoint schedule for it (solvers/baselines/checkpoints.ts,
 * every segment recomputed once) and ask the evaluator for its cost. Every number the graph solver
 * claims comes from here, never from a private estimate. O(n + m) per call.
 */
import { InternalError } from "../../src/errors.js";
import { type EvaluateOptions, evaluate, type ValidEvaluation } from "../../src/evaluate/evaluate.js";
import type { Instance } from "../../src/instance/types.js";
import { keepSchedule } from "../../src/schedule/builders.js";
import type { Schedule } from "../../src/schedule/types.js";

/** A schedule with the evaluator's verdict on it. */
export interface Judged {
  readonly schedule: Schedule;
  readonly evaluation: ValidEvaluation;
}

/** A kept set with its schedule and the evaluator's verdict on it. */
export interface JudgedKeep extends Judged {
  /** Indices of the kept nodes, ascending. */
  readonly kept: readonly number[];
}

/**
 * Evaluates a schedule built by a trusted builder.
 * @throws InternalError if it is invalid (a bug in the builder)
 */
export function judgeSchedule(instance: Instance, schedule: Schedule, options: EvaluateOptions = {}): Judged {
  const evaluation = evaluate(instance, schedule, options);
  if (!evaluation.valid)
    throw new InternalError(
      `judgeSchedule: the schedule is invalid: ${evaluation.error.reason} at ${evaluation.error.index}`,
    );
  return { schedule, evaluation };
}

/**
 * Builds and evaluates the checkpoint schedule keeping `kept`.
 * @throws InternalError if the builder produced an invalid schedule (a bug in the builder)
 */
export function judgeKeep(
  instance: Instance,
  kept: Iterable<number>,
  options: EvaluateOptions = {},
): JudgedKeep {
  const sorted = [...new Set(kept)].sort((a, b) => a - b);
  return { kept: sorted, ...judgeSchedule(instance, keepSchedule(instance, sorted), options) };
}

/** Strict order for the memory objective: lower peak, then lower makespan. */
export function lessMemory(a: JudgedKeep, b: JudgedKeep): boolean {
  const pa = a.evaluation.peakBytes;
  const pb = b.evaluation.peakBytes;
  return pa < pb || (pa === pb && a.evaluation.makespanMs < b.evaluation.makespanMs);
}
