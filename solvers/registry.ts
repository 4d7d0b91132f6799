/**
 * The solver registry: one explicit array, looked up by name (no registration by import side effect).
 * A solver added here is covered by the conformance suite (test/conformance/) without a test of its own.
 */
import { describeValue, InputError } from "../src/errors.js";
import type { Solver } from "../src/solver.js";
import { checkpoints } from "./baselines/checkpoints.js";
import { chenGreedy, chenSqrt } from "./baselines/chen.js";
import { recomputeAll } from "./baselines/recompute-all.js";
import { storeAll } from "./baselines/store-all.js";
import { chainDp, revolve } from "./chain/index.js";
import { graphMincut } from "./graph/index.js";
import { graphOffload } from "./graph-offload/index.js";
import { lpRound, milp, milpBlocks, milpOffload } from "./milp/index.js";
import {
  offloadAll,
  offloadExhaustive,
  offloadFluid,
  offloadLargest,
  offloadLpRound,
  offloadMilp,
} from "./offload/index.js";
import { pofo } from "./pofo/index.js";

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
  offloadAll,
  offloadLargest,
  offloadLpRound,
  offloadFluid,
  offloadExhaustive,
  offloadMilp,
  pofo,
  graphOffload,
  milp,
  lpRound,
  milpOffload,
  milpBlocks,
]);

/** Looks a solver up by name. @throws InputError (code `option`, path `solver`) listing the valid names */
export function findSolver(name: unknown): Solver {
  const solver = solvers.find((candidate) => candidate.name === name);
  if (solver === undefined) {
    throw new InputError("solve", [
      {
        code: "option",
        path: "solver",
        expected: `one of ${solvers.map((s) => s.name).join(", ")}`,
        received: describeValue(name),
      },
    ]);
  }
  return solver;
}
