/**
 * What the joint model's time rows (joint-time.ts) take beyond the grid, and one stage's compute time
 * on the grid's `R` columns, which the stage, offload and prefetch rows all use.
 */
import { type Build, FIXED_ONE, FIXED_ZERO } from "./model-rows.js";

/** What the time rows need beyond the grid. */
export interface JointTimeSpec {
  /** Per node: the duration of one transfer of `a:i` (latency + bytes / bandwidth), ms. */
  readonly transferMs: Float64Array;
  /** Every time lies in [0, horizonMs] (an incumbent's makespan, or the sum of every op and transfer). */
  readonly horizonMs: number;
  /** Only solutions with makespan <= this (ms), when given. */
  readonly cutoffMs?: number;
  /**
   * The model's unit of time, ms (every time is divided by it, so that an instance with every time
   * scaled by k builds the same model up to rounding and the backend's absolute tolerances act alike).
   */
  readonly unitMs: number;
}

/** Stage `t`'s compute as terms on `R` and a constant (fixed forwards and the backward), ms. */
export function stageCompute(
  b: Build,
  t: number,
  unit: number,
): { terms: [number, number][]; constant: number } {
  const { grid, columns } = b;
  const { n, g } = grid;
  const terms: [number, number][] = [];
  let constant = 0;
  for (let i = 0; i <= (grid.top[t] as number); i++) {
    const r = columns.compute[t * n + i] as number;
    if (r === FIXED_ONE) constant += (g.fwd[i] as number) / unit;
    else if (r !== FIXED_ZERO) terms.push([r, (g.fwd[i] as number) / unit]);
  }
  const w = grid.backwardOf[t] as number;
  if (w >= 0) constant += (g.bwd[w] as number) / unit;
  return { terms, constant };
}
