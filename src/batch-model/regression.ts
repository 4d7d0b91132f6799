/**
 * Straight lines against the batch size (Naveen & Kumar, IEEE HPCC 2019, fit each layer's memory
 * linearly in the batch): least squares, with exact integer lines recognised exactly so that a size
 * that is linear in the batch is predicted to the byte.
 */
import type { BatchLine } from "../instance/batch-model.js";

/** How a fitted quantity depends on the batch. */
export type LineKind = "constant" | "linear" | "approximate";

/**
 * The least-squares line of `values` against `batches` (same length, at least two distinct batches).
 * When `integer` and the points lie exactly on one line (checked in exact integer arithmetic), that
 * line with `maxResidual` 0; otherwise the least-squares line and its largest absolute residual.
 */
export function fitLine(batches: readonly number[], values: readonly number[], integer: boolean): BatchLine {
  if (integer && collinear(batches, values)) {
    const [b0, b1] = [batches[0] as number, batches[1] as number];
    const [y0, y1] = [values[0] as number, values[1] as number];
    const slope = (y1 - y0) / (b1 - b0);
    return { intercept: y0 - slope * b0, slope, maxResidual: 0 };
  }
  const n = batches.length;
  const meanB = batches.reduce((sum, b) => sum + b, 0) / n;
  const meanY = values.reduce((sum, y) => sum + y, 0) / n;
  let sbb = 0;
  let sby = 0;
  for (let i = 0; i < n; i++) {
    const db = (batches[i] as number) - meanB;
    sbb += db * db;
    sby += db * ((values[i] as number) - meanY);
  }
  const slope = sbb === 0 ? 0 : sby / sbb;
  const intercept = meanY - slope * meanB;
  let maxResidual = 0;
  for (let i = 0; i < n; i++)
    maxResidual = Math.max(
      maxResidual,
      Math.abs((values[i] as number) - (intercept + slope * (batches[i] as number))),
    );
  return { intercept, slope, maxResidual };
}

/** Whether the integer points (batch, value) all lie on one line, in exact (BigInt) arithmetic. */
function collinear(batches: readonly number[], values: readonly number[]): boolean {
  if (!values.every(Number.isInteger)) return false;
  const b0 = BigInt(batches[0] as number);
  const y0 = BigInt(values[0] as number);
  const db1 = BigInt(batches[1] as number) - b0;
  const dy1 = BigInt(values[1] as number) - y0;
  return batches.every((batch, i) => (BigInt(values[i] as number) - y0) * db1 === dy1 * (BigInt(batch) - b0));
}

/** Whether the line is constant, exactly linear, or only approximately linear over the profiled batches. */
export function lineKind(line: BatchLine): LineKind {
  if (line.maxResidual > 0) return "approximate";
  return line.slope === 0 ? "constant" : "linear";
}

/** Options of {@link predictOnLine}. */
export interface PredictOptions {
  /** A size in bytes: rounded to an integer (up, unless the line is exact and lands on one). */
  readonly integer: boolean;
  /** Add the line's largest residual, a safety margin for quantities the line fits only approximately. */
  readonly margin: boolean;
}

/** Relative slack under which an exact line's value counts as the integer it rounds to. */
const INTEGER_SLACK = 1e-9;

/**
 * The line's value at `batch`, at least 0. An exact line of integers (maxResidual 0) that lands on an
 * integer gives it exactly; otherwise sizes round up. With `margin`, `maxResidual` is added first.
 */
export function predictOnLine(line: BatchLine, batch: number, options: PredictOptions): number {
  const raw = line.intercept + line.slope * batch + (options.margin ? line.maxResidual : 0);
  const value = Math.max(0, raw);
  if (!options.integer) return value;
  const nearest = Math.round(value);
  if (line.maxResidual === 0 && Math.abs(value - nearest) <= INTEGER_SLACK * Math.max(1, value))
    return nearest;
  return Math.ceil(value);
}
