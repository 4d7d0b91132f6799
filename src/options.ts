/**
 * Solver switches (`extra`): each solver declares one typed table of its tunables, every one named,
 * documented and defaulted in one place (STYLE.md, "One typed options table per solver"). `parseSwitches`
 * checks given values against the table, refuses unknown keys naming what the solver accepts, and fills
 * the defaults, so a result records every switch it was solved with and can be reproduced.
 */
import { describeValue, InputError, type InputIssue } from "./errors.js";

/** One switch: its type, default, range and what it does. */
export type OptionSpec =
  | { readonly type: "boolean"; readonly default: boolean; readonly doc: string }
  | {
      readonly type: "integer";
      readonly default: number;
      readonly min: number;
      readonly max?: number;
      readonly doc: string;
    }
  | {
      readonly type: "number";
      readonly default: number;
      readonly min: number;
      readonly max?: number;
      readonly doc: string;
    }
  | {
      readonly type: "choice";
      readonly values: readonly string[];
      readonly default: string;
      readonly doc: string;
    }
  | { readonly type: "strings"; readonly default: readonly string[]; readonly doc: string };

/** A solver's switches by name. */
export type OptionsTable = Readonly<Record<string, OptionSpec>>;

/** The value type of one switch. */
export type OptionValue<S extends OptionSpec> = S extends { readonly type: "boolean" }
  ? boolean
  : S extends { readonly type: "integer" | "number" }
    ? number
    : S extends { readonly type: "choice"; readonly values: readonly (infer V)[] }
      ? V
      : readonly string[];

/** Every switch of a table with its value. */
export type OptionValues<T extends OptionsTable> = { readonly [K in keyof T]: OptionValue<T[K]> };

/** The table with no switches. */
export const NO_SWITCHES: OptionsTable = Object.freeze({});

function expectation(spec: OptionSpec): string {
  switch (spec.type) {
    case "boolean":
      return "true or false";
    case "integer":
      return `an integer >= ${spec.min}${spec.max === undefined ? "" : ` and <= ${spec.max}`}`;
    case "number":
      return `a finite number >= ${spec.min}${spec.max === undefined ? "" : ` and <= ${spec.max}`}`;
    case "choice":
      return `one of ${spec.values.map((value) => JSON.stringify(value)).join(", ")}`;
    case "strings":
      return "a list of strings";
  }
}

function accepts(spec: OptionSpec, value: unknown): boolean {
  switch (spec.type) {
    case "boolean":
      return typeof value === "boolean";
    case "integer":
    case "number":
      return (
        typeof value === "number" &&
        Number.isFinite(value) &&
        (spec.type === "number" || Number.isInteger(value)) &&
        value >= spec.min &&
        (spec.max === undefined || value <= spec.max)
      );
    case "choice":
      return typeof value === "string" && spec.values.includes(value);
    case "strings":
      return Array.isArray(value) && value.every((item) => typeof item === "string");
  }
}

/**
 * Checks `given` against `table` and fills the defaults.
 *
 * @param site the solver's name, for the message
 * @returns every switch of the table, given or defaulted (a new frozen object)
 * @throws InputError (code `option`, path `extra.KEY`) for each unknown key (naming the switches the
 *   solver accepts) and each value of the wrong type or out of range
 */
export function parseSwitches<T extends OptionsTable>(
  table: T,
  given: Readonly<Record<string, unknown>> | undefined,
  site: string,
): OptionValues<T> {
  const issues = unknownSwitchIssues(table, given, site);
  const values: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(table)) {
    const value = given?.[key];
    if (value === undefined) values[key] = spec.default;
    else if (accepts(spec, value)) values[key] = Array.isArray(value) ? Object.freeze([...value]) : value;
    else
      issues.push({
        code: "option",
        path: `extra.${key}`,
        expected: expectation(spec),
        received: describeValue(value),
      });
  }
  if (issues.length > 0) throw new InputError(site, issues);
  return Object.freeze(values) as OptionValues<T>;
}

/** One issue per key of `given` that `table` does not define, naming the switches it does. */
function unknownSwitchIssues(
  table: OptionsTable,
  given: Readonly<Record<string, unknown>> | undefined,
  site: string,
): InputIssue[] {
  const issues: InputIssue[] = [];
  const known = Object.keys(table);
  for (const key of Object.keys(given ?? {})) {
    if (!(key in table))
      issues.push({
        code: "option",
        path: `extra.${key}`,
        expected:
          known.length === 0
            ? `absent: ${site} has no switches`
            : `one of the switches ${site} reads (${known.join(", ")})`,
        received: `unknown switch "${key}"`,
      });
  }
  return issues;
}

/** One line per switch (`name  type, default D: doc`), for help texts and the solver README. */
export function describeSwitches(table: OptionsTable): string[] {
  return Object.entries(table).map(
    ([key, spec]) => `${key} (${expectation(spec)}; default ${JSON.stringify(spec.default)}): ${spec.doc}`,
  );
}
