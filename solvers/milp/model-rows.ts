/**
 * The shared pieces of the stage-grid model's construction (model.ts, model-memory.ts): where the
 * binaries are, the builder's state, and rows with fixed columns folded into their bounds.
 */
import type { LpTerm, ModelBuilder } from "../../src/lp/model.js";
import type { StageGrid } from "./grid.js";

/** In `GridColumns`: the binary is absent, fixed at 0 (the grid forbids it). */
export const FIXED_ZERO = -1;
/** In `GridColumns`: the binary is fixed at 1 (a forward stage's own forward). */
export const FIXED_ONE = -2;

/** Where the model's binaries are: `stage * n + node` (FIXED_ZERO / FIXED_ONE / a column). */
export interface GridColumns {
  readonly compute: Int32Array;
  readonly retain: Int32Array;
  /** Column of `T[t,v]`, or FIXED_ZERO. */
  readonly tape: Int32Array;
  /** Column of `P[t,i]` (`a:i` prefetched at stage `t`'s start: the joint model, joint-model.ts), or FIXED_ZERO. */
  readonly prefetch: Int32Array;
}

/** The model's state while rows are added. */
export interface Build {
  readonly m: ModelBuilder;
  readonly grid: StageGrid;
  readonly columns: GridColumns;
  /** `H[t,v]` columns at `t * n + v`, -1 where absent. */
  readonly held: Int32Array;
  readonly unit: number;
  readonly budgetUnits: number;
  readonly fixedUnits: number;
  /** The joint model's: recomputations carry no objective (the makespan is a time column, joint-time.ts). */
  readonly timed: boolean;
}

/** A binary's terms: none when fixed 0, a constant when fixed 1 (returned separately). */
function term(column: number, coefficient: number): { terms: LpTerm[]; constant: number } {
  if (column === FIXED_ZERO) return { terms: [], constant: 0 };
  if (column === FIXED_ONE) return { terms: [], constant: coefficient };
  return { terms: [[column, coefficient]], constant: 0 };
}

/** `lower <= sum of (column, coefficient) <= upper`, fixed columns moved into the bounds. */
export function addRow(
  b: Build,
  name: string,
  parts: readonly (readonly [number, number])[],
  bounds: { lower?: number; upper?: number },
): void {
  const terms: LpTerm[] = [];
  let constant = 0;
  for (const [column, coefficient] of parts) {
    const part = term(column, coefficient);
    terms.push(...part.terms);
    constant += part.constant;
  }
  const lower = bounds.lower === undefined ? undefined : bounds.lower - constant;
  const upper = bounds.upper === undefined ? undefined : bounds.upper - constant;
  if (terms.length === 0) {
    if ((lower ?? 0) > 1e-9 || (upper ?? 0) < -1e-9) b.m.addConstraint(name, [], { lower: 1, upper: 1 });
    return;
  }
  b.m.addConstraint(name, terms, {
    ...(lower === undefined ? {} : { lower }),
    ...(upper === undefined ? {} : { upper }),
  });
}
