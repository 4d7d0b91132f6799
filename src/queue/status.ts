/** What a queue holds: its jobs counted by state, and the ids of the finished ones. */
import type { Queue } from "bullmq";

/** Jobs by state. */
export interface QueueCounts {
  /** Waiting to be taken (delayed and prioritized ones included). */
  readonly waiting: number;
  /** Being solved by a worker now (or held by a worker that died, until its lock expires). */
  readonly active: number;
  readonly completed: number;
  readonly failed: number;
}

/** A queue's counts and the ids of its finished (completed or failed) jobs. */
export interface QueueStatus {
  readonly counts: QueueCounts;
  readonly finishedIds: readonly string[];
}

/** Reads the counts and finished ids of `queue`. */
export async function queueStatus(queue: Queue): Promise<QueueStatus> {
  const raw = await queue.getJobCounts(
    "waiting",
    "delayed",
    "prioritized",
    "waiting-children",
    "active",
    "completed",
    "failed",
  );
  const count = (...states: string[]) => states.reduce((sum, state) => sum + (raw[state] ?? 0), 0);
  const finishedIds = await queue.getRanges(["completed", "failed"], 0, -1);
  return {
    counts: {
      waiting: count("waiting", "delayed", "prioritized", "waiting-children"),
      active: count("active"),
      completed: count("completed"),
      failed: count("failed"),
    },
    finishedIds,
  };
}
