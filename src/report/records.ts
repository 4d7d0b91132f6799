/**
 * The records of a results log as `remat report` and `remat plot` read them: one per JSON line that
 * `remat batch` or `remat solve --out X.jsonl` appended, checked field by field. A line that is not JSON
 * (a record torn by a killed writer, which the log keeps as a line of its own) is skipped and counted; a
 * JSON line of the wrong shape is bad input, named by its line and field.
 */
import { describeValue, InputError, type InputIssue } from "../errors.js";

/** The stage-grid LP bound of a result (`--bound`), as far as a report reads it (src/solve-result.ts GridBoundReport). */
export interface RecordBound {
  readonly status: string;
  readonly valueMs: number | null;
  readonly over: string | null;
  readonly gap: number | null;
}

/** One result of a log, as far as a report reads it. */
export interface ResultRecord {
  /** 1-based line number in the log. */
  readonly line: number;
  readonly file: string;
  /** The instance's name (results only; failures carry only the file). */
  readonly instance: string | null;
  readonly solver: string;
  /** The budget as written (`50%`, `1.5GB`). */
  readonly budget: string;
  readonly budgetBytes: number | null;
  /** optimal, feasible, infeasible, timeout, rejected or error. */
  readonly status: string;
  /** Whether the batch stopped the solve past its time limit (a failure, not the solver's own timeout). */
  readonly stopped: boolean;
  readonly makespanMs: number | null;
  readonly peakBytes: number | null;
  /** makespan / store-all makespan - 1. */
  readonly overhead: number | null;
  readonly gridBound: RecordBound | null;
  /**
   * Whether the answer's schedule lies in the stage grid (`remat batch --bound` writes it), so that a
   * bound over the stage grid covers it; null when the line does not say.
   */
  readonly inStageGrid: boolean | null;
  /** The schedule in text form when the log kept it (`--with-schedules`), else null. */
  readonly schedule: readonly string[] | null;
  readonly reason: string | null;
}

/** A results log read for a report. */
export interface ResultRecords {
  readonly records: readonly ResultRecord[];
  /** Lines that are not JSON (torn records), skipped; the first one's number, 1-based. */
  readonly torn: { readonly count: number; readonly first: number | null };
}

const nullableNumber = (value: unknown) => value === null || value === undefined || typeof value === "number";

/** The issues of one parsed line (empty when its shape is right), paths as `line N: field`. */
function lineIssues(value: unknown, where: string): InputIssue[] {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return [
      { code: "type", path: where, expected: "a JSON object (one result)", received: describeValue(value) },
    ];
  const record = value as Record<string, unknown>;
  const issues: InputIssue[] = [];
  for (const field of ["file", "solver", "budget", "status"])
    if (typeof record[field] !== "string" || record[field] === "")
      issues.push({
        code: "type",
        path: `${where}: ${field}`,
        expected: "a string",
        received: describeValue(record[field]),
      });
  for (const field of ["budgetBytes", "makespanMs", "peakBytes", "overhead"])
    if (!nullableNumber(record[field]))
      issues.push({
        code: "type",
        path: `${where}: ${field}`,
        expected: "a number or null",
        received: describeValue(record[field]),
      });
  const schedule = record.schedule;
  if (schedule !== undefined && !(Array.isArray(schedule) && schedule.every((op) => typeof op === "string")))
    issues.push({
      code: "type",
      path: `${where}: schedule`,
      expected: "a list of instructions",
      received: describeValue(schedule),
    });
  const bound = record.gridBound;
  if (
    bound !== undefined &&
    (typeof bound !== "object" ||
      bound === null ||
      typeof (bound as { status?: unknown }).status !== "string")
  )
    issues.push({
      code: "type",
      path: `${where}: gridBound`,
      expected: "a bound report with a status",
      received: describeValue(bound),
    });
  return issues;
}

const numberOrNull = (value: unknown): number | null => (typeof value === "number" ? value : null);

/** The record of a line whose shape `lineIssues` accepted. */
function recordOf(raw: Record<string, unknown>, line: number): ResultRecord {
  const bound = raw.gridBound as Record<string, unknown> | undefined;
  return {
    line,
    file: raw.file as string,
    instance: typeof raw.instance === "string" ? raw.instance : null,
    solver: raw.solver as string,
    budget: raw.budget as string,
    budgetBytes: numberOrNull(raw.budgetBytes),
    status: raw.status as string,
    stopped: raw.stopped === true,
    makespanMs: numberOrNull(raw.makespanMs),
    peakBytes: numberOrNull(raw.peakBytes),
    overhead: numberOrNull(raw.overhead),
    gridBound:
      bound === undefined
        ? null
        : {
            status: bound.status as string,
            valueMs: numberOrNull(bound.valueMs),
            over: typeof bound.over === "string" ? bound.over : null,
            gap: numberOrNull(bound.gap),
          },
    inStageGrid: typeof raw.inStageGrid === "boolean" ? raw.inStageGrid : null,
    schedule: Array.isArray(raw.schedule) && raw.schedule.length > 0 ? (raw.schedule as string[]) : null,
    reason: typeof raw.reason === "string" ? raw.reason : null,
  };
}

/**
 * The records of the results log `text` (read from `file`, named in errors).
 * @param hint words added to the complaint when no line is JSON (what else the command reads)
 * @throws InputError (site `site`) naming each line and field of the wrong shape; code `json` naming the
 *   first line when no line is JSON; code `structure` for a log without a line
 */
export function parseResultRecords(text: string, file: string, site: string, hint = ""): ResultRecords {
  const records: ResultRecord[] = [];
  const issues: InputIssue[] = [];
  let tornCount = 0;
  let firstTorn: number | null = null;
  const bounds = new Map<string, RecordBound>();
  text.split("\n").forEach((content, index) => {
    if (content.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch {
      tornCount++;
      firstTorn ??= index + 1;
      return;
    }
    if (isBoundRecord(value)) {
      recordBound(bounds, value);
      return;
    }
    const found = lineIssues(value, `line ${index + 1}`);
    if (found.length > 0) issues.push(...found);
    else records.push(recordOf(value as Record<string, unknown>, index + 1));
  });
  if (issues.length > 0) throw new InputError(site, issues, file);
  if (records.length === 0)
    throw new InputError(
      site,
      [
        {
          code: firstTorn === null ? "structure" : "json",
          path: firstTorn === null ? "" : `line ${firstTorn}`,
          expected: `one JSON result per line, as remat batch writes${hint}`,
          received: firstTorn === null ? "no line" : `${tornCount} line(s) that are not JSON`,
        },
      ],
      file,
    );
  return {
    records: records.map((record) => withLoggedBound(record, bounds)),
    torn: { count: tornCount, first: firstTorn },
  };
}

/**
 * A bound record of `remat batch --bound` (`"kind": "bound"`, src/cli/batch-bounds.ts): one lower bound
 * per (file, budget) for every solver's answer there.
 */
function isBoundRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "bound";
}

const boundKey = (file: unknown, budget: unknown) => JSON.stringify([file, budget]);

/** Keeps the last proven bound per (file, budget); other statuses (infeasible, error) carry no value. */
function recordBound(bounds: Map<string, RecordBound>, raw: Record<string, unknown>): void {
  if (raw.status !== "bound" || typeof raw.valueMs !== "number") return;
  bounds.set(boundKey(raw.file, raw.budget), {
    status: "bound",
    valueMs: raw.valueMs,
    over: typeof raw.over === "string" ? raw.over : null,
    gap: null,
  });
}

/** The record with the log's bound for its file and budget, when it has none of its own. */
function withLoggedBound(record: ResultRecord, bounds: ReadonlyMap<string, RecordBound>): ResultRecord {
  if (record.gridBound !== null) return record;
  const bound = bounds.get(boundKey(record.file, record.budget));
  return bound === undefined ? record : { ...record, gridBound: bound };
}
