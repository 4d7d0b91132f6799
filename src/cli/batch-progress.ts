/**
 * The progress of `remat batch`: done / total, rate, ETA and failures so far. On a terminal it is one
 * bar redrawn in place (cli-progress); elsewhere (a log file, CI) a plain line now and then; with
 * `--quiet` nothing. Rate and ETA are the run's average throughput so far (jobs finished / elapsed), so
 * they hold for any number of lanes.
 */
import { SingleBar } from "cli-progress";
import { describeValue, InputError } from "../errors.js";

/** What the progress sees of a finished job. */
export interface FinishedJob {
  readonly file: string;
  readonly solver: string;
  readonly budget: string;
  readonly status: string;
  readonly stopped?: unknown;
}

/** Where and how the progress is shown. */
export interface ProgressSettings {
  /** Jobs this run will do. */
  readonly total: number;
  /** Print nothing at all. */
  readonly quiet: boolean;
  /** The terminal to draw the bar on; undefined when standard error is not one (plain lines then). */
  readonly tty: NodeJS.WriteStream | undefined;
  /** Where plain lines go. */
  readonly line: (text: string) => void;
  /** The clock, ms (injected for tests); the progress only, never an answer, reads it. */
  readonly now?: () => number;
  /** The least time between two plain lines, ms (a failure and the last job are printed at once). */
  readonly intervalMs?: number;
}

/** A progress display: told of each finished job, stopped at the end. */
export interface BatchProgress {
  readonly finished: (job: FinishedJob) => void;
  /** Ends the display (the bar's last state stays on the terminal). */
  readonly stop: () => void;
}

/** Default least time between two plain progress lines, ms: often enough to see life in a CI log. */
export const PLAIN_INTERVAL_MS = 10_000;

/**
 * `{ intervalMs }` from `--progress-every SEC` (0 allowed: a line per job), `{}` when absent.
 * @throws InputError (path `--progress-every`) for a value that is not a number >= 0
 */
export function progressInterval(raw: unknown): { readonly intervalMs?: number } {
  if (raw === undefined) return {};
  const seconds = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : Number.NaN;
  if (!Number.isFinite(seconds) || seconds < 0)
    throw new InputError("remat batch", [
      {
        code: "option",
        path: "--progress-every",
        expected: "seconds between progress lines, a number >= 0",
        received: describeValue(raw),
      },
    ]);
  return { intervalMs: seconds * 1000 };
}

/** The counts a progress line shows. */
export interface ProgressCounts {
  readonly done: number;
  readonly total: number;
  /** Jobs that failed (error, or stopped past the time limit). */
  readonly failed: number;
  /** Jobs whose solver does not accept the instance (an answer of sorts, not a failure). */
  readonly rejected: number;
  /** Since the run started, ms. */
  readonly elapsedMs: number;
}

/** Whether a finished job counts as a failure: an error, or a solve stopped past its time limit. */
export function isFailure(job: Pick<FinishedJob, "status" | "stopped">): boolean {
  return job.status === "error" || (job.status === "timeout" && job.stopped === true);
}

/** A duration as `45s`, `12m05s` or `3h07m`; `-` when unknown. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "-";
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

/** Jobs per minute so far, and the time left at that rate (Infinity before the first job). */
export function rateAndEta(counts: ProgressCounts): { readonly perMinute: number; readonly etaMs: number } {
  if (counts.done === 0 || counts.elapsedMs <= 0) return { perMinute: 0, etaMs: Number.POSITIVE_INFINITY };
  const msPerJob = counts.elapsedMs / counts.done;
  return { perMinute: 60_000 / msPerJob, etaMs: (counts.total - counts.done) * msPerJob };
}

/** The plain progress line: `remat batch: 12/84 (14%), 3.1 jobs/min, ETA 23m13s, 1 failed, 2 rejected`. */
export function progressLine(counts: ProgressCounts): string {
  const { perMinute, etaMs } = rateAndEta(counts);
  const percent = counts.total === 0 ? 100 : Math.floor((counts.done / counts.total) * 100);
  return (
    `remat batch: ${counts.done}/${counts.total} (${percent}%), ${perMinute.toFixed(1)} jobs/min, ` +
    `ETA ${counts.done === counts.total ? "0s" : formatDuration(etaMs)}, elapsed ${formatDuration(counts.elapsedMs)}, ` +
    `${counts.failed} failed` +
    (counts.rejected > 0 ? `, ${counts.rejected} rejected` : "")
  );
}

/** The progress display `settings` ask for. */
export function batchProgress(settings: ProgressSettings): BatchProgress {
  if (settings.quiet || settings.total === 0) return { finished: () => undefined, stop: () => undefined };
  const now = settings.now ?? Date.now;
  const start = now();
  let done = 0;
  let failed = 0;
  let rejected = 0;
  const counts = (): ProgressCounts => ({
    done,
    total: settings.total,
    failed,
    rejected,
    elapsedMs: now() - start,
  });
  const show =
    settings.tty === undefined ? plainDisplay(settings, now) : barDisplay(settings.tty, settings.total);
  return {
    finished: (job) => {
      done++;
      if (isFailure(job)) failed++;
      if (job.status === "rejected") rejected++;
      show.update(counts(), job);
    },
    stop: () => show.stop(),
  };
}

/** One way of showing the counts. */
interface Display {
  readonly update: (counts: ProgressCounts, job: FinishedJob) => void;
  readonly stop: () => void;
}

/** Plain lines: at most one per interval, plus one per failure (naming the job) and one at the end. */
function plainDisplay(settings: ProgressSettings, now: () => number): Display {
  const interval = settings.intervalMs ?? PLAIN_INTERVAL_MS;
  let last = Number.NEGATIVE_INFINITY;
  return {
    update: (counts, job) => {
      const failure = isFailure(job);
      if (failure) settings.line(`remat batch: ${job.status}: ${job.file} ${job.solver} ${job.budget}`);
      const time = now();
      if (failure || counts.done === counts.total || time - last >= interval) {
        settings.line(progressLine(counts));
        last = time;
      }
    },
    stop: () => undefined,
  };
}

/** A cli-progress bar on `tty`, its rate, ETA and failures given as payload. */
function barDisplay(tty: NodeJS.WriteStream, total: number): Display {
  const bar = new SingleBar({
    stream: tty,
    format:
      "remat batch [{bar}] {value}/{total} {percentage}% | {rate} jobs/min | ETA {left} | {failed} failed{rejected} | {last}",
    barsize: 24,
    hideCursor: true,
    clearOnComplete: false,
    etaBuffer: 50,
  });
  bar.start(total, 0, { rate: "0.0", left: "-", failed: 0, rejected: "", last: "" });
  return {
    update: (counts, job) => {
      const { perMinute, etaMs } = rateAndEta(counts);
      bar.update(counts.done, {
        rate: perMinute.toFixed(1),
        left: counts.done === counts.total ? "0s" : formatDuration(etaMs),
        failed: counts.failed,
        rejected: counts.rejected > 0 ? `, ${counts.rejected} rejected` : "",
        last: `${job.solver} ${job.budget}: ${job.status}`,
      });
    },
    stop: () => bar.stop(),
  };
}
