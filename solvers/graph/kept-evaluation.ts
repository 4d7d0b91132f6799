/**
 * What the search remembers of a judged candidate: the evaluator's peak and makespan, and the kept set
 * whose checkpoint schedule it is (src/schedule/builders.ts `keepSchedule`, every segment recomputed
 * once) or, for candidates that are not kept sets, the schedule itself. Schedules of kept sets are not
 * held (a 20,000-node chain's schedule has 60,000 instructions, and the search judges hundreds):
 * `scheduleOf` rebuilds the one that is answered. Every number comes from the evaluator (search.ts).
 */
import type { Instance } from "../../src/instance/types.js";
import { keepSchedule } from "../../src/schedule/builders.js";
import type { Schedule } from "../../src/schedule/types.js";

/** A judged candidate: its evaluated cost, and its kept set or its schedule. */
export interface Judged {
  /** The evaluator's peak, bytes (fixedBytes included). */
  readonly peakBytes: number;
  /** The evaluator's makespan, ms. */
  readonly makespanMs: number;
  /** Indices of the kept nodes, ascending, when the candidate is a checkpoint schedule. */
  readonly kept?: readonly number[];
  /** The schedule, for candidates that are not checkpoint schedules of a kept set. */
  readonly schedule?: Schedule;
}

/** A judged kept set. */
export interface JudgedKeep extends Judged {
  readonly kept: readonly number[];
}

/** The schedule of a judged candidate (rebuilt for a kept set: the builder is deterministic). */
export function scheduleOf(instance: Instance, judged: Judged): Schedule {
  return judged.schedule ?? keepSchedule(instance, judged.kept ?? []);
}

/** Strict order for the memory objective: lower peak, then lower makespan. */
export function lessMemory(a: Judged, b: Judged): boolean {
  return a.peakBytes < b.peakBytes || (a.peakBytes === b.peakBytes && a.makespanMs < b.makespanMs);
}

/** Strict order for the time objective: lower makespan, then lower peak. */
export function lessTime(a: Judged, b: Judged): boolean {
  return a.makespanMs < b.makespanMs || (a.makespanMs === b.makespanMs && a.peakBytes < b.peakBytes);
}
