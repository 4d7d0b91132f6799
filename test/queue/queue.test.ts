/**
 * The queue modules on a real Redis (src/queue/): equal ids are one job, finished jobs stay to be
 * collected, a rerun adds nothing unless asked to redo a finished job, a worker's results come back
 * once per job, a job whose worker throws comes back failed with the reason, and the status counts
 * every state.
 */
import type { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collect, type Finished } from "../../src/queue/collect.js";
import { openQueue } from "../../src/queue/connect.js";
import { consume } from "../../src/queue/consume.js";
import { enqueue } from "../../src/queue/enqueue.js";
import { jobIdOf } from "../../src/queue/job-id.js";
import { queueStatus } from "../../src/queue/status.js";
import { parseQueueUrl } from "../../src/queue/url.js";
import { type RedisServer, startRedis } from "./redis-server.js";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

/** Fast intervals: a test never waits on BullMQ's 30 s defaults. */
const FAST = { lockDurationMs: 1000, stalledIntervalMs: 500, maxStalledCount: 1 };

async function jobs(values: readonly number[]) {
  return Promise.all(values.map(async (value) => ({ id: await jobIdOf(`job ${value}`), data: { value } })));
}

async function withQueue(name: string, body: (queue: Queue) => Promise<void>): Promise<void> {
  const queue = openQueue(parseQueueUrl(redis.url(name), "test"));
  try {
    await body(queue);
  } finally {
    await queue.close();
  }
}

describe("jobIdOf", () => {
  it("gives 64 hex digits, equal for equal text and different for different text", async () => {
    const [a, b, c] = await Promise.all([jobIdOf("x"), jobIdOf("x"), jobIdOf("y")]);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });
});

describe("enqueue, consume and collect", () => {
  it("adds each id once, solves each job once and hands every result back once", async () => {
    await withQueue("once", async (queue) => {
      const list = await jobs([1, 2, 3, 4, 2]);
      expect(await enqueue(queue, list, new Set())).toEqual({ added: 4, pending: 0, finished: 0 });
      expect(await enqueue(queue, list, new Set())).toEqual({ added: 0, pending: 4, finished: 0 });
      const solved: number[] = [];
      const target = parseQueueUrl(redis.url("once"), "test");
      const worker = consume<{ value: number }>(
        target,
        { concurrency: 2, ...FAST },
        async (job) => {
          solved.push(job.data.value);
          if (job.data.value === 4) throw new Error("four is refused");
          return { status: "feasible", square: job.data.value ** 2 };
        },
        () => undefined,
      );
      const seen: Finished[] = [];
      try {
        await collect(queue, [...new Set(list.map((job) => job.id))], async (finished) => {
          seen.push(finished);
        });
      } finally {
        await worker.close();
      }
      expect(solved.sort()).toEqual([1, 2, 3, 4]);
      const byId = new Map(seen.map((finished) => [finished.id, finished]));
      expect(byId.size).toBe(4);
      expect(seen).toHaveLength(4);
      const [one, , , four] = list;
      expect(byId.get(one?.id as string)).toEqual({
        id: one?.id,
        state: "completed",
        value: { status: "feasible", square: 1 },
      });
      expect(byId.get(four?.id as string)).toEqual({
        id: four?.id,
        state: "failed",
        reason: "four is refused",
      });
      expect(await enqueue(queue, list, new Set())).toEqual({ added: 0, pending: 0, finished: 4 });
      expect(await enqueue(queue, list, new Set([four?.id as string]))).toEqual({
        added: 1,
        pending: 0,
        finished: 3,
      });
      const status = await queueStatus(queue);
      expect(status.counts).toEqual({ waiting: 1, active: 0, completed: 3, failed: 0 });
      expect([...status.finishedIds].sort()).toEqual(
        [one, list[1], list[2]].map((job) => job?.id as string).sort(),
      );
    });
  });

  it("refuses to wait for a job the queue does not hold", async () => {
    await withQueue("missing", async (queue) => {
      const [job] = await jobs([9]);
      await expect(collect(queue, [job?.id as string], async () => undefined)).rejects.toThrow(
        /no longer in the queue/,
      );
    });
  });
});
