/**
 * `remat report` as text: Markdown (one table per instance, budgets as rows and solvers as columns, the
 * best per row in bold, then the summary) and CSV (one row per instance x budget x solver, tidy for
 * spreadsheets and data frames).
 */
import {
  hasSchedule,
  type InstanceTable,
  type Report,
  type ReportCell,
  type SolverSummary,
} from "./model.js";

/** A fraction as a percentage with one decimal (`0.0423` is `4.2%`); `-` for null. */
export function percent(value: number | null): string {
  return value === null ? "-" : `${(value * 100).toFixed(1)}%`;
}

/** A cell in words: `4.2% optimal`, `7.9% feasible, gap 3.1%`, `infeasible`, `timeout (stopped)`. */
export function cellText(cell: ReportCell): string {
  const status = cell.stopped ? `${cell.status} (stopped)` : cell.status;
  if (!hasSchedule(cell)) return status;
  const gap = cell.gap === null ? "" : `, gap ${percent(cell.gap)}`;
  return `${percent(cell.overhead)} ${status}${gap}`;
}

/** The summary's ratio in words: `1.042 (18 rows)`, `-` for none. */
export function ratioText(summary: SolverSummary): string {
  return summary.ratio === null ? "-" : `${summary.ratio.toFixed(3)} (${summary.compared} rows)`;
}

const escapeMarkdown = (text: string) => text.replace(/\|/g, "\\|");

function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(escapeMarkdown).join(" | ")} |`;
  return [line(header), `|${header.map(() => "---").join("|")}|`, ...rows.map(line)].join("\n");
}

function instanceMarkdown(table: InstanceTable): string {
  const rows = table.rows.map((row) => [
    row.budget,
    ...table.solvers.map((solver) => {
      const cell = row.cells.get(solver);
      if (cell === undefined) return "";
      return cell.best ? `**${cellText(cell)}**` : cellText(cell);
    }),
  ]);
  const heading = table.name === table.file ? table.name : `${table.name} (${table.file})`;
  const rejected =
    table.rejectedBy.length === 0 ? "" : `\n\nNot applicable (rejected): ${table.rejectedBy.join(", ")}.`;
  return `### ${heading}\n\n${markdownTable(["budget", ...table.solvers], rows)}${rejected}`;
}

/** The summary table's header and rows (shared by every format). */
export function summaryRows(report: Report): { header: string[]; rows: string[][] } {
  return {
    header: [
      "solver",
      "wins",
      "solved",
      "optimal",
      "failed",
      "rows",
      `makespan / ${report.reference} (geo-mean)`,
    ],
    rows: report.summary.map((s) => [
      s.solver,
      String(s.wins),
      String(s.solved),
      String(s.optimal),
      String(s.failed),
      String(s.rows),
      ratioText(s),
    ]),
  };
}

/** The report as Markdown. */
export function reportMarkdown(report: Report): string {
  const { header, rows } = summaryRows(report);
  return [
    "## Summary",
    "",
    `${report.instances.length} instances. Rows: instance x budget pairs the solver accepts (not rejected); solved: those with a schedule within the budget. ` +
      "Wins: rows where the solver has the least makespan (ties count for each). " +
      `The last column is the geometric mean, over the rows both solved, of the solver's makespan over ${report.reference}'s. ` +
      "Cells: time overhead over store-all, status, and the certified gap to the recorded lower bound where there is one; the best per row in bold.",
    "",
    markdownTable(header, rows),
    "",
    "## Instances",
    "",
    report.instances.map(instanceMarkdown).join("\n\n"),
    "",
  ].join("\n");
}

const CSV_HEADER = [
  "instance",
  "file",
  "budget",
  "budget_bytes",
  "solver",
  "status",
  "stopped",
  "overhead",
  "makespan_ms",
  "peak_bytes",
  "gap",
  "best",
  "log_line",
];

/** A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
export function csvField(value: string | number | boolean | null): string {
  const text = value === null ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The report as CSV: one row per instance x budget x solver, numbers unrounded, empty for none. */
export function reportCsv(report: Report): string {
  const rows = report.instances.flatMap((table) =>
    table.rows.flatMap((row) =>
      [...table.solvers, ...table.rejectedBy].flatMap((solver) => {
        const cell = row.cells.get(solver);
        if (cell === undefined) return [];
        return [
          [
            table.name,
            table.file,
            row.budget,
            row.budgetBytes,
            solver,
            cell.status,
            cell.stopped,
            cell.overhead,
          ]
            .concat([cell.makespanMs, cell.peakBytes, cell.gap, cell.best, cell.line])
            .map(csvField)
            .join(","),
        ];
      }),
    ),
  );
  return `${[CSV_HEADER.join(","), ...rows].join("\n")}\n`;
}
