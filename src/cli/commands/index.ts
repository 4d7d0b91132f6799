/** Every CLI command, in the order `remat --help` lists them. */
import type { Command } from "../command.js";
import { demoCommand } from "./demo.js";
import { evaluateCommand } from "./evaluate.js";
import { solveCommand } from "./solve.js";
import { solversCommand } from "./solvers.js";

export const commands: readonly Command[] = [solveCommand, evaluateCommand, solversCommand, demoCommand];
