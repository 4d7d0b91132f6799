/**
 * The LP/MILP backends' names and what their answers prove, without loading the backends (their
 * libraries import Node modules; src/lp/load.ts loads them on first use).
 */

/** Name of an available backend. */
export type LpBackendName = "highs" | "glpk" | "jslp";

/**
 * The backends whose `optimal` and `infeasible` are proofs: javascript-lp-solver's are not
 * (src/lp/README.md), so an answer it finds is at most `feasible`.
 */
export const PROVING_LP_BACKENDS: ReadonlySet<string> = new Set<LpBackendName>(["highs", "glpk"]);
