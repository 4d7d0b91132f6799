/**
 * The claims a MILP answer of this family carries (milp over `stage-grid`, milp-offload over
 * `grid-offload`): the bound it reports and the `milp` certificate of an optimal answer, over the class
 * its model relaxes (proofs/milp.md, "Claims").
 */
import { InternalError } from "../../src/errors.js";
import { makespanLowerBound, sumOfTimesBound } from "../../src/evaluate/bounds.js";
import type { Instance } from "../../src/instance/types.js";
import type { Bound, ScheduleClass } from "../../src/optimality.js";
import type { SolverAnswer } from "../../src/solver.js";
import type { Judged } from "./judged.js";

/** Relative slack under which an evaluated makespan meets the MILP's bound (the backends' tolerances, src/lp/check.ts). */
export const MILP_TOLERANCE = 1e-6;

/**
 * Whether `makespanMs` meets the proven `boundMs`: within MILP_TOLERANCE relative (to at least 1 ms), the
 * same test `solve` applies to a `milp` certificate (solvers/check-answer.ts).
 */
export function meetsBound(makespanMs: number, boundMs: number): boolean {
  return makespanMs - boundMs <= MILP_TOLERANCE * Math.max(1, Math.abs(makespanMs));
}

/** The class a model relaxes, and how its bound is proven (for the bound's and certificate's method). */
export interface MilpScope {
  readonly over: ScheduleClass;
  readonly method: string;
}

/**
 * The bound to report: the model's (over `scope.over`, at most the answer) when it beats the sum of
 * times, else the sum of times.
 * @throws InternalError when it exceeds the makespan of a schedule of the class (not a relaxation: a bug)
 */
export function classBound(
  instance: Instance,
  best: Judged,
  bound: number | undefined,
  scope: MilpScope,
): Bound {
  if (bound === undefined || bound <= makespanLowerBound(instance)) return sumOfTimesBound(instance);
  if (bound > best.makespanMs * (1 + MILP_TOLERANCE) + MILP_TOLERANCE)
    throw new InternalError(
      `the bound ${bound} exceeds the evaluated makespan ${best.makespanMs} of a ${scope.over} schedule (the model is not a relaxation of the class: a bug)`,
    );
  return { value: Math.min(bound, best.makespanMs), over: scope.over, method: scope.method };
}

/** The claims of the best schedule, with its bound. */
export function milpClaims(
  instance: Instance,
  best: Judged,
  bound: number | undefined,
  counters: Record<string, number>,
  scope: MilpScope,
) {
  return {
    schedule: best.schedule,
    claimedMakespanMs: best.makespanMs,
    claimedPeakBytes: best.peakBytes,
    lowerBoundMs: classBound(instance, best, bound, scope),
    counters,
  };
}

/**
 * An optimal answer: `best` meets `bound` over the class, proved by `backend`. The certificate's gap is
 * the one the answer shows, `(makespan - bound) / makespan` (checked within MILP_TOLERANCE before this
 * is called), not the backend's own figure, which may differ in its last digits.
 */
export function milpOptimal(
  instance: Instance,
  best: Judged,
  bound: number,
  backend: string,
  counters: Record<string, number>,
  scope: MilpScope,
): SolverAnswer {
  const met = Math.min(bound, best.makespanMs);
  return {
    status: "optimal",
    ...milpClaims(instance, best, bound, counters, scope),
    certificate: {
      kind: "milp",
      over: scope.over,
      backend,
      bound: met,
      gap: (best.makespanMs - met) / Math.max(1, Math.abs(best.makespanMs)),
      method: scope.method,
    },
  };
}
