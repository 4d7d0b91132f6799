/**
 * `remat batch`: solve many instances with many solvers at many budgets, appending one JSON line per
 * finished solve to a results log (never truncated), resumable (a rerun skips what the log already has),
 * with a progress bar and a summary table. Each solve runs in a worker thread, `--jobs` at a time; a
 * solve still running well past its time limit is stopped and recorded as `timeout`.
 */
import { existsSync, readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { findSolver } from "../../../solvers/solve.js";
import { parseBudget } from "../../budget.js";
import { describeValue, InputError } from "../../errors.js";
import { appendJsonLine } from "../../io/files.js";
import { bundledPath } from "../../io/paths.js";
import { extraOptions, noExtraPositionals, numberOption, parseCommandArgs, stringOption } from "../args.js";
import type { BatchJob } from "../batch-worker.js";
import type { Command, CommandIo } from "../command.js";
import { expandInstanceFiles } from "../paths-glob.js";
import { renderTable } from "../table.js";

/** Extra wall time granted past `--time-limit` before a worker is stopped: the solver's own limit should act first. */
const HARD_STOP_GRACE = { factor: 1.5, seconds: 5 };

const HELP = `remat batch --instances DIR_OR_GLOB --budgets 30%,50%,70% --solvers a,b --out results.jsonl [options]

Solves every instance with every solver at every budget. Each finished solve appends one JSON line to
--out (created if missing, never truncated); a rerun skips the (file, solver, budget) triples already
in it, so an interrupted batch resumes where it stopped.

Options:
  --instances SPEC    a folder (every .json below it), a glob (instances/zoo/*-op.json), or a
                      comma-separated list of these
  --budgets LIST      budgets as for remat solve (bytes with units, or % of the store-all peak)
  --solvers LIST      solver names (see remat solvers)
  --out FILE          the results log (.jsonl)
  --jobs N            solves side by side, each in a worker thread (default 1)
  --time-limit SEC    per solve (default 60); a solve still running at 1.5x the limit + 5 s is stopped
                      and recorded as timeout
  --slots S           memory discretization for DP solvers
  --extra KEY=VALUE   a solver switch for every solve (repeatable), as for remat solve
  --with-schedules    keep each schedule in the log (large); by default only its length
Each line holds the result (status, makespanMs, peakBytes, overhead, bounds, stats) plus file and budget;
solvers that do not accept an instance give status "rejected" with the reason.`;

interface JobRecord {
  readonly file: string;
  readonly solver: string;
  readonly budget: string;
}

const keyOf = (job: JobRecord) => `${job.file}\u0000${job.solver}\u0000${job.budget}`;

export const batchCommand: Command = {
  name: "batch",
  summary: "solve instances x solvers x budgets into an appendable, resumable results log",
  help: HELP,
  run: async (args, io) => {
    const parsed = parseCommandArgs("batch", args, {
      instances: { type: "string" },
      budgets: { type: "string" },
      solvers: { type: "string" },
      out: { type: "string" },
      jobs: { type: "string" },
      "time-limit": { type: "string" },
      slots: { type: "string" },
      extra: { type: "string", multiple: true },
      "with-schedules": { type: "boolean" },
    });
    noExtraPositionals("batch", parsed, 0);
    const required = (name: string): string => {
      const value = stringOption(parsed, name);
      if (value === undefined)
        throw new InputError("remat batch", [
          { code: "required", path: `--${name}`, expected: `a value for --${name}`, received: "missing" },
        ]);
      return value;
    };
    const files = expandInstanceFiles(required("instances"));
    const budgets = required("budgets")
      .split(",")
      .map((text) => text.trim());
    for (const budget of budgets) parseBudget(budget, "--budgets");
    const solverNames = required("solvers")
      .split(",")
      .map((text) => text.trim());
    for (const name of solverNames) findSolver(name);
    const out = required("out");
    const jobsCount = numberOption("batch", parsed, "jobs", true) ?? 1;
    const timeLimitSec = numberOption("batch", parsed, "time-limit") ?? 60;
    const slots = numberOption("batch", parsed, "slots", true);
    const extra = extraOptions("batch", parsed);
    const done = readDone(out);
    const todo = files
      .flatMap((file) => solverNames.flatMap((solver) => budgets.map((budget) => ({ file, solver, budget }))))
      .filter((job) => !done.has(keyOf(job)));
    io.err(
      `remat batch: ${files.length} instances x ${solverNames.length} solvers x ${budgets.length} budgets; ${done.size} already in ${out}, ${todo.length} to run`,
    );
    const records = await runJobs(
      todo,
      {
        jobsCount,
        timeLimitSec,
        withSchedule: parsed.values["with-schedules"] === true,
        ...(slots === undefined ? {} : { slots }),
        extra,
      },
      out,
      io,
    );
    io.out(summarize(records));
    return 0;
  },
};

/** Keys of the jobs an existing log already holds (lines that do not parse are ignored, never removed). */
function readDone(path: string): Set<string> {
  const done = new Set<string>();
  if (!existsSync(path)) return done;
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    try {
      const record = JSON.parse(line) as Partial<JobRecord>;
      if (
        typeof record.file === "string" &&
        typeof record.solver === "string" &&
        typeof record.budget === "string"
      )
        done.add(keyOf(record as JobRecord));
    } catch {
      // a foreign or partial line: left as it is
    }
  }
  return done;
}

interface RunSettings {
  readonly jobsCount: number;
  readonly timeLimitSec: number;
  readonly withSchedule: boolean;
  readonly slots?: number;
  readonly extra: Readonly<Record<string, unknown>>;
}

type LogLine = JobRecord & Record<string, unknown>;

async function runJobs(
  todo: readonly JobRecord[],
  settings: RunSettings,
  out: string,
  io: CommandIo,
): Promise<LogLine[]> {
  const workerPath = bundledPath("dist", "src", "cli", "batch-worker.js");
  if (!existsSync(workerPath)) throw new Error("the compiled batch worker is missing; run npm run build");
  const records: LogLine[] = [];
  let next = 0;
  let finished = 0;
  const progress = (job: JobRecord, status: string) => {
    finished++;
    const width = 30;
    const filled = Math.round((finished / Math.max(1, todo.length)) * width);
    io.err(
      `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${finished}/${todo.length} ${job.file} ${job.solver} ${job.budget}: ${status}`,
    );
  };
  const lane = async () => {
    let worker = new Worker(workerPath);
    try {
      while (next < todo.length) {
        const job = todo[next++] as JobRecord;
        const message = await runOne(worker, {
          ...job,
          timeLimitSec: settings.timeLimitSec,
          withSchedule: settings.withSchedule,
          ...(settings.slots === undefined ? {} : { slots: settings.slots }),
          extra: settings.extra,
        });
        if (message.kind === "stopped") {
          await worker.terminate();
          worker = new Worker(workerPath);
        }
        const line: LogLine =
          message.kind === "result"
            ? { ...job, ...(message.result as Record<string, unknown>) }
            : {
                ...job,
                status: message.kind === "stopped" ? "timeout" : message.kind,
                reason: message.reason,
              };
        await appendJsonLine(out, line);
        records.push(line);
        progress(job, String(line.status));
      }
    } finally {
      await worker.terminate();
    }
  };
  await Promise.all(Array.from({ length: Math.min(settings.jobsCount, Math.max(1, todo.length)) }, lane));
  return records;
}

type WorkerMessage =
  | { kind: "result"; result: unknown }
  | { kind: "rejected" | "error" | "stopped"; reason: string };

function runOne(worker: Worker, job: BatchJob): Promise<WorkerMessage> {
  return new Promise((resolve) => {
    const limitMs = (job.timeLimitSec * HARD_STOP_GRACE.factor + HARD_STOP_GRACE.seconds) * 1000;
    const finish = (message: WorkerMessage) => {
      clearTimeout(timer);
      worker.off("message", onMessage);
      worker.off("error", onError);
      resolve(message);
    };
    const onMessage = (message: WorkerMessage) => finish(message);
    const onError = (error: Error) => finish({ kind: "error", reason: describeValue(error.message) });
    const timer = setTimeout(
      () =>
        finish({
          kind: "stopped",
          reason: `stopped after ${(limitMs / 1000).toFixed(0)} s (time limit ${job.timeLimitSec} s)`,
        }),
      limitMs,
    );
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.postMessage(job);
  });
}

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
      String(r.status),
      number(r.makespanMs, 2),
      number(r.overhead, 1, 100),
      number(r.peakBytes, 0),
      number((r.stats as { wallMs?: number } | undefined)?.wallMs, 0),
    ]),
  );
}
