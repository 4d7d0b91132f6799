/**
 * Adding jobs to a queue, each under its content-hash id (src/queue/job-id.ts): a job the queue already
 * holds (waiting, running or finished) is not added again; a finished job named in `rerun` is removed
 * and added afresh (a failure being retried).
 */
import { Job, type Queue } from "bullmq";

/** A job to add: its id and its data (plain JSON). */
export interface QueuedJob<T> {
  readonly id: string;
  readonly data: T;
}

/** What an enqueue did. */
export interface EnqueueCount {
  /** Jobs added (new to the queue, or finished ones added afresh). */
  readonly added: number;
  /** Jobs the queue held unfinished (waiting, delayed or running): left as they are. */
  readonly pending: number;
  /** Jobs the queue held finished: left as they are, their results to be collected. */
  readonly finished: number;
}

/** The name every job of a remat queue carries. */
export const JOB_NAME = "solve";

/** Jobs looked up or added per round trip. */
const CHUNK = 200;

/** Jobs stay in Redis once finished (their results are collected later, and reruns find them). */
const JOB_OPTIONS = { removeOnComplete: false, removeOnFail: false, attempts: 1 } as const;

/**
 * Adds `jobs` to `queue` (duplicate ids once).
 * @param rerun ids whose finished job is removed and added again
 */
export async function enqueue<T>(
  queue: Queue,
  jobs: readonly QueuedJob<T>[],
  rerun: ReadonlySet<string>,
): Promise<EnqueueCount> {
  const unique = [...new Map(jobs.map((job) => [job.id, job])).values()];
  let added = 0;
  let pending = 0;
  let finished = 0;
  for (let start = 0; start < unique.length; start += CHUNK) {
    const chunk = unique.slice(start, start + CHUNK);
    const states = await Promise.all(chunk.map((job) => queue.getJobState(job.id)));
    const toAdd: QueuedJob<T>[] = [];
    for (const [index, job] of chunk.entries()) {
      const state = states[index];
      const done = state === "completed" || state === "failed";
      if (done && rerun.has(job.id)) {
        await (await Job.fromId(queue, job.id))?.remove();
        toAdd.push(job);
      } else if (state === "unknown") toAdd.push(job);
      else if (done) finished++;
      else pending++;
    }
    await queue.addBulk(
      toAdd.map((job) => ({ name: JOB_NAME, data: job.data, opts: { ...JOB_OPTIONS, jobId: job.id } })),
    );
    added += toAdd.length;
  }
  return { added, pending, finished };
}
