/**
 * The one interface every LP/MILP backend implements (DESIGN.md, "Solvers": HiGHS, glpk.js and
 * javascript-lp-solver behind `LpBackend`), its options and its one result shape. Infeasible,
 * unbounded and out-of-time are answers (a `status`); a failure inside the backend library is a bug
 * and throws {@link LpBackendError}.
 */
import { InternalError } from "../errors.js";
import type { LpModel } from "./model.js";

/**
 * - `optimal`: the backend proved optimality (within `mipGap` for a MILP);
 * - `feasible`: a solution that satisfies every row, bound and integrality, without proof of optimality;
 * - `infeasible`: proved that no point satisfies the model;
 * - `unbounded`: feasible with an objective unbounded in the model's sense;
 * - `timeout`: the time limit stopped the solve, with the best solution found if any.
 */
export type LpStatus = "optimal" | "feasible" | "infeasible" | "unbounded" | "timeout";

export interface LpSolveOptions {
  /** Wall-clock limit in seconds (> 0; `Infinity` or absent for none). */
  readonly timeLimitSec?: number;
  /**
   * Relative MIP gap at which the search may stop (>= 0; default 0, exact). Not every backend's own
   * default: HiGHS alone would stop at 1e-4.
   */
  readonly mipGap?: number;
  /** Drop integrality: solve the LP relaxation (binaries keep their [0, 1] bounds). */
  readonly relax?: boolean;
  /**
   * A MILP start: values of some columns (by index), tried as the first incumbent by the backends that
   * take one (HiGHS completes the other columns itself); the others ignore it. It changes no answer
   * the backend proves, only how soon it finds one.
   */
  readonly start?: { readonly indices: Int32Array; readonly values: Float64Array };
}

/** What a backend returned, in the model's own sense and with its offset included. */
export interface LpResult {
  readonly status: LpStatus;
  /** Objective of `values`: present with `optimal` and `feasible`, and with `timeout` when there is an incumbent. */
  readonly objective?: number;
  /** Value of each variable, by variable index; present exactly when `objective` is. */
  readonly values?: Float64Array;
  /**
   * Proven bound on the optimum: a lower bound when minimizing, an upper bound when maximizing (HiGHS
   * `mip_dual_bound`; the objective itself for a proven optimum). Absent when the backend proves none.
   */
  readonly bound?: number;
  /** Relative gap between `objective` and `bound` as the backend defines it (0 for a proven optimum). */
  readonly gap?: number;
  /** Simplex iterations, when the backend counts them. */
  readonly iterations?: number;
  /** Branch-and-bound nodes, when the backend counts them. */
  readonly nodes?: number;
  /** Wall time of the solve (library loading included), ms. */
  readonly wallMs: number;
  /** Name of the backend that answered. */
  readonly backend: string;
}

/** An LP/MILP backend: a plain object with a name and `solve`. */
export interface LpBackend {
  readonly name: string;
  /**
   * Solves `model` (never mutated).
   * @throws LpBackendError when the library throws, crashes or answers something unexpected
   * @throws InternalError for invalid options
   */
  solve(model: LpModel, options?: LpSolveOptions): Promise<LpResult>;
}

/** A failure inside a backend library; the message names the backend (`LP backend highs failed: ...`). */
export class LpBackendError extends InternalError {
  readonly backend: string;

  /**
   * @param backend the backend's name
   * @param detail what went wrong
   * @param cause the error the library threw, if any
   */
  constructor(backend: string, detail: string, cause?: unknown) {
    super(`LP backend ${backend} failed: ${detail}`);
    this.backend = backend;
    if (cause !== undefined) this.cause = cause;
  }
}
