/**
 * An independent check of a point against a model (no backend is trusted to return what it says: see
 * jslp.ts): every variable bound, every row and every integrality requirement,
 * and the objective recomputed from the values. Used by tests and by the javascript-lp-solver backend,
 * whose answers cannot be trusted.
 *
 * Complexity: O(variables + non-zeros).
 */
import { InternalError } from "../errors.js";
import type { LpModel } from "./model.js";

/** Default tolerance: HiGHS' and GLPK's own primal feasibility and integrality tolerances are 1e-7 to 1e-6. */
export const DEFAULT_TOLERANCE = 1e-6;

export type ViolationKind =
  | "not-finite"
  | "below-lower"
  | "above-upper"
  | "not-integral"
  | "row-below-lower"
  | "row-above-upper";

/** One violated requirement: a variable's (`not-finite`, bounds, integrality) or a row's. */
export interface Violation {
  readonly kind: ViolationKind;
  /** Index of the variable, or of the row for `row-*`. */
  readonly index: number;
  /** Name of the variable or row. */
  readonly name: string;
  /** The variable's value or the row's activity. */
  readonly value: number;
  /** The bound it crosses (the nearest integer for `not-integral`). */
  readonly limit: number;
}

export interface SolutionCheck {
  /** Empty when the point is feasible within the tolerance. */
  readonly violations: readonly Violation[];
  /** `offset + sum(objective_j * values_j)`. */
  readonly objective: number;
}

/**
 * Checks `values` against `model`. A bound `b` counts as crossed when the value lies beyond it by more
 * than `tolerance * max(1, |b|)`; a value is integral when within `tolerance` of an integer.
 * @param values one value per variable, by index
 * @param tolerance feasibility and integrality tolerance (>= 0)
 * @param relax skip integrality (for LP relaxations)
 * @throws InternalError when `values` has the wrong length or the tolerance is negative
 */
export function checkSolution(
  model: LpModel,
  values: ArrayLike<number>,
  tolerance = DEFAULT_TOLERANCE,
  relax = false,
): SolutionCheck {
  if (values.length !== model.variables.length)
    throw new InternalError(
      `checkSolution: values must have ${model.variables.length} entries, got ${values.length}`,
    );
  if (!(tolerance >= 0)) throw new InternalError(`checkSolution: tolerance must be >= 0, got ${tolerance}`);
  const beyond = (value: number, limit: number): boolean =>
    value - limit > tolerance * Math.max(1, Math.abs(limit));
  const violations: Violation[] = [];
  let objective = model.offset;
  model.variables.forEach((v, index) => {
    const value = values[index] as number;
    const name = v.name;
    objective += v.objective * value;
    if (!Number.isFinite(value)) violations.push({ kind: "not-finite", index, name, value, limit: 0 });
    else if (beyond(v.lower, value))
      violations.push({ kind: "below-lower", index, name, value, limit: v.lower });
    else if (beyond(value, v.upper))
      violations.push({ kind: "above-upper", index, name, value, limit: v.upper });
    if (!relax && v.kind !== "continuous" && Number.isFinite(value)) {
      const nearest = Math.round(value);
      if (Math.abs(value - nearest) > tolerance)
        violations.push({ kind: "not-integral", index, name, value, limit: nearest });
    }
  });
  model.constraints.forEach((row, index) => {
    let activity = 0;
    for (const [variable, coefficient] of row.terms) activity += coefficient * (values[variable] as number);
    const name = row.name;
    if (beyond(row.lower, activity))
      violations.push({ kind: "row-below-lower", index, name, value: activity, limit: row.lower });
    else if (beyond(activity, row.upper))
      violations.push({ kind: "row-above-upper", index, name, value: activity, limit: row.upper });
  });
  return { violations, objective };
}

/** Renders violations briefly for an error message (`x3 not-integral 0.4 (limit 0)`), at most `max` of them. */
export function describeViolations(violations: readonly Violation[], max = 3): string {
  const shown = violations
    .slice(0, max)
    .map((v) => `${v.name} ${v.kind} ${v.value} (limit ${v.limit})`)
    .join("; ");
  return violations.length > max ? `${shown}; and ${violations.length - max} more` : shown;
}
