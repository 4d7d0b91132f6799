/**
 * The three kinds of failure (STYLE.md, "Errors and bad input"): bad input throws an {@link InputError}
 * carrying every issue found; unsolvable valid input is a result status, not an error; a broken
 * invariant throws {@link InternalError}.
 */

/** Machine-readable class of an input problem; tests check these codes, never message text. */
export type IssueCode =
  | "json"
  | "type"
  | "required"
  | "unknown-field"
  | "duplicate-id"
  | "unknown-id"
  | "duplicate-input"
  | "cycle"
  | "order"
  | "negative"
  | "not-finite"
  | "not-integer"
  | "too-large"
  | "total-too-large"
  | "too-deep"
  | "bad-value"
  | "structure"
  | "file"
  | "option";

/** One problem found in an input, located by its JSON path (`nodes[3].bytes`). */
export interface InputIssue {
  readonly code: IssueCode;
  /** JSON path of the offending field, `""` for the document itself. */
  readonly path: string;
  /** What was expected there, in words. */
  readonly expected: string;
  /** What was found, rendered for a human (`-3`, `"reluu"`, `missing`). */
  readonly received: string;
}

/** Renders any value briefly for an error message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "missing";
  if (typeof value === "string")
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return String(value);
}

/** Bad input: every issue found at once, each with its path; the message names the call site and file. */
export class InputError extends Error {
  override readonly name = "InputError";
  readonly issues: readonly InputIssue[];
  readonly site: string;
  readonly file: string | undefined;

  /**
   * @param site the function or command that read the input, e.g. `loadInstance`
   * @param issues at least one issue
   * @param file the file the input came from, when there is one
   */
  constructor(site: string, issues: readonly InputIssue[], file?: string) {
    const where = file === undefined ? "" : ` (in ${file})`;
    const lines = issues.map(
      (issue) =>
        `${site}: ${issue.path === "" ? "input" : issue.path} must be ${issue.expected}, got ${issue.received}${where}`,
    );
    super(lines.join("\n"));
    this.issues = Object.freeze([...issues]);
    this.site = site;
    this.file = file;
  }
}

/** A broken invariant inside remat: this is a bug, never the user's fault. */
export class InternalError extends Error {
  override readonly name = "InternalError";
  constructor(message: string) {
    super(`internal error (this is a bug in remat): ${message}`);
  }
}

/**
 * Runs `read`, moving the issues of an InputError it throws into `issues` (so that one InputError can
 * report every problem of an input); undefined then. Other errors pass through.
 */
export function collectIssues<T>(issues: InputIssue[], read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    issues.push(...error.issues);
    return undefined;
  }
}
