/**
 * `remat batch`: solve many instances with many solvers at many budgets, appending one JSON line per
 * finished solve to a results log (never truncated), resumable (a rerun skips what the log already has),
 * with a progress display (src/cli/batch-progress.ts) and a summary table. Each solve runs in a worker thread, `--jobs` at a time; a
 * solve still running well past its time limit is stopped and recorded as `timeout`.
 */
import { BOUND_FORMULATIONS } from "../../../solvers/milp/bound.js";
import { findSolver } from "../../../solvers/registry.js";
import { parseBudget } from "../../budget.js";
import { statusWithCertificate } from "../../certificate.js";
import { describeValue, InputError } from "../../errors.js";
import type { HardwareChoice } from "../../hardware/link.js";
import { acquireLogLock } from "../../io/log-lock.js";
import { checkOutputPath } from "../../io/output-path.js";
import type { Certificate } from "../../optimality.js";
import type { Solver } from "../../solver.js";
import {
  extraOptions,
  noExtraPositionals,
  numberOption,
  type ParsedArgs,
  parseCommandArgs,
  stringOption,
} from "../args.js";
import { type BoundSetting, boundPairs, doneBoundKeys, runBoundJobs } from "../batch-bounds.js";
import { runJobs } from "../batch-lanes.js";
import { batchProgress, progressInterval } from "../batch-progress.js";
import type { Command, CommandIo } from "../command.js";
import { SWITCH_FLAG_OPTIONS, withSwitchFlags } from "../flags.js";
import { LINK_HELP, LINK_OPTIONS, linkChoice } from "../link-flags.js";
import { expandInstanceFiles } from "../paths-glob.js";
import { QUEUE_HELP, QUEUE_OPTIONS, queueFlags } from "../queue-flags.js";
import {
  type JobSetting,
  jobSetting,
  type LogLine,
  type ResultsLog,
  readResultsLog,
  resumeState,
  settingKey,
} from "../results-log.js";
import { renderTable } from "../table.js";

const HELP = `remat batch --instances SPEC --budgets 30%,50%,70% --solvers a,b --out results.jsonl [options]

Solves every instance with every solver at every budget. Each finished solve appends one JSON
line to --out (created if missing, never truncated). A rerun resumes: it skips every job whose full
setting (file, solver, budget as written, objective, slots, time limit, --extra switches,
checkpoints, host link asked for) has a finished line in the log, also one written by remat solve --out FILE.jsonl, and
runs again the jobs that failed (error, rejected, or stopped past the time limit) unless --no-retry.
One writer at a time: FILE.jsonl.lock (holding the writer's pid) locks the log during the batch.

Options:
  --instances SPEC    a folder (every .json below it), a glob (instances/zoo/*-op.json, ../x/*.json,
                      /abs/**/*.json), or a comma-separated list of these; entries that cannot be
                      read (dangling symlinks) are skipped with a warning
  --budgets LIST      budgets as for remat solve (bytes with units, or % of the store-all peak)
  --solvers LIST      solver names (see remat solvers)
  --out FILE          the results log (.jsonl)
  --jobs N            solves side by side, each in a worker thread (default 1)
  --time-limit SEC    per solve (default 60); a solve still running at 1.5x the limit + 5 s is
                      stopped and logged as timeout with "stopped": true
  --slots S           memory discretization, for the solvers that read it (chain-dp, graph-mincut)
  --lp NAME           LP/MILP backend for the solvers that use one, as for remat solve
  --extra KEY=VALUE   a solver switch (repeatable), as for remat solve, given to each solver whose
                      switches include KEY; a switch none of the solvers reads is refused
${LINK_HELP}
                      Every job of the batch runs under the same link choice; a rerun with another
                      choice (or none) runs every job again.
  --with-schedules    keep each schedule in the log (large); by default only its length
  --no-retry          on a resume, count failed jobs as done instead of running them again
  --quiet             print nothing but errors (no plan line, progress or summary table)
  --progress-every S  when standard error is not a terminal: a plain progress line at most every
                      S seconds (default 10; 0 for one per job), plus one per failure and at the end;
                      on a terminal a bar shows done/total, jobs per minute, ETA and failures so far
  --bound             also record, once per instance and budget (for all solvers), the best lower
                      bound on the makespan (the stage-grid relaxations, or the sum of times) as a
                      line with "kind": "bound", after the solves; each solve line then says
                      "inStageGrid" (whether the bound covers its schedule); resumed like the solves
                      (not with --queue, for now)
${QUEUE_HELP}
Each line holds the result (status, makespanMs, peakBytes, overhead, bounds, stats) plus file,
budget, solver and setting; solvers that do not accept an instance give status "rejected" with the
reason.
A line torn by a killed batch is kept as a line of its own; a resume says how many it kept aside.`;

/** The flags of remat batch. */
const BATCH_OPTIONS = {
  instances: { type: "string" },
  budgets: { type: "string" },
  solvers: { type: "string" },
  out: { type: "string" },
  jobs: { type: "string" },
  "time-limit": { type: "string" },
  slots: { type: "string" },
  extra: { type: "string", multiple: true },
  ...SWITCH_FLAG_OPTIONS,
  "with-schedules": { type: "boolean" },
  "no-retry": { type: "boolean" },
  quiet: { type: "boolean" },
  "progress-every": { type: "string" },
  bound: { type: "boolean" },
  ...LINK_OPTIONS,
  ...QUEUE_OPTIONS,
} as const;

/** @throws InputError (path `--bound`) for --bound with --queue: bounds are computed by a local batch, for now */
function refuseBoundOnQueue(queued: boolean, bound: boolean): void {
  if (queued && bound)
    throw new InputError("remat batch", [
      {
        code: "option",
        path: "--bound",
        expected: "no --bound with --queue (bounds are computed by a local batch, for now)",
        received: "--bound",
      },
    ]);
}

export const batchCommand: Command = {
  name: "batch",
  summary: "solve instances x solvers x budgets into an appendable, resumable results log",
  help: HELP,
  run: async (args, io) => {
    const parsed = parseCommandArgs("batch", args, BATCH_OPTIONS);
    noExtraPositionals("batch", parsed, 0);
    const queue = queueFlags(parsed);
    if (queue.status && queue.target !== undefined) {
      const { queueStatusText } = await import("../queue-batch.js");
      io.out(await queueStatusText(queue.target, stringOption(parsed, "out")));
      return 0;
    }
    refuseBoundOnQueue(queue.target !== undefined, parsed.values.bound === true);
    const out = requiredOption(parsed, "out");
    checkOutputPath("remat batch", out);
    const budgets = listOption(requiredOption(parsed, "budgets"));
    for (const budget of budgets) parseBudget(budget, "--budgets");
    const solverNames = listOption(requiredOption(parsed, "solvers"));
    const chosen = solverNames.map((name) => findSolver(name));
    const jobsCount = numberOption("batch", parsed, "jobs", true) ?? 1;
    const timeLimitSec = numberOption("batch", parsed, "time-limit") ?? DEFAULT_TIME_LIMIT_SEC;
    const slots = numberOption("batch", parsed, "slots", true);
    const extra = withSwitchFlags("remat batch", parsed.values, extraOptions("batch", parsed));
    checkReadBySome(chosen, extra, slots);
    const hardware = linkChoice("batch", parsed);
    const files = expandInstanceFiles(requiredOption(parsed, "instances"), io.err);
    const settings = jobSettings(files, solverNames, budgets, { timeLimitSec, extra, slots, hardware });
    const interval = progressInterval(parsed.values["progress-every"]);
    const lock = acquireLogLock("remat batch", out, io.err);
    try {
      const log = readResultsLog(out);
      const state = resumeState(log, parsed.values["no-retry"] !== true);
      const todo = [...settings].filter(([key]) => !state.done.has(key));
      const retries = todo.filter(([key]) => state.failed.has(key)).length;
      const counts = { files: files.length, solvers: solverNames.length, budgets: budgets.length };
      const quiet = parsed.values.quiet === true;
      if (!quiet) io.err(planText(counts, { jobs: settings.size, todo: todo.length, retries }, out, log));
      const withSchedule = parsed.values["with-schedules"] === true;
      const bound = parsed.values.bound === true;
      const records =
        queue.target === undefined
          ? await runLocally(
              todo,
              { jobsCount, withSchedule, withGridMembership: bound, quiet, interval },
              out,
              io,
            )
          : await (await import("../queue-batch.js")).runQueuedBatch(
              queue.target,
              { todo, failed: state.failed, withSchedule, out },
              io,
            );
      if (bound) {
        const setting: BoundSetting = { lp: "highs", timeLimitSec, formulations: BOUND_FORMULATIONS };
        await runBoundJobs(boundPairs(settings.values()), setting, doneBoundKeys(log.bounds), out, io);
      }
      if (!quiet) io.out(summarize(records));
    } finally {
      lock.release();
    }
    return 0;
  },
};

/** The jobs run on this machine's worker threads, with the progress display. */
function runLocally(
  todo: readonly (readonly [string, JobSetting])[],
  options: {
    readonly jobsCount: number;
    readonly withSchedule: boolean;
    readonly withGridMembership: boolean;
    readonly quiet: boolean;
    readonly interval: ReturnType<typeof progressInterval>;
  },
  out: string,
  io: CommandIo,
): Promise<LogLine[]> {
  const { jobsCount, withSchedule, withGridMembership, quiet, interval } = options;
  const progress = batchProgress({ total: todo.length, quiet, tty: io.tty, line: io.err, ...interval });
  return runJobs(
    todo.map(([, setting]) => setting),
    { jobsCount, withSchedule, withGridMembership, onFinished: progress.finished },
    out,
    io,
  ).finally(progress.stop);
}

/** The value of the required option `--name`. @throws InputError (code `required`) when it is missing */
function requiredOption(parsed: ParsedArgs, name: string): string {
  const value = stringOption(parsed, name);
  if (value === undefined)
    throw new InputError("remat batch", [
      { code: "required", path: `--${name}`, expected: `a value for --${name}`, received: "missing" },
    ]);
  return value;
}

/** The options every job of the batch shares. */
interface SharedOptions {
  readonly timeLimitSec: number;
  readonly extra: Readonly<Record<string, unknown>>;
  readonly slots: number | undefined;
  /** The link choice of every job (`--hardware`, `--bandwidth`, `--latency`); undefined for none given. */
  readonly hardware: HardwareChoice | undefined;
}

/**
 * The job setting of every file x solver x budget, by setting key (equal settings once), in that order.
 * @throws InputError for a switch value a solver refuses
 */
function jobSettings(
  files: readonly string[],
  solverNames: readonly string[],
  budgets: readonly string[],
  shared: SharedOptions,
): Map<string, JobSetting> {
  const { timeLimitSec, extra, slots, hardware } = shared;
  const settings = new Map<string, JobSetting>();
  for (const file of files)
    for (const solver of solverNames)
      for (const budget of budgets) {
        const setting = jobSetting(file, {
          solver,
          budget,
          timeLimitSec,
          extra: switchesFor(findSolver(solver), extra),
          ...(slots === undefined ? {} : { slots }),
          ...(hardware === undefined ? {} : { hardware }),
        });
        settings.set(settingKey(setting), setting);
      }
  return settings;
}

/**
 * The line that opens a run: how many jobs the batch has, how many the log at `out` already holds, how
 * many failed ones run again and how many are new, and the log's torn or foreign lines.
 */
function planText(
  counts: { readonly files: number; readonly solvers: number; readonly budgets: number },
  jobs: { readonly jobs: number; readonly todo: number; readonly retries: number },
  out: string,
  log: ResultsLog,
): string {
  return (
    `remat batch: ${counts.files} instances x ${counts.solvers} solvers x ${counts.budgets} budgets = ${jobs.jobs} jobs; ` +
    `${jobs.jobs - jobs.todo} done in ${out}, ${jobs.retries} failed to run again, ${jobs.todo - jobs.retries} new` +
    (log.unparsable > 0 ? `; ${log.unparsable} unparsable (torn) line(s) kept aside` : "") +
    (log.foreign > 0 ? `; ${log.foreign} line(s) of another shape ignored` : "")
  );
}

/** The switches of `extra` that `solver` reads (each solver of a batch gets its own). */
function switchesFor(solver: Solver, extra: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(extra).filter(([key]) => key in solver.switches));
}

/**
 * Every `--extra` switch and `--slots` must be read by at least one of the batch's solvers (a typo is
 * refused, not silently dropped).
 * @throws InputError naming each option no solver reads, with what each solver reads
 */
function checkReadBySome(
  chosen: readonly Solver[],
  extra: Readonly<Record<string, unknown>>,
  slots: number | undefined,
): void {
  const reads = chosen
    .map(
      (solver) =>
        `${solver.name}: ${[...solver.reads, ...Object.keys(solver.switches)].join(", ") || "nothing"}`,
    )
    .join("; ");
  const issues = Object.keys(extra)
    .filter((key) => !chosen.some((solver) => key in solver.switches))
    .map((key) => ({
      code: "option" as const,
      path: `--extra ${key}`,
      expected: `a switch one of the solvers reads (${reads})`,
      received: describeValue(key),
    }));
  if (slots !== undefined && !chosen.some((solver) => solver.reads.includes("slots")))
    issues.push({
      code: "option",
      path: "--slots",
      expected: `absent: none of the solvers reads slots (${reads})`,
      received: describeValue(slots),
    });
  if (issues.length > 0) throw new InputError("remat batch", issues);
}

/** Default `--time-limit` per solve, seconds. */
const DEFAULT_TIME_LIMIT_SEC = 60;

const listOption = (text: string) =>
  text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");

/** Table of this run: one row per solve. */
function summarize(records: readonly LogLine[]): string {
  if (records.length === 0) return "nothing to run: every job is already in the log";
  const number = (value: unknown, digits: number, scale = 1) =>
    typeof value === "number" ? (value * scale).toFixed(digits) : "-";
  return renderTable(
    ["instance", "solver", "budget", "status", "makespan ms", "overhead %", "peak bytes", "solve ms"],
    records.map((r) => [
      String(r.instance ?? r.file),
      r.solver,
      r.budget,
      statusWithCertificate(String(r.status), r.certificate as Certificate | null | undefined),
      number(r.makespanMs, 2),
      number(r.overhead, 1, 100),
      number(r.peakBytes, 0),
      number((r.stats as { wallMs?: number } | undefined)?.wallMs, 0),
    ]),
  );
}
