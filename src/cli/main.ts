/**
 * The `remat` command line: dispatches to a command, prints bad input as messages (exit 2, no stack
 * trace), answers with exit 0 and other failures with exit 1. Set REMAT_DEBUG=1 for stack traces.
 */
import { readFileSync } from "node:fs";
import { InputError, InternalError } from "../errors.js";
import { bundledPath } from "../io/paths.js";
import type { Command, CommandIo } from "./command.js";
import { commands } from "./commands/index.js";
import { withFlagPaths } from "./flags.js";

function usage(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    "remat: plans activation memory for neural-network training (keep, recompute, offload)",
    "",
    "Usage: remat COMMAND [options]    (remat COMMAND --help for each)",
    "",
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    "",
    "Exit codes: 0 an answer (infeasible and timeout included), 2 bad input, 1 other failures.",
  ].join("\n");
}

/** Runs the CLI with `args` (without node and script) and returns the exit code. */
export async function runCli(args: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.out(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version") {
    io.out(JSON.parse(readFileSync(bundledPath("package.json"), "utf8")).version);
    return 0;
  }
  const command: Command | undefined = commands.find((candidate) => candidate.name === name);
  if (command === undefined) {
    io.err(`remat: unknown command "${name}"; the commands are: ${commands.map((c) => c.name).join(", ")}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(command.help);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    return reportFailure(error, name, io);
  }
}

/**
 * Prints what made command `name` fail and returns the exit code: 2 with every issue for bad input,
 * 1 with the message (the stack trace under REMAT_DEBUG) for anything else.
 */
function reportFailure(error: unknown, name: string, io: CommandIo): number {
  if (error instanceof InputError) {
    io.err(withFlagPaths(error).message);
    return 2;
  }
  if (process.env.REMAT_DEBUG) io.err(String((error as Error).stack));
  else
    io.err(
      error instanceof InternalError
        ? error.message
        : `remat ${name}: ${(error as Error).message ?? String(error)}`,
    );
  return 1;
}
