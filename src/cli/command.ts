/**
 * The shape of a CLI command: a name, its help text and `run`, which returns the exit code
 * (0 an answer, 2 bad input, 1 anything else). Commands print through `io` so tests can capture them.
 */

/** Where a command writes. */
export interface CommandIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** The terminal behind `err`, when it is one (progress bars redraw on it); absent otherwise. */
  readonly tty?: NodeJS.WriteStream;
}

export interface Command {
  readonly name: string;
  /** One line for `remat --help`. */
  readonly summary: string;
  /** The full `remat NAME --help` text: usage line, options, examples. */
  readonly help: string;
  /** Runs with the arguments after the command name; throws InputError for bad input. */
  readonly run: (args: readonly string[], io: CommandIo) => Promise<number>;
}
