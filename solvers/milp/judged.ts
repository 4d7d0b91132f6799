/** Schedules judged by the evaluator within a budget, as the MILP family compares them. */
import { evaluate } from "../../src/evaluate/evaluate.js";
import type { Instance } from "../../src/instance/types.js";
import type { Schedule } from "../../src/schedule/types.js";

/** A schedule the evaluator accepted within the budget, with its costs. */
export interface Judged {
  readonly schedule: Schedule;
  readonly makespanMs: number;
  readonly peakBytes: number;
}

/** Evaluates `schedule`; undefined when it is invalid or over the budget. */
export function judgeWithin(instance: Instance, schedule: Schedule, budgetBytes: number): Judged | undefined {
  const e = evaluate(instance, schedule);
  if (!e.valid || e.peakBytes > budgetBytes) return undefined;
  return { schedule, makespanMs: e.makespanMs, peakBytes: e.peakBytes };
}

/** The faster of two (the first on ties). */
export function faster(a: Judged | undefined, b: Judged | undefined): Judged | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b.makespanMs < a.makespanMs ? b : a;
}
