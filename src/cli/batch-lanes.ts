/**
 * The lanes of `remat batch`: `jobsCount` worker threads, each solving one job at a time and appending
 * its log line as soon as it finishes. A solve still running well past its time limit is stopped (the
 * worker is terminated and replaced) and logged as `timeout` with `stopped: true`; a worker that
 * crashes is replaced and its job logged as `error`.
 */
import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { describeValue } from "../errors.js";
import { appendLogLine } from "../io/files.js";
import { bundledPath } from "../io/paths.js";
import type { BatchJob } from "./batch-worker.js";
import type { CommandIo } from "./command.js";
import { type JobSetting, type LogLine, logLine, type Outcome } from "./results-log.js";

/** Extra wall time granted past `--time-limit` before a worker is stopped: the solver's own limit should act first. */
const HARD_STOP_GRACE = { factor: 1.5, seconds: 5 };

/** How the lanes run. */
export interface LaneSettings {
  readonly jobsCount: number;
  /** Keep each schedule in the log, not only its length. */
  readonly withSchedule: boolean;
  /** Told of each line as soon as it is in the log (the progress display: src/cli/batch-progress.ts). */
  readonly onFinished?: (line: LogLine) => void;
  /** Say in each line whether its schedule lies in the stage grid (`--bound`, src/cli/batch-bounds.ts). */
  readonly withGridMembership?: boolean;
}

/**
 * Runs `todo`, appending one line per finished job to the log at `out` (whose lock the caller holds),
 * and telling `settings.onFinished` of each.
 * @returns the lines written, in the order the jobs finished
 */
export async function runJobs(
  todo: readonly JobSetting[],
  settings: LaneSettings,
  out: string,
  io: CommandIo,
): Promise<LogLine[]> {
  const workerPath = batchWorkerPath();
  const records: LogLine[] = [];
  let next = 0;
  const lane = async () => {
    let worker = new Worker(workerPath);
    try {
      while (next < todo.length) {
        const setting = todo[next++] as JobSetting;
        const { outcome, replaceWorker } = await runOne(worker, jobOf(setting, settings));
        if (replaceWorker) {
          await worker.terminate();
          worker = new Worker(workerPath);
        }
        const line = logLine(setting, outcome);
        if (await appendLogLine(out, JSON.stringify(line)))
          io.err(`remat batch: ${out} ended in a torn line; it is kept as a line of its own`);
        records.push(line);
        settings.onFinished?.(line);
      }
    } finally {
      await worker.terminate();
    }
  };
  await Promise.all(Array.from({ length: Math.min(settings.jobsCount, Math.max(1, todo.length)) }, lane));
  return records;
}

/** The compiled batch worker (src/cli/batch-worker.ts). @throws Error when it has not been built */
export function batchWorkerPath(): string {
  const workerPath = bundledPath("dist", "src", "cli", "batch-worker.js");
  if (!existsSync(workerPath)) throw new Error("the compiled batch worker is missing; run npm run build");
  return workerPath;
}

/** The message a worker gets for `setting`: its solve options (no time limit: Infinity). */
export function jobOf(
  setting: JobSetting,
  lanes: Pick<LaneSettings, "withSchedule" | "withGridMembership">,
): BatchJob {
  return {
    file: setting.file,
    solver: setting.solver,
    budget: setting.budget,
    objective: setting.objective,
    timeLimitSec: setting.timeLimitSec ?? Number.POSITIVE_INFINITY,
    ...(setting.slots === null ? {} : { slots: setting.slots }),
    withSchedule: lanes.withSchedule,
    ...(lanes.withGridMembership === true ? { withGridMembership: true } : {}),
    extra: setting.extra,
    ...(setting.checkpoints === null ? {} : { checkpoints: setting.checkpoints }),
    ...(setting.hardware === null ? {} : { hardware: setting.hardware }),
  };
}

type WorkerMessage =
  | { kind: "result"; result: { readonly status: string } }
  | { kind: "rejected" | "error"; reason: string };

/**
 * Runs one job on `worker`, stopping it at the time limit's hard stop; `replaceWorker` when the worker
 * was stopped or died (the caller terminates it and starts another).
 */
export function runOne(worker: Worker, job: BatchJob): Promise<{ outcome: Outcome; replaceWorker: boolean }> {
  return new Promise((resolve) => {
    const limitMs = Number.isFinite(job.timeLimitSec)
      ? (job.timeLimitSec * HARD_STOP_GRACE.factor + HARD_STOP_GRACE.seconds) * 1000
      : undefined;
    const finish = (outcome: Outcome, replaceWorker: boolean) => {
      clearTimeout(timer);
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
      resolve({ outcome, replaceWorker });
    };
    const onMessage = (message: WorkerMessage) =>
      finish(
        message.kind === "result" ? message.result : { status: message.kind, reason: message.reason },
        false,
      );
    const onError = (error: Error) => finish({ status: "error", reason: describeValue(error.message) }, true);
    const onExit = (code: number) =>
      finish({ status: "error", reason: `the worker exited with code ${code} during the solve` }, true);
    const timer =
      limitMs === undefined
        ? undefined
        : setTimeout(
            () =>
              finish(
                {
                  status: "timeout",
                  stopped: true,
                  reason: `stopped after ${(limitMs / 1000).toFixed(0)} s (time limit ${job.timeLimitSec} s)`,
                },
                true,
              ),
            limitMs,
          );
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    worker.postMessage(job);
  });
}
