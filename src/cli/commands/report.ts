/**
 * `remat report RESULTS.jsonl`: a results log as per-instance tables (budgets as rows, solvers as
 * columns: overhead, status, certified gap; the best per row marked) and a summary across instances
 * (wins, geometric-mean makespan ratio against a reference solver), as Markdown, CSV or one HTML page.
 */
import { describeValue, InputError } from "../../errors.js";
import { writeFileAtomic } from "../../io/files.js";
import { checkOutputPath } from "../../io/output-path.js";
import { buildReport, type Report } from "../../report/model.js";
import type { ResultRecords } from "../../report/records.js";
import { reportCsv, reportMarkdown } from "../../report/text.js";
import { noExtraPositionals, parseCommandArgs, requirePositional, stringOption } from "../args.js";
import type { Command } from "../command.js";
import { readRecords } from "../read-records.js";
import { htmlReport } from "../report-html.js";

const HELP = `remat report RESULTS.jsonl [--format md|csv|html] [--out FILE] [--reference SOLVER]

Per instance, a table with one row per budget and one column per solver: the time overhead over
store-all, the status and, where the log recorded a lower bound that covers the answer (remat solve
--bound), the certified gap; the best (least makespan) per row marked. Then a summary across
instances per solver: wins (rows where it is the best; ties count for each), rows solved, optimal,
failed, and the geometric mean over the rows both solved of its makespan over the reference's.
When a log holds several lines for one instance, solver and budget, the last answered one counts.

Options:
  --format F          md (default, or from --out's extension), csv (one row per instance x budget x
                      solver), or html (one self-contained page: sortable tables, the plots, and a
                      schedule's memory timeline opened by clicking its cell when the log kept schedules)
  --out FILE          write there (temporary file, then rename); default standard output
  --reference SOLVER  the solver the ratios are taken against (default: the one that solved the most rows)`;

const FORMATS = ["md", "csv", "html"] as const;
type Format = (typeof FORMATS)[number];

export const reportCommand: Command = {
  name: "report",
  summary: "tables and a summary of a results log (md, csv, or a self-contained html page)",
  help: HELP,
  run: async (args, io) => {
    const parsed = parseCommandArgs("report", args, {
      format: { type: "string" },
      out: { type: "string" },
      reference: { type: "string" },
    });
    const input = requirePositional("report", parsed, 0, "RESULTS.jsonl");
    noExtraPositionals("report", parsed, 1);
    const out = stringOption(parsed, "out");
    if (out !== undefined) checkOutputPath("remat report", out);
    const format = formatOf(stringOption(parsed, "format"), out);
    const log = readRecords(input, io);
    const report = reportOf(log, stringOption(parsed, "reference"));
    const text =
      format === "md"
        ? reportMarkdown(report)
        : format === "csv"
          ? reportCsv(report)
          : await htmlReport(report, log, input);
    if (out === undefined) io.out(text.trimEnd());
    else {
      await writeFileAtomic(out, text);
      io.err(`wrote ${out} (${report.instances.length} instances, ${report.solvers.length} solvers)`);
    }
    return 0;
  },
};

/** The format asked for, else the one `--out`'s extension names, else md. @throws InputError for another */
function formatOf(asked: string | undefined, out: string | undefined): Format {
  if (asked === undefined) {
    const extension = out?.split(".").pop()?.toLowerCase();
    if (extension === "csv" || extension === "html") return extension;
    return "md";
  }
  if ((FORMATS as readonly string[]).includes(asked)) return asked as Format;
  throw new InputError("remat report", [
    {
      code: "option",
      path: "--format",
      expected: `one of ${FORMATS.join(", ")}`,
      received: describeValue(asked),
    },
  ]);
}

/** The report of `log`. @throws InputError (path `--reference`) for a solver without a line in the log */
function reportOf(log: ResultRecords, reference: string | undefined): Report {
  const report = buildReport(log.records, reference);
  if ("unknownReference" in report)
    throw new InputError("remat report", [
      {
        code: "option",
        path: "--reference",
        expected: `a solver of the log (${report.solvers.join(", ")})`,
        received: describeValue(report.unknownReference),
      },
    ]);
  return report;
}
