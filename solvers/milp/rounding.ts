/**
 * Checkmate's two rounding phases for the LP relaxation of the stage-grid MILP (Jain et al., MLSys
 * 2020, section 5; parasj/checkmate `solve_approx_lp_deterministic_sweep`, `_randomized`): phase 1
 * rounds the fractional retention `S*` (every threshold of a sweep, then Bernoulli draws from a seeded
 * generator), phase 2 takes the least recomputation for the rounded `S` (plan.ts). Each candidate is
 * repaired (non-recomputable activations kept while they may be read) and judged by the evaluator;
 * the fastest within the budget wins. Deterministic: the same values and seed give the same answer.
 * O(candidates x (stages x n + instructions)).
 */

import { seededRandom } from "../../src/generate/random.js";
import type { Instance } from "../../src/instance/types.js";
import type { Deadline } from "../../src/time-limit.js";
import type { StageGrid } from "./grid.js";
import { faster, type Judged, judgeWithin } from "./judged.js";
import { FIXED_ZERO, type GridColumns } from "./model-rows.js";
import { keepUnrecomputable, leastRecomputation } from "./plan.js";
import { rebuildSchedule } from "./rebuild.js";

/** Checkmate's sweep: S >= 0.1, 0.2, ..., 0.9. */
export const THRESHOLDS: readonly number[] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/** What the rounding tried and found. */
export interface Rounded {
  readonly best: Judged | undefined;
  readonly candidates: number;
  readonly fitting: number;
}

/** The fractional retention `S*` by cell (`stage * n + node`; 0 where there is no column). */
export function fractionalRetention(
  grid: StageGrid,
  columns: GridColumns,
  values: Float64Array,
): Float64Array {
  const out = new Float64Array(grid.stages * grid.n);
  for (let at = 0; at < out.length; at++) {
    const column = columns.retain[at] as number;
    out[at] = column === FIXED_ZERO || column < 0 ? 0 : Math.min(1, Math.max(0, values[column] as number));
  }
  return out;
}

/** The schedule of a rounded retention, judged within the budget; undefined when it does not fit. */
function judgeRetention(instance: Instance, grid: StageGrid, retain: Uint8Array, budgetBytes: number) {
  const plan = leastRecomputation(grid, keepUnrecomputable(grid, retain));
  return plan === undefined ? undefined : judgeWithin(instance, rebuildSchedule(grid, plan), budgetBytes);
}

/**
 * Both phases over every fractional retention given (e.g. the LP's at the budget and at 0.9 of it).
 * @param draws randomized roundings per retention
 * @param seed of the generator (mulberry32)
 * @throws TimeLimitReached when the deadline passes between candidates
 */
export function roundRetentions(
  instance: Instance,
  grid: StageGrid,
  fractions: readonly Float64Array[],
  settings: { budgetBytes: number; draws: number; seed: number; deadline: Deadline },
): Rounded {
  const random = seededRandom(settings.seed);
  let best: Judged | undefined;
  let candidates = 0;
  let fitting = 0;
  const tryRetention = (retain: Uint8Array) => {
    settings.deadline.check("rounding the LP relaxation");
    candidates++;
    const judged = judgeRetention(instance, grid, retain, settings.budgetBytes);
    if (judged !== undefined) fitting++;
    best = faster(best, judged);
  };
  for (const fraction of fractions) {
    for (const threshold of THRESHOLDS)
      tryRetention(Uint8Array.from(fraction, (x) => (x >= threshold ? 1 : 0)));
    for (let d = 0; d < settings.draws; d++)
      tryRetention(Uint8Array.from(fraction, (x) => (random.next() < x ? 1 : 0)));
  }
  return { best, candidates, fitting };
}
