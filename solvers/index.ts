/** The solvers: the registry and `solve`, which runs one and checks everything it says. */

export {
  type MicrobatchOptions,
  solveMicrobatched,
} from "./microbatch.js";
export { type BoundOptions, solveWithBound } from "./milp/bound.js";
export { findSolver, solvers } from "./registry.js";
export { DEFAULT_SLOTS, type SolveOptions, solve } from "./solve.js";
