/**
 * Translation of an {@link LpModel} into javascript-lp-solver's JSON model, and of its answer back.
 *
 * The library knows only variables >= 0 (its `unrestricted` flag gave wrong LP optima when tried
 * here), so every variable becomes non-negative columns: `x = lower + x'` when the lower bound is
 * finite, `x = upper - x'` when only the upper bound is, `x = x' - x''` when the variable is free. A
 * finite range becomes a row `x' <= upper - lower`. Integer variables have their bounds rounded
 * inwards (by `modelArrays`), so that the shift is an integer and integrality carries over.
 */
import { type LpModel, type ModelArrays, modelArrays } from "./model.js";

/** Bounds of one library row: `{ min }`, `{ max }`, both, or `{ equal }`. */
export interface JslpBounds {
  min?: number;
  max?: number;
  equal?: number;
}

/** The JSON model the library reads (its `Model`, restricted to the fields used here). */
export interface JslpModel {
  optimize: string;
  opType: "min" | "max";
  constraints: Record<string, JslpBounds>;
  /** Per column: its objective coefficient under `optimize` and its coefficient in each row. */
  variables: Record<string, Record<string, number>>;
  ints: Record<string, 1>;
  /** Branch-and-bound time limit, ms. */
  timeout?: number;
  /** Relative gap at which branch and bound stops. */
  tolerance?: number;
}

/** A translated model and the map from the library's answer back to the model's variables. */
export interface JslpTranslation {
  readonly model: JslpModel;
  /**
   * Values of the model's variables from the library's answer, where a missing column is 0.
   * @returns the values, or the name of a column whose value is not a number
   */
  recover(answer: Readonly<Record<string, unknown>>): Float64Array | string;
}

const OBJECTIVE = "objective";

/** `x_j = shift + sign * (library column x{j}) - (free ? library column n{j} : 0)`. */
interface ColumnMap {
  readonly shift: number;
  readonly sign: 1 | -1;
  readonly free: boolean;
}

function rowBounds(lower: number, upper: number): JslpBounds {
  if (lower === upper) return { equal: lower };
  return {
    ...(Number.isFinite(lower) ? { min: lower } : {}),
    ...(Number.isFinite(upper) ? { max: upper } : {}),
  };
}

/**
 * Translates `model`; `infeasible` when rounding an integer variable's bounds empties its range or a
 * row without terms excludes 0 (the library would silently drop such rows).
 * @param relax drop integrality
 */
export function toJslp(model: LpModel, relax: boolean): JslpTranslation | "infeasible" {
  const a = modelArrays(model, relax);
  const jsModel: JslpModel = {
    optimize: OBJECTIVE,
    opType: model.sense === "maximize" ? "max" : "min",
    constraints: {},
    variables: {},
    ints: {},
  };
  const maps: ColumnMap[] = [];
  for (let j = 0; j < a.numCols; j++) {
    const lower = a.colLower[j] as number;
    const upper = a.colUpper[j] as number;
    if (lower > upper) return "infeasible";
    maps.push(
      addColumn(jsModel, j, lower, upper, { cost: a.colCost[j] as number, integer: a.integer[j] === 1 }),
    );
  }
  for (let i = 0; i < a.numRows; i++) if (addRow(jsModel, a, maps, i) === "infeasible") return "infeasible";
  return { model: jsModel, recover: (answer) => recover(answer, maps) };
}

/** How variable x_j maps to library columns, given its bounds (see the file comment). */
function columnMap(lower: number, upper: number): ColumnMap {
  if (Number.isFinite(lower)) return { shift: lower, sign: 1, free: false };
  return Number.isFinite(upper) ? { shift: upper, sign: -1, free: false } : { shift: 0, sign: 1, free: true };
}

/**
 * Adds variable x_j (bounds `lower <= upper`) to `jsModel`: its column `x{j}` (and `n{j}` when free)
 * with its objective coefficient, the row `b{j}` of a finite range, and its integrality.
 * @returns how x_j maps to the columns
 */
function addColumn(
  jsModel: JslpModel,
  j: number,
  lower: number,
  upper: number,
  column: { readonly cost: number; readonly integer: boolean },
): ColumnMap {
  const map = columnMap(lower, upper);
  jsModel.variables[`x${j}`] = { [OBJECTIVE]: map.sign * column.cost };
  if (map.free) jsModel.variables[`n${j}`] = { [OBJECTIVE]: -column.cost };
  if (Number.isFinite(lower) && Number.isFinite(upper)) {
    jsModel.constraints[`b${j}`] = upper === lower ? { equal: 0 } : { max: upper - lower };
    (jsModel.variables[`x${j}`] as Record<string, number>)[`b${j}`] = 1;
  }
  if (column.integer) {
    jsModel.ints[`x${j}`] = 1;
    if (map.free) jsModel.ints[`n${j}`] = 1;
  }
  return map;
}

/**
 * Adds row i to `jsModel` as row `r{i}`, its bounds moved by the columns' shifts; a row without terms
 * or without finite bounds is left out.
 * @returns `infeasible` when a row without terms excludes 0
 */
function addRow(
  jsModel: JslpModel,
  a: ModelArrays,
  maps: readonly ColumnMap[],
  i: number,
): "infeasible" | undefined {
  const first = a.starts[i] as number;
  const end = a.starts[i + 1] as number;
  let constant = 0;
  for (let k = first; k < end; k++)
    constant += (a.values[k] as number) * (maps[a.indices[k] as number] as ColumnMap).shift;
  const lower = (a.rowLower[i] as number) - constant;
  const upper = (a.rowUpper[i] as number) - constant;
  if (first === end) return lower > 0 || upper < 0 ? "infeasible" : undefined;
  if (!Number.isFinite(lower) && !Number.isFinite(upper)) return undefined;
  jsModel.constraints[`r${i}`] = rowBounds(lower, upper);
  for (let k = first; k < end; k++) {
    const j = a.indices[k] as number;
    const value = a.values[k] as number;
    const map = maps[j] as ColumnMap;
    (jsModel.variables[`x${j}`] as Record<string, number>)[`r${i}`] = map.sign * value;
    if (map.free) (jsModel.variables[`n${j}`] as Record<string, number>)[`r${i}`] = -value;
  }
  return undefined;
}

function recover(
  answer: Readonly<Record<string, unknown>>,
  maps: readonly ColumnMap[],
): Float64Array | string {
  const values = new Float64Array(maps.length);
  const read = (name: string): number | string => {
    // The library leaves columns at zero out of its answer.
    const value = answer[name] ?? 0;
    return typeof value === "number" ? value : name;
  };
  for (let j = 0; j < maps.length; j++) {
    const map = maps[j] as ColumnMap;
    const positive = read(`x${j}`);
    if (typeof positive === "string") return positive;
    const negative = map.free ? read(`n${j}`) : 0;
    if (typeof negative === "string") return negative;
    values[j] = map.shift + map.sign * positive - negative;
  }
  return values;
}
