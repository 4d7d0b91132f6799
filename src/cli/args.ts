/**
 * Argument parsing for the CLI on top of node:util's parseArgs, turning its errors into InputErrors
 * (exit code 2) that name the option.
 */
import { type ParseArgsConfig, parseArgs } from "node:util";
import { describeValue, InputError } from "../errors.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parsed arguments: option values by name and the positional arguments. */
export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

/**
 * Joins each value-taking option to a following token that starts with `-` (`--budget -5%` becomes
 * `--budget=-5%`), so that the option's own check judges the value instead of parseArgs calling it
 * ambiguous. A following token that is itself one of the options (`--out --json`), `-h` or `--` is
 * left alone: the value is then missing, as parseArgs says.
 */
export function attachDashValues(args: readonly string[], options: Options): string[] {
  const isOption = (token: string) =>
    token === "--" ||
    token === "-h" ||
    (token.startsWith("--") && Object.hasOwn(options, token.slice(2).split("=")[0] ?? "")) ||
    token === "--help";
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const token = args[i] as string;
    if (token === "--") {
      joined.push(...args.slice(i));
      break;
    }
    const next = args[i + 1];
    const takesValue = token.startsWith("--") && options[token.slice(2)]?.type === "string";
    if (takesValue && next?.startsWith("-") && !isOption(next)) {
      joined.push(`${token}=${next}`);
      i++;
    } else joined.push(token);
  }
  return joined;
}

/** Parses `args` strictly against `options`; unknown options and missing values throw InputError. */
export function parseCommandArgs(command: string, args: readonly string[], options: Options): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: attachDashValues(args, options),
      options,
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Record<string, string | boolean | string[] | undefined>, positionals };
  } catch (error) {
    const message = (error as Error).message.split("\n")[0] ?? "bad arguments";
    throw new InputError(`remat ${command}`, [
      {
        code: "option",
        path: "arguments",
        expected: `options as in \`remat ${command} --help\``,
        received: message,
      },
    ]);
  }
}

/** The positional argument at `index`, required. */
export function requirePositional(command: string, parsed: ParsedArgs, index: number, name: string): string {
  const value = parsed.positionals[index];
  if (value === undefined)
    throw new InputError(`remat ${command}`, [
      { code: "required", path: name, expected: `a ${name} argument`, received: "missing" },
    ]);
  return value;
}

/** Rejects positional arguments beyond `count`. */
export function noExtraPositionals(command: string, parsed: ParsedArgs, count: number): void {
  const extra = parsed.positionals.slice(count);
  if (extra.length > 0) {
    throw new InputError(`remat ${command}`, [
      {
        code: "option",
        path: "arguments",
        expected: `at most ${count} positional argument(s)`,
        received: describeValue(extra.join(" ")),
      },
    ]);
  }
}

/** A positive number option (`--time-limit 5`), or undefined when absent. */
export function numberOption(
  command: string,
  parsed: ParsedArgs,
  name: string,
  integer = false,
): number | undefined {
  const raw = parsed.values[name];
  if (raw === undefined || typeof raw === "boolean") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new InputError(`remat ${command}`, [
      {
        code: "option",
        path: `--${name}`,
        expected: integer ? "a positive integer" : "a positive number",
        received: describeValue(raw),
      },
    ]);
  }
  return value;
}

/** A string option, or undefined when absent. */
export function stringOption(parsed: ParsedArgs, name: string): string | undefined {
  const raw = parsed.values[name];
  return typeof raw === "string" ? raw : undefined;
}

/**
 * The solver switches given as repeated `--extra KEY=VALUE`: VALUE is read as JSON when it parses
 * (numbers, true/false, lists) and as a string otherwise.
 * @throws InputError (code `option`, path `--extra`) for an item without `=` or with an empty key
 */
export function extraOptions(command: string, parsed: ParsedArgs): Record<string, unknown> {
  const items = parsed.values.extra;
  const list = items === undefined ? [] : Array.isArray(items) ? items : [String(items)];
  const extra: Record<string, unknown> = {};
  for (const item of list) {
    const equals = item.indexOf("=");
    if (equals <= 0)
      throw new InputError(`remat ${command}`, [
        { code: "option", path: "--extra", expected: "KEY=VALUE", received: describeValue(item) },
      ]);
    const text = item.slice(equals + 1);
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // not JSON: the text itself
    }
    extra[item.slice(0, equals)] = value;
  }
  return extra;
}
