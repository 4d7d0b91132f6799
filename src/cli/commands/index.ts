/** Every CLI command, in the order `remat --help` lists them. */
import type { Command } from "../command.js";
import { batchCommand } from "./batch.js";
import { demoCommand } from "./demo.js";
import { evaluateCommand } from "./evaluate.js";
import { exportCommand } from "./export.js";
import { fitCommand } from "./fit.js";
import { hardwareCommand } from "./hardware.js";
import { importCommand } from "./import.js";
import { memoryCommand } from "./memory.js";
import { pipelineCommand } from "./pipeline.js";
import { plotCommand } from "./plot.js";
import { profileCommand } from "./profile.js";
import { simulateCommand } from "./simulate.js";
import { solveCommand } from "./solve.js";
import { solversCommand } from "./solvers.js";
import { zooCommand } from "./zoo.js";

export const commands: readonly Command[] = [
  solveCommand,
  evaluateCommand,
  batchCommand,
  memoryCommand,
  fitCommand,
  pipelineCommand,
  simulateCommand,
  profileCommand,
  plotCommand,
  solversCommand,
  hardwareCommand,
  zooCommand,
  importCommand,
  exportCommand,
  demoCommand,
];
