/**
 * Checker: collects every issue found while reading an untrusted JSON value (parse.ts reads instances
 * with it), each with its JSON path, so that one InputError can report them all.
 */
import { describeValue, type InputIssue, type IssueCode } from "../errors.js";
import { BYTES_LIMIT_TEXT, MAX_BYTES, MAX_TOTAL_MS, TIME_LIMIT_TEXT } from "./limits.js";

/**
 * What an amount measures: a size in bytes, a time in ms, a positive number (a bandwidth), a fraction
 * in [0, 1] (a density) or a count of at least 1 (an element size in bytes).
 */
type AmountKind = "bytes" | "ms" | "positive" | "fraction" | "count";

/** What each kind of amount must be, as issues say it. */
const AMOUNT_EXPECTED: Readonly<Record<AmountKind, string>> = {
  bytes: "a non-negative integer",
  positive: "a positive finite number",
  ms: "a non-negative finite number",
  fraction: "a number from 0 to 1",
  count: "a positive integer",
};

/** Collects issues while reading an untrusted JSON value. */
export class Checker {
  readonly issues: InputIssue[] = [];

  /** Records one issue at `path`: what was expected and the value received. */
  add(code: IssueCode, path: string, expected: string, value: unknown): void {
    this.issues.push({ code, path, expected, received: describeValue(value) });
  }

  /** `value` as a record when it is a plain object; otherwise an issue and undefined. */
  object(value: unknown, path: string): Record<string, unknown> | undefined {
    if (typeof value === "object" && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
    this.add(value === undefined ? "required" : "type", path, "an object", value);
    return undefined;
  }

  /** One `unknown-field` issue per key of `record` not in `known`. */
  knownFields(record: Record<string, unknown>, path: string, known: readonly string[]): void {
    for (const key of Object.keys(record)) {
      if (!known.includes(key)) {
        this.issues.push({
          code: "unknown-field",
          path: join(path, key),
          expected: `one of the known fields`,
          received: `unknown field "${key}"`,
        });
      }
    }
  }

  /** `value` when it is a string; `fallback` when absent, if given; otherwise an issue and "". */
  string(value: unknown, path: string, fallback?: string): string {
    if (typeof value === "string") return value;
    if (value === undefined && fallback !== undefined) return fallback;
    this.add(value === undefined ? "required" : "type", path, "a string", value);
    return "";
  }

  /** `value` when it is a boolean; `fallback` when absent or (after an issue) of the wrong type. */
  boolean(value: unknown, path: string, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value === "boolean") return value;
    this.add("type", path, "true or false", value);
    return fallback;
  }

  /**
   * A finite number >= 0 (> 0 when `positive`); `fallback` when absent, if given. A size (`bytes`) is
   * an integer <= {@link MAX_BYTES}; a time (`ms`) is <= {@link MAX_TOTAL_MS} (src/instance/limits.ts
   * says why); `positive` numbers (a bandwidth) have no upper limit.
   */
  amount(value: unknown, path: string, options: { kind: AmountKind; fallback?: number }): number {
    const kind = AMOUNT_EXPECTED[options.kind];
    if (value === undefined) {
      if (options.fallback !== undefined) return options.fallback;
      this.add("required", path, kind, value);
      return 0;
    }
    if (typeof value !== "number") {
      this.add("type", path, kind, value);
      return 0;
    }
    const issue = amountIssue(value, options.kind);
    if (issue === undefined) return value;
    this.add(issue.code, path, issue.expected, value);
    return 0;
  }
}

/** `path` extended by an object key (`a.key`) or an array index (`a[3]`). */
export function join(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path === "" ? key : `${path}.${key}`;
}

/**
 * What is wrong with a number read as an amount of `kind` (its issue code and what was expected), or
 * undefined when it is acceptable.
 */
function amountIssue(value: number, kind: AmountKind): { code: IssueCode; expected: string } | undefined {
  const expected = AMOUNT_EXPECTED[kind];
  if (!Number.isFinite(value)) return { code: "not-finite", expected };
  if (value < 0 || ((kind === "positive" || kind === "count") && value === 0))
    return { code: "negative", expected };
  if ((kind === "bytes" || kind === "count") && !Number.isInteger(value))
    return { code: "not-integer", expected };
  if (kind === "fraction" && value > 1) return { code: "too-large", expected };
  if ((kind === "bytes" || kind === "count") && value > MAX_BYTES)
    return { code: "too-large", expected: `${expected} ${BYTES_LIMIT_TEXT}` };
  if (kind === "ms" && value > MAX_TOTAL_MS)
    return { code: "too-large", expected: `${expected} ${TIME_LIMIT_TEXT}` };
  return undefined;
}
