/**
 * The inputs of `remat report --format html` that live on disk: the browser builds of Vega, Vega-Lite and
 * vega-embed (inlined into the page, so it needs no network), and the instances of the cells whose
 * schedule the log kept (`remat batch --with-schedules`), evaluated into memory timelines.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TopLevelSpec } from "vega-lite";
import { InputError } from "../errors.js";
import { loadInstance } from "../instance/load.js";
import type { Instance } from "../instance/types.js";
import { frontSpec, sweepSpec } from "../plot/results-specs.js";
import { timelineOf, timelineSpec } from "../plot/timeline-spec.js";
import { type PageLibraries, reportHtml } from "../report/html-page.js";
import type { Report } from "../report/model.js";
import type { ResultRecord, ResultRecords } from "../report/records.js";
import { parseSchedule } from "../schedule/text.js";

/** The most instructions the page embeds over all timelines (each is a row of data): keeps the page loadable. */
export const MAX_TIMELINE_INSTRUCTIONS = 200_000;

/** The text of `file` beside the entry point of `pkg` (its browser build). */
function besideEntry(pkg: string, file: string): string {
  const entry = fileURLToPath(import.meta.resolve(pkg));
  return readFileSync(join(dirname(entry), file), "utf8");
}

/** The browser builds of the three libraries, from the installed packages. */
export function pageLibraries(): PageLibraries {
  return {
    vega: besideEntry("vega", "vega.min.js"),
    vegaLite: besideEntry("vega-lite", "vega-lite.min.js"),
    vegaEmbed: besideEntry("vega-embed", "vega-embed.min.js"),
  };
}

/** The instance of `file`, once per file; null (with a note) when it cannot be read. */
async function instanceOf(
  file: string,
  cache: Map<string, Instance | null>,
  notes: string[],
): Promise<Instance | null> {
  if (cache.has(file)) return cache.get(file) ?? null;
  let instance: Instance | null = null;
  try {
    instance = await loadInstance(file);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    notes.push(
      `No timelines for ${file}: the instance cannot be read (${error.issues[0]?.expected ?? "bad input"}).`,
    );
  }
  cache.set(file, instance);
  return instance;
}

/** The timeline spec of `record`'s schedule, or null (with a note) when it does not evaluate. */
function timelineOfRecord(record: ResultRecord, instance: Instance, notes: string[]): TopLevelSpec | null {
  const schedule = parseSchedule(record.schedule ?? []);
  const timeline = timelineOf(
    instance,
    schedule,
    record.budgetBytes,
    `${record.solver} at budget ${record.budget}`,
  );
  if ("reason" in timeline) {
    notes.push(
      `No timeline for log line ${record.line}: instruction ${timeline.index} cannot run (${timeline.reason}).`,
    );
    return null;
  }
  return timelineSpec(timeline);
}

/** The timelines of the report's cells whose line kept a schedule, up to MAX_TIMELINE_INSTRUCTIONS in all. */
async function timelines(
  report: Report,
  log: ResultRecords,
  notes: string[],
): Promise<Map<number, TopLevelSpec>> {
  const byLine = new Map(log.records.map((record) => [record.line, record]));
  const cells = report.instances.flatMap((table) => table.rows.flatMap((row) => [...row.cells.values()]));
  const cache = new Map<string, Instance | null>();
  const specs = new Map<number, TopLevelSpec>();
  let instructions = 0;
  let skipped = 0;
  for (const cell of cells) {
    const record = byLine.get(cell.line);
    if (record?.schedule === null || record === undefined) continue;
    if (instructions + record.schedule.length > MAX_TIMELINE_INSTRUCTIONS) {
      skipped++;
      continue;
    }
    const instance = await instanceOf(record.file, cache, notes);
    const spec = instance === null ? null : timelineOfRecord(record, instance, notes);
    if (spec === null) continue;
    specs.set(record.line, spec);
    instructions += record.schedule.length;
  }
  if (skipped > 0)
    notes.push(
      `${skipped} timelines left out: the page holds at most ${MAX_TIMELINE_INSTRUCTIONS} instructions in all.`,
    );
  return specs;
}

/**
 * The HTML page of `report` (of the log `log` read from `source`).
 * @throws InputError for a schedule in the log that does not parse
 */
export async function htmlReport(report: Report, log: ResultRecords, source: string): Promise<string> {
  const notes: string[] = [];
  const front = frontSpec(log.records);
  const sweep = sweepSpec(log.records);
  const plots = [
    ...(front === undefined
      ? []
      : [{ id: "plot-front", title: "Time overhead against peak memory", spec: front }]),
    ...(sweep === undefined
      ? []
      : [{ id: "plot-sweep", title: "Time overhead against the budget", spec: sweep }]),
  ];
  const specs = await timelines(report, log, notes);
  if (log.records.every((record) => record.schedule === null))
    notes.push(
      "The log kept no schedules (remat batch --with-schedules keeps them), so no timeline can be opened.",
    );
  return reportHtml(report, { source, plots, timelines: specs, notes }, pageLibraries());
}
