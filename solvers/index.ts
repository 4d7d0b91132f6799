/**
 * The solver registry: one explicit array, looked up by name (no registration by import side effect),
 * and `solve`, which runs a solver and checks its claims with the evaluator.
 */
import type { Solver } from "../src/solver.js";
import { checkpoints } from "./baselines/checkpoints.js";
import { chenGreedy, chenSqrt } from "./baselines/chen.js";
import { recomputeAll } from "./baselines/recompute-all.js";
import { storeAll } from "./baselines/store-all.js";
import { chainDp, revolve } from "./chain/index.js";
import { graphMincut } from "./graph/index.js";

/** Every solver remat has, in the order `remat solvers` lists them. */
export const solvers: readonly Solver[] = Object.freeze([
  storeAll,
  recomputeAll,
  chenSqrt,
  chenGreedy,
  checkpoints,
  chainDp,
  revolve,
  graphMincut,
]);

export { storeAllSchedule } from "./baselines/store-all.js";
export { type SolveOptions, solve } from "./solve.js";
