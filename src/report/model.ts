/**
 * What `remat report` shows, independent of the format: per instance a table with one row per budget and
 * one column per solver (overhead, status and, when the log recorded the stage-grid bound, the certified
 * gap), the best per row marked; and a summary across instances: wins per solver and the geometric mean,
 * over the rows both solved, of each solver's makespan over the reference solver's.
 *
 * A row's best is the least makespan among the cells with a schedule within the budget (optimal,
 * feasible, or timeout with the best schedule so far), ties within a relative {@link TIE_TOLERANCE} all
 * marked. When a log holds several lines for one instance, solver and budget (a rerun after a failure,
 * or other settings), the last answered line counts, else the last line.
 */
import type { ResultRecord } from "./records.js";

/** Two makespans within this relative difference tie (rounding of summed times, not a real difference). */
export const TIE_TOLERANCE = 1e-9;

/** One solver at one budget of one instance. */
export interface ReportCell {
  readonly solver: string;
  readonly status: string;
  readonly stopped: boolean;
  readonly overhead: number | null;
  readonly makespanMs: number | null;
  readonly peakBytes: number | null;
  /** makespan / proven lower bound - 1, when the log recorded a bound that covers the answer. */
  readonly gap: number | null;
  /** Whether this cell has the row's least makespan. */
  readonly best: boolean;
  /** The log line it came from, 1-based. */
  readonly line: number;
  readonly reason: string | null;
}

/** One budget of one instance. */
export interface ReportRow {
  readonly budget: string;
  readonly budgetBytes: number | null;
  /** By solver name; a solver without a line at this budget has none. */
  readonly cells: ReadonlyMap<string, ReportCell>;
}

/** One instance's table. */
export interface InstanceTable {
  readonly file: string;
  /** The instance's name, or the file when no result named it. */
  readonly name: string;
  /** The solvers with a line for this instance, in report order, those rejecting every budget left out. */
  readonly solvers: readonly string[];
  /** The solvers that rejected the instance at every budget. */
  readonly rejectedBy: readonly string[];
  /** Budgets from the smallest to the largest. */
  readonly rows: readonly ReportRow[];
}

/** One solver across every instance. */
export interface SolverSummary {
  readonly solver: string;
  /** Rows (instance x budget) where the solver has a line that is not `rejected` (it accepts the instance). */
  readonly rows: number;
  /** Rows with a schedule within the budget. */
  readonly solved: number;
  readonly optimal: number;
  /** Rows where it is (one of) the best. */
  readonly wins: number;
  /** error, or stopped past the time limit. */
  readonly failed: number;
  /** Geometric mean over the rows both solved of makespan / the reference's makespan (null for none). */
  readonly ratio: number | null;
  /** Rows the ratio is taken over. */
  readonly compared: number;
}

/** A whole report. */
export interface Report {
  /** Every solver of the log, in the order of their first line. */
  readonly solvers: readonly string[];
  readonly reference: string;
  readonly instances: readonly InstanceTable[];
  readonly summary: readonly SolverSummary[];
}

/** Whether a cell's answer has a schedule within the budget. */
export function hasSchedule(cell: Pick<ReportCell, "status" | "makespanMs">): boolean {
  return (
    cell.makespanMs !== null &&
    (cell.status === "optimal" || cell.status === "feasible" || cell.status === "timeout")
  );
}

const answered = (record: ResultRecord) =>
  record.status === "optimal" ||
  record.status === "feasible" ||
  record.status === "infeasible" ||
  (record.status === "timeout" && !record.stopped);

/**
 * The certified gap of a record: from its stage-grid bound (its own, from `remat solve --bound`, or the
 * log's bound record for its instance and budget, from `remat batch --bound`), when that bound covers
 * the answer: a bound over all schedules always, one over the stage grid when the answer lies in it.
 */
export function certifiedGap(record: ResultRecord): number | null {
  const bound = record.gridBound;
  if (bound === null || bound.status !== "bound" || record.makespanMs === null) return null;
  if (bound.gap !== null) return bound.gap;
  // A bound over all schedules covers every answer, whether or not the answer is in the stage grid.
  const covers = bound.over === "all" || (bound.over === "stage-grid" && record.inStageGrid === true);
  if (covers && bound.valueMs !== null && bound.valueMs > 0) return record.makespanMs / bound.valueMs - 1;
  return null;
}

/** The records that count: per (file, solver, budget), the last answered line, else the last line. */
function latest(records: readonly ResultRecord[]): ResultRecord[] {
  const chosen = new Map<string, ResultRecord>();
  for (const record of records) {
    const key = JSON.stringify([record.file, record.solver, record.budget]);
    const previous = chosen.get(key);
    if (previous === undefined || answered(record) || !answered(previous)) chosen.set(key, record);
  }
  return [...chosen.values()];
}

/** `items` grouped by `key`, groups and items in their first order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group === undefined) groups.set(key(item), [item]);
    else group.push(item);
  }
  return groups;
}

/** The cells of one row, with the best marked. */
function rowCells(records: readonly ResultRecord[]): Map<string, ReportCell> {
  const least = Math.min(...records.filter((r) => hasSchedule(r)).map((r) => r.makespanMs as number));
  const cells = new Map<string, ReportCell>();
  for (const record of records) {
    const best = hasSchedule(record) && (record.makespanMs as number) <= least * (1 + TIE_TOLERANCE);
    cells.set(record.solver, {
      solver: record.solver,
      status: record.status,
      stopped: record.stopped,
      overhead: record.overhead,
      makespanMs: record.makespanMs,
      peakBytes: record.peakBytes,
      gap: certifiedGap(record),
      best,
      line: record.line,
      reason: record.reason,
    });
  }
  return cells;
}

/** The order of budgets: by bytes when known, then percentages by value, then as written. */
function budgetOrder(a: ReportRow, b: ReportRow): number {
  if (a.budgetBytes !== null && b.budgetBytes !== null && a.budgetBytes !== b.budgetBytes)
    return a.budgetBytes - b.budgetBytes;
  const pa = Number.parseFloat(a.budget);
  const pb = Number.parseFloat(b.budget);
  if (a.budget.endsWith("%") && b.budget.endsWith("%") && pa !== pb) return pa - pb;
  return a.budget < b.budget ? -1 : a.budget > b.budget ? 1 : 0;
}

/** One instance's table from its records (already one per solver and budget). */
function instanceTable(
  file: string,
  records: readonly ResultRecord[],
  solvers: readonly string[],
): InstanceTable {
  const rows = [...groupBy(records, (record) => record.budget).entries()]
    .map(
      ([budget, list]): ReportRow => ({
        budget,
        budgetBytes: list.find((r) => r.budgetBytes !== null)?.budgetBytes ?? null,
        cells: rowCells(list),
      }),
    )
    .sort(budgetOrder);
  const present = solvers.filter((solver) => records.some((r) => r.solver === solver));
  const rejectedBy = present.filter((solver) =>
    records.every((r) => r.solver !== solver || r.status === "rejected"),
  );
  return {
    file,
    name: records.find((r) => r.instance !== null)?.instance ?? file,
    solvers: present.filter((solver) => !rejectedBy.includes(solver)),
    rejectedBy,
    rows,
  };
}

/** The geometric mean over the rows both solved of `solver`'s makespan over `reference`'s. */
function ratioTo(
  solver: string,
  reference: string,
  rows: readonly ReportRow[],
): Pick<SolverSummary, "ratio" | "compared"> {
  let compared = 0;
  let logSum = 0;
  for (const row of rows) {
    const cell = row.cells.get(solver);
    const base = row.cells.get(reference);
    if (cell === undefined || base === undefined || !hasSchedule(cell) || !hasSchedule(base)) continue;
    if ((base.makespanMs as number) <= 0) continue;
    compared++;
    logSum += Math.log((cell.makespanMs as number) / (base.makespanMs as number));
  }
  return { ratio: compared === 0 ? null : Math.exp(logSum / compared), compared };
}

/** The summary of `solver` over every row, against `reference`. */
function summarize(solver: string, reference: string, tables: readonly InstanceTable[]): SolverSummary {
  const rows = tables.flatMap((table) => table.rows);
  const cells = rows.flatMap((row) => {
    const cell = row.cells.get(solver);
    return cell === undefined ? [] : [cell];
  });
  return {
    solver,
    rows: cells.filter((cell) => cell.status !== "rejected").length,
    solved: cells.filter(hasSchedule).length,
    optimal: cells.filter((cell) => cell.status === "optimal").length,
    wins: cells.filter((cell) => cell.best).length,
    failed: cells.filter((cell) => cell.status === "error" || cell.stopped).length,
    ...ratioTo(solver, reference, rows),
  };
}

/**
 * The reference solver: the one asked for, else the one with a schedule in the most rows (the first in
 * log order among equals).
 * @returns the name, or `{ unknown }` when the asked-for solver has no line in the log
 */
function chooseReference(
  asked: string | undefined,
  solvers: readonly string[],
  records: readonly ResultRecord[],
): string | { readonly unknown: string } {
  if (asked !== undefined) return solvers.includes(asked) ? asked : { unknown: asked };
  const solvedRows = (solver: string) => records.filter((r) => r.solver === solver && hasSchedule(r)).length;
  return solvers.reduce((best, solver) => (solvedRows(solver) > solvedRows(best) ? solver : best));
}

/**
 * The report of `records` (every line of a log, in order).
 * @param reference the solver the ratios are taken against; absent: the one that solved the most rows
 * @returns the report, or `{ unknownReference }` when `reference` has no line in the log
 */
export function buildReport(
  records: readonly ResultRecord[],
  reference?: string,
): Report | { readonly unknownReference: string; readonly solvers: readonly string[] } {
  const solvers = [...new Set(records.map((record) => record.solver))];
  const kept = latest(records);
  const chosen = chooseReference(reference, solvers, kept);
  if (typeof chosen !== "string") return { unknownReference: chosen.unknown, solvers };
  const instances = [...groupBy(kept, (record) => record.file).entries()].map(([file, list]) =>
    instanceTable(file, list, solvers),
  );
  const summary = solvers.map((solver) => summarize(solver, chosen, instances));
  return { solvers, reference: chosen, instances, summary };
}
