/** The stage menu a pipeline solver builds for its problem. */
import type { PipelineProblem, PipelineSolverOptions } from "../../src/pipeline/types.js";
import type { Deadline } from "../../src/time-limit.js";
import { StageMenu } from "./stage-menu.js";

/** The menu of `problem` under the solver's options (slots, checkpointing) and deadline. */
export function menuFor(
  problem: PipelineProblem,
  options: PipelineSolverOptions,
  deadline: Deadline,
): StageMenu {
  return new StageMenu(problem, { checkpointing: options.checkpointing, slots: options.slots, deadline });
}
