/**
 * Waiting for jobs to finish and taking their results: the jobs' states are polled (a bounded number of
 * round trips per interval; no event stream to miss), and each job is handed to the caller once, when
 * it has completed (its return value) or failed (its reason: it threw, or it stalled more often than
 * the workers allow).
 */
import { Job, type Queue } from "bullmq";

/** A finished job. */
export type Finished =
  | { readonly id: string; readonly state: "completed"; readonly value: unknown }
  | { readonly id: string; readonly state: "failed"; readonly reason: string };

/** Default time between two polls, milliseconds. */
export const POLL_MS = 250;

/** States looked up per round trip. */
const CHUNK = 200;

/**
 * Resolves once every job of `ids` has finished, calling `take` once for each (in the order they are
 * seen finished; `take` runs to its end before the next).
 * @throws Error when a job is no longer in the queue (removed by another process)
 */
export async function collect(
  queue: Queue,
  ids: readonly string[],
  take: (finished: Finished) => Promise<void>,
  pollMs = POLL_MS,
): Promise<void> {
  const remaining = new Set(ids);
  while (remaining.size > 0) {
    const round = [...remaining];
    for (let start = 0; start < round.length; start += CHUNK)
      for (const [id, state] of await finishedOf(queue, round.slice(start, start + CHUNK))) {
        await take(await finishedJob(queue, id, state));
        remaining.delete(id);
      }
    if (remaining.size > 0) await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** The jobs of `ids` that have finished. @throws Error for a job no longer in the queue */
async function finishedOf(queue: Queue, ids: readonly string[]): Promise<[string, FinishedState][]> {
  const states = await Promise.all(ids.map((id) => queue.getJobState(id)));
  const gone = ids.find((_, index) => states[index] === "unknown");
  if (gone !== undefined) throw goneError(queue, gone);
  return ids.flatMap((id, index) => {
    const state = states[index];
    return state === "completed" || state === "failed" ? [[id, state] as [string, FinishedState]] : [];
  });
}

type FinishedState = Finished["state"];

const goneError = (queue: Queue, id: string) =>
  new Error(`job ${id} is no longer in the queue ${queue.name}; run the batch again to add it`);

/** The result of the finished job `id`. */
async function finishedJob(queue: Queue, id: string, state: FinishedState): Promise<Finished> {
  const job = await Job.fromId(queue, id);
  if (job === undefined) throw goneError(queue, id);
  return state === "completed"
    ? { id, state, value: job.returnvalue }
    : { id, state: "failed", reason: job.failedReason };
}
