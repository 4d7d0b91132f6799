/**
 * The worker side of a queue: a BullMQ worker that takes up to `concurrency` jobs at a time and hands
 * each to `solveJob` (which runs it elsewhere, in a worker thread, so that this thread stays free to
 * renew the jobs' locks). A worker that dies loses its locks; after `lockDurationMs` another worker's
 * stalled check (every `stalledIntervalMs`) puts its jobs back in the queue, up to `maxStalledCount`
 * times per job, after which the job fails.
 */
import { type Job, Worker } from "bullmq";
import { connectionOptions } from "./connect.js";
import { JOB_NAME } from "./enqueue.js";
import type { ConsumeSettings } from "./settings.js";
import type { QueueTarget } from "./url.js";

/** What `solveJob` is told about a job. */
export interface TakenJob<T> {
  readonly id: string;
  readonly data: T;
}

/**
 * Starts taking jobs from the target's queue; each job's result is what `solveJob` resolves with (a
 * rejection fails the job with its message).
 * @param note called with a sentence for each connection or worker error (the worker keeps going)
 * @returns the BullMQ worker (`close()` waits for the running jobs)
 */
export function consume<T>(
  target: QueueTarget,
  settings: ConsumeSettings,
  solveJob: (job: TakenJob<T>) => Promise<unknown>,
  note: (text: string) => void,
): Worker<T> {
  const worker = new Worker<T>(
    target.name,
    async (job: Job<T>) => {
      if (job.name !== JOB_NAME) throw new Error(`not a remat job: ${job.name}`);
      return solveJob({ id: job.id as string, data: job.data });
    },
    {
      connection: connectionOptions(target),
      concurrency: settings.concurrency,
      lockDuration: settings.lockDurationMs,
      stalledInterval: settings.stalledIntervalMs,
      maxStalledCount: settings.maxStalledCount,
    },
  );
  worker.on("error", (error: Error) => note(`${target.shown}: ${error.message}`));
  return worker;
}
