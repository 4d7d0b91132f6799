/**
 * The LP/MILP model every backend solves (DESIGN.md, "Solvers": LP/MILP backends behind `LpBackend`):
 * variables with bounds, an objective coefficient and a kind; linear constraints with sparse terms and
 * a lower and/or upper bound on their activity; an objective sense and a constant offset.
 *
 * Models are built by remat's own solvers through {@link ModelBuilder}, never read from users, so a
 * malformed model is a bug: every check throws `InternalError`, naming the call site and the offender.
 */
import { InternalError } from "../errors.js";

/** `binary` is an integer variable within [0, 1]; `relax` (see `LpSolveOptions`) makes both continuous. */
export type VariableKind = "continuous" | "integer" | "binary";

export type ObjectiveSense = "minimize" | "maximize";

/** One column: `lower <= x <= upper`, contributing `objective * x` to the objective. */
export interface LpVariable {
  readonly name: string;
  /** Finite or `-Infinity`. */
  readonly lower: number;
  /** Finite or `Infinity`; never below `lower`. */
  readonly upper: number;
  /** Objective coefficient (finite). */
  readonly objective: number;
  readonly kind: VariableKind;
}

/** One coefficient of a constraint: `[variable index, coefficient]`. */
export type LpTerm = readonly [variable: number, coefficient: number];

/** One row: `lower <= sum(coefficient * x[variable]) <= upper`. */
export interface LpConstraint {
  readonly name: string;
  /** Distinct variables, non-zero finite coefficients, in order of first mention. */
  readonly terms: readonly LpTerm[];
  /** Finite or `-Infinity`. */
  readonly lower: number;
  /** Finite or `Infinity`; never below `lower` (equal for an equality). */
  readonly upper: number;
}

/** A frozen model: optimize `offset + sum(objective_j * x_j)` subject to the rows and bounds. */
export interface LpModel {
  readonly name: string;
  readonly sense: ObjectiveSense;
  /** Constant added to the objective (finite). */
  readonly offset: number;
  readonly variables: readonly LpVariable[];
  readonly constraints: readonly LpConstraint[];
}

/** Options of {@link ModelBuilder.addVariable}; defaults `lower` 0, `upper` Infinity (1 for binaries), objective 0. */
export interface VariableSpec {
  readonly lower?: number;
  readonly upper?: number;
  readonly objective?: number;
  readonly kind?: VariableKind;
}

/**
 * Bounds of a row: `{ upper }` for `<=`, `{ lower }` for `>=`, `{ equal }` for `=`, both `lower` and
 * `upper` for a ranged row.
 */
export type ConstraintBounds =
  | { readonly lower?: number; readonly upper?: number }
  | { readonly equal: number };

/** Builds an {@link LpModel} row by row; each call validates its arguments, `build` freezes a snapshot. */
export class ModelBuilder {
  private readonly name: string;
  private readonly sense: ObjectiveSense;
  private offset = 0;
  private readonly variables: { name: string; lower: number; upper: number; kind: VariableKind }[] = [];
  private readonly objective: number[] = [];
  private readonly constraints: LpConstraint[] = [];
  private readonly variableNames = new Set<string>();
  private readonly constraintNames = new Set<string>();

  constructor(name: string, sense: ObjectiveSense) {
    this.name = name;
    this.sense = sense;
  }

  /** Number of variables added so far (the index the next one gets). */
  get variableCount(): number {
    return this.variables.length;
  }

  /**
   * Adds a variable.
   * @returns its index, used in terms and in result `values`
   * @throws InternalError for a duplicate or empty name, a NaN or wrong-side infinite bound,
   *   `lower > upper`, a non-finite objective, or binary bounds outside [0, 1]
   */
  addVariable(name: string, spec: VariableSpec = {}): number {
    const site = `ModelBuilder.addVariable(${JSON.stringify(name)})`;
    checkName(site, name, this.variableNames);
    const kind = spec.kind ?? "continuous";
    const lower = spec.lower ?? 0;
    const upper = spec.upper ?? (kind === "binary" ? 1 : Number.POSITIVE_INFINITY);
    checkBounds(site, lower, upper);
    if (kind === "binary" && (lower < 0 || upper > 1))
      throw new InternalError(`${site}: binary bounds must lie within [0, 1], got [${lower}, ${upper}]`);
    const objective = spec.objective ?? 0;
    checkFinite(site, "objective coefficient", objective);
    this.variableNames.add(name);
    this.variables.push({ name, lower, upper, kind });
    this.objective.push(objective);
    return this.variables.length - 1;
  }

  /**
   * Adds `coefficient` to the objective coefficient of `variable`.
   * @throws InternalError for an unknown variable or a non-finite coefficient
   */
  addObjectiveTerm(variable: number, coefficient: number): void {
    const site = "ModelBuilder.addObjectiveTerm";
    this.checkVariable(site, variable);
    checkFinite(site, "coefficient", coefficient);
    this.objective[variable] = (this.objective[variable] as number) + coefficient;
  }

  /**
   * Adds `constant` to the objective's offset.
   * @throws InternalError when the offset would not be finite
   */
  addOffset(constant: number): void {
    checkFinite("ModelBuilder.addOffset", "offset", this.offset + constant);
    this.offset += constant;
  }

  /**
   * Adds a row. Terms on the same variable are summed; zero coefficients are dropped.
   * @returns the row's index
   * @throws InternalError for a duplicate or empty name, an unknown variable, a non-finite
   *   coefficient, a NaN or wrong-side infinite bound, or `lower > upper`
   */
  addConstraint(name: string, terms: readonly LpTerm[], bounds: ConstraintBounds): number {
    const site = `ModelBuilder.addConstraint(${JSON.stringify(name)})`;
    checkName(site, name, this.constraintNames);
    const coefficients = new Map<number, number>();
    for (const [variable, coefficient] of terms) {
      this.checkVariable(site, variable);
      checkFinite(site, `coefficient of variable ${variable}`, coefficient);
      coefficients.set(variable, (coefficients.get(variable) ?? 0) + coefficient);
    }
    const merged: LpTerm[] = [];
    for (const [variable, coefficient] of coefficients) {
      checkFinite(site, `summed coefficient of variable ${variable}`, coefficient);
      if (coefficient !== 0) merged.push(Object.freeze([variable, coefficient] as const));
    }
    let lower: number;
    let upper: number;
    if ("equal" in bounds) {
      checkFinite(site, "equal", bounds.equal);
      lower = bounds.equal;
      upper = bounds.equal;
    } else {
      lower = bounds.lower ?? Number.NEGATIVE_INFINITY;
      upper = bounds.upper ?? Number.POSITIVE_INFINITY;
      checkBounds(site, lower, upper);
    }
    this.constraintNames.add(name);
    this.constraints.push(Object.freeze({ name, terms: Object.freeze(merged), lower, upper }));
    return this.constraints.length - 1;
  }

  /** Returns a frozen snapshot of the model built so far; the builder stays usable. */
  build(): LpModel {
    const variables = this.variables.map((v, j) =>
      Object.freeze({ ...v, objective: this.objective[j] as number }),
    );
    return Object.freeze({
      name: this.name,
      sense: this.sense,
      offset: this.offset,
      variables: Object.freeze(variables),
      constraints: Object.freeze([...this.constraints]),
    });
  }

  private checkVariable(site: string, variable: number): void {
    if (!(Number.isInteger(variable) && variable >= 0 && variable < this.variables.length))
      throw new InternalError(
        `${site}: variable index must be in [0, ${this.variables.length}), got ${variable}`,
      );
  }
}

function checkName(site: string, name: string, taken: ReadonlySet<string>): void {
  if (name === "") throw new InternalError(`${site}: name must be non-empty`);
  if (taken.has(name)) throw new InternalError(`${site}: name must be unique, got a duplicate`);
}

function checkFinite(site: string, what: string, value: number): void {
  if (!Number.isFinite(value)) throw new InternalError(`${site}: ${what} must be finite, got ${value}`);
}

function checkBounds(site: string, lower: number, upper: number): void {
  if (Number.isNaN(lower) || lower === Number.POSITIVE_INFINITY)
    throw new InternalError(`${site}: lower bound must be finite or -Infinity, got ${lower}`);
  if (Number.isNaN(upper) || upper === Number.NEGATIVE_INFINITY)
    throw new InternalError(`${site}: upper bound must be finite or Infinity, got ${upper}`);
  if (lower > upper)
    throw new InternalError(`${site}: lower bound must not exceed upper bound, got [${lower}, ${upper}]`);
}

/** Whether the model has integer or binary variables (before any relaxation). */
export function isMixedInteger(model: LpModel): boolean {
  return model.variables.some((v) => v.kind !== "continuous");
}

/** The same constraints and bounds with a zero objective: a pure feasibility problem. */
export function withoutObjective(model: LpModel): LpModel {
  return Object.freeze({
    ...model,
    offset: 0,
    variables: Object.freeze(model.variables.map((v) => Object.freeze({ ...v, objective: 0 }))),
  });
}

/**
 * The model as the dense and compressed-sparse-row arrays the backends take. Indices are 0-based;
 * row `i` holds `indices[starts[i] .. starts[i+1]-1]` with the matching `values`.
 */
export interface ModelArrays {
  readonly numCols: number;
  readonly numRows: number;
  readonly colCost: Float64Array;
  /** Variable bounds; those of integral variables rounded inwards (GLPK rejects fractional ones). */
  readonly colLower: Float64Array;
  readonly colUpper: Float64Array;
  /** 1 for a variable that must be integral (0 everywhere under `relax`). */
  readonly integer: Uint8Array;
  readonly rowLower: Float64Array;
  readonly rowUpper: Float64Array;
  /** Length `numRows + 1`. */
  readonly starts: Int32Array;
  /** Column of each stored coefficient. */
  readonly indices: Int32Array;
  readonly values: Float64Array;
}

/** Slack when rounding an integral variable's bounds, so that 2.0000000001 still rounds to 2. */
const INTEGER_BOUND_TOLERANCE = 1e-9;

/**
 * Lays the model out as {@link ModelArrays} (CSR by rows). The bounds of integral variables are
 * rounded inwards, which may leave `colLower[j] > colUpper[j]`: the model is then infeasible.
 * @param relax drop integrality: every variable becomes continuous, bounds unchanged
 */
export function modelArrays(model: LpModel, relax = false): ModelArrays {
  const numCols = model.variables.length;
  const numRows = model.constraints.length;
  const colCost = new Float64Array(numCols);
  const colLower = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols);
  const integer = new Uint8Array(numCols);
  model.variables.forEach((v, j) => {
    const integral = !relax && v.kind !== "continuous";
    colCost[j] = v.objective;
    colLower[j] = integral ? Math.ceil(v.lower - INTEGER_BOUND_TOLERANCE) : v.lower;
    colUpper[j] = integral ? Math.floor(v.upper + INTEGER_BOUND_TOLERANCE) : v.upper;
    integer[j] = integral ? 1 : 0;
  });
  const rowLower = new Float64Array(numRows);
  const rowUpper = new Float64Array(numRows);
  const starts = new Int32Array(numRows + 1);
  let nonZeros = 0;
  for (const row of model.constraints) nonZeros += row.terms.length;
  const indices = new Int32Array(nonZeros);
  const values = new Float64Array(nonZeros);
  let k = 0;
  model.constraints.forEach((row, i) => {
    rowLower[i] = row.lower;
    rowUpper[i] = row.upper;
    for (const [variable, coefficient] of row.terms) {
      indices[k] = variable;
      values[k] = coefficient;
      k++;
    }
    starts[i + 1] = k;
  });
  return {
    numCols,
    numRows,
    colCost,
    colLower,
    colUpper,
    integer,
    rowLower,
    rowUpper,
    starts,
    indices,
    values,
  };
}
