/**
 * The pipeline solver registry: one explicit array, separate from the single-device registry
 * (solvers/registry.ts), looked up by name.
 */
import { describeValue, InputError } from "../../src/errors.js";
import type { PipelineSolver } from "../../src/pipeline/types.js";
import { balanceMemory, balanceTime, uniform } from "./baselines.js";
import { pipelineIlp } from "./ilp.js";
import { pipelineDp } from "./pipeline-dp.js";

/** Every pipeline solver, in the order `remat pipeline --help` lists them. */
export const pipelineSolvers: readonly PipelineSolver[] = Object.freeze([
  pipelineDp,
  pipelineIlp,
  balanceTime,
  balanceMemory,
  uniform,
]);

/** Looks a pipeline solver up by name. @throws InputError (code `option`, path `solver`) listing the names */
export function findPipelineSolver(name: unknown): PipelineSolver {
  const solver = pipelineSolvers.find((candidate) => candidate.name === name);
  if (solver === undefined)
    throw new InputError("pipeline", [
      {
        code: "option",
        path: "solver",
        expected: `one of ${pipelineSolvers.map((s) => s.name).join(", ")}`,
        received: describeValue(name),
      },
    ]);
  return solver;
}
