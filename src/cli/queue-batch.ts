/**
 * `remat batch --queue URL`: the batch's jobs go onto a BullMQ queue on Redis instead of local threads,
 * workers on any machine solve them (`remat worker`), and the batch collects the results into its one
 * append-only log. Exactly once: the batch holds the log's lock while it collects, starts from what the
 * log holds (a setting with a finished line is neither queued nor written again), and writes each
 * setting's line once per run, when its job has finished; a rerun finds the jobs already queued or
 * finished under the same ids and adds none. `--status` prints what the queue holds. Loaded only when
 * `--queue` is given (BullMQ and ioredis take seconds to import on a busy machine).
 */
import { appendLogLine } from "../io/files.js";
import { collect, type Finished } from "../queue/collect.js";
import { openQueue, probeServer } from "../queue/connect.js";
import { enqueue } from "../queue/enqueue.js";
import { queueStatus } from "../queue/status.js";
import type { QueueTarget } from "../queue/url.js";
import type { CommandIo } from "./command.js";
import { queuePlan } from "./queue-jobs.js";
import { type JobSetting, type LogLine, logLine, type Outcome, readResultsLog } from "./results-log.js";

/** How often a batch waiting on the queue says so, milliseconds. */
const WAITING_NOTE_MS = 30_000;

/** What the queued batch runs. */
export interface QueuedBatch {
  /** Setting key and setting of each job to run (those the log has no finished line for). */
  readonly todo: readonly (readonly [string, JobSetting])[];
  /** Keys of the settings whose only lines are failures (their finished jobs run again). */
  readonly failed: ReadonlySet<string>;
  readonly withSchedule: boolean;
  /** The results log, whose lock the caller holds. */
  readonly out: string;
}

/**
 * Queues `batch.todo` on the target's queue, waits for the workers and appends one line per setting
 * to the log as its job finishes (a job that failed in the queue gives an `error` line with the reason).
 * @returns the lines written, in the order the jobs finished (none, and no connection, when `todo` is empty)
 * @throws InputError when the Redis server cannot be reached
 */
export async function runQueuedBatch(
  target: QueueTarget,
  batch: QueuedBatch,
  io: CommandIo,
): Promise<LogLine[]> {
  if (batch.todo.length === 0) return [];
  await probeServer(target, "remat batch");
  const plan = await queuePlan(batch.todo, batch.withSchedule);
  const settings = new Map(batch.todo);
  const rerun = new Set(
    [...plan.keysById].filter(([, keys]) => keys.some((key) => batch.failed.has(key))).map(([id]) => id),
  );
  const queue = openQueue(target);
  const records: LogLine[] = [];
  try {
    const count = await enqueue(queue, plan.jobs, rerun);
    io.err(
      `remat batch: queue ${target.shown}: ${count.added} job(s) added, ${count.pending} already waiting or running, ` +
        `${count.finished} finished earlier (to collect)`,
    );
    const write = async (line: LogLine) => {
      if (await appendLogLine(batch.out, JSON.stringify(line)))
        io.err(`remat batch: ${batch.out} ended in a torn line; it is kept as a line of its own`);
      records.push(line);
      io.err(
        `remat batch: ${records.length}/${batch.todo.length} ${line.file} ${line.solver} ${line.budget}: ${line.status}`,
      );
    };
    for (const [key, reason] of plan.unreadable)
      await write(logLine(settings.get(key) as JobSetting, { status: "rejected", reason }));
    const take = async (finished: Finished) => {
      const outcome = outcomeOf(finished);
      for (const key of plan.keysById.get(finished.id) ?? [])
        await write({ ...logLine(settings.get(key) as JobSetting, outcome), queueJob: finished.id });
    };
    const reminder = setInterval(
      () =>
        io.err(
          `remat batch: ${records.length}/${batch.todo.length} collected; waiting for workers (remat worker --queue ${target.shown})`,
        ),
      WAITING_NOTE_MS,
    );
    try {
      await collect(queue, [...plan.keysById.keys()], take);
    } finally {
      clearInterval(reminder);
    }
  } finally {
    await queue.close();
  }
  return records;
}

/** The outcome a finished job gives: its result, or an `error` with the queue's reason. */
function outcomeOf(finished: Finished): Outcome {
  if (finished.state === "failed")
    return { status: "error", reason: `the queue job failed: ${finished.reason}` };
  const value = finished.value as Outcome | null;
  return value !== null && typeof value === "object" && typeof value.status === "string"
    ? value
    : { status: "error", reason: "the queue job returned no result" };
}

/**
 * The text of `remat batch --queue URL --status [--out LOG]`: the queue's jobs by state and, with a log,
 * how many of its finished jobs the log holds.
 * @throws InputError when the Redis server cannot be reached
 */
export async function queueStatusText(target: QueueTarget, out: string | undefined): Promise<string> {
  await probeServer(target, "remat batch");
  const queue = openQueue(target);
  try {
    const { counts, finishedIds } = await queueStatus(queue);
    const lines = [
      `queue ${target.shown}: ${counts.waiting} waiting, ${counts.active} active, ${counts.completed} completed, ${counts.failed} failed`,
    ];
    if (out !== undefined) {
      const logged = new Set(readResultsLog(out).lines.map((line) => line.queueJob));
      const inLog = finishedIds.filter((id) => logged.has(id)).length;
      lines.push(
        `log ${out}: ${inLog} of the ${finishedIds.length} finished job(s) are in it` +
          (inLog < finishedIds.length
            ? ` (${finishedIds.length - inLog} to collect: run the batch again)`
            : ""),
      );
    }
    return lines.join("\n");
  } finally {
    await queue.close();
  }
}
