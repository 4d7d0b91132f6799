/**
 * `remat batch --queue` in one process with `remat worker`'s loop beside it:
 * files of equal content are one job with a line each, a rerun retries the failed settings' jobs
 * (removed and queued afresh) and nothing else, `--no-retry` leaves them, and a job that fails in the
 * queue is logged as `error` with the queue's reason.
 */
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { QueueJobData } from "../../src/cli/queue-jobs.js";
import { runWorker } from "../../src/cli/queue-worker.js";
import { readResultsLog } from "../../src/cli/results-log.js";
import { consume } from "../../src/queue/consume.js";
import { parseQueueUrl } from "../../src/queue/url.js";
import { cli, tempFolder } from "../cli/run.js";
import { type RedisServer, startRedis } from "./redis-server.js";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const FAST = { concurrency: 2, lockDurationMs: 1000, stalledIntervalMs: 500, maxStalledCount: 1 };

/** A worker on queue `name` in this process that throws for every job. */
function refusingWorker(name: string): Worker<QueueJobData> {
  return consume<QueueJobData>(
    parseQueueUrl(redis.url(name), "test"),
    FAST,
    async () => {
      throw new Error("this worker refuses every job");
    },
    () => undefined,
  );
}

/** `remat worker`'s loop on queue `name` in this process; `stop` ends it after its running jobs. */
function workerOn(name: string) {
  let stop: () => void = () => undefined;
  let err = "";
  const io = {
    out: () => undefined,
    err: (text: string) => {
      err += `${text}\n`;
    },
  };
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const done = runWorker(parseQueueUrl(redis.url(name), "test"), FAST, io, () => stopped);
  return {
    stop: async () => {
      stop();
      await done;
    },
    err: () => err,
  };
}

/** Two copies of the example chain (equal content under two names) in a fresh folder. */
function twinFiles(): string {
  const folder = tempFolder("remat-twins-");
  copyFileSync("instances/examples/chain.json", join(folder, "a.json"));
  copyFileSync("instances/examples/chain.json", join(folder, "b.json"));
  return folder;
}

describe("remat batch --queue beside a worker", () => {
  it("gives equal files one job and a line each, and retries only the failed settings", async () => {
    const folder = twinFiles();
    const log = join(folder, "results.jsonl");
    const url = redis.url("retry");
    const args = ["batch", "--instances", folder, "--budgets", "100%", "--solvers", "store-all,revolve"];
    args.push("--out", log, "--queue", url);
    const worker = workerOn("retry");
    try {
      const first = await cli(...args);
      expect(first.code, first.err).toBe(0);
      expect(first.err).toContain("2 job(s) added");
      const lines = readResultsLog(log).lines;
      expect(
        lines.map((line) => `${line.file.split("/").pop()} ${line.solver} ${line.status}`).sort(),
      ).toEqual([
        "a.json revolve rejected",
        "a.json store-all optimal",
        "b.json revolve rejected",
        "b.json store-all optimal",
      ]);
      const store = lines.filter((line) => line.solver === "store-all");
      expect(store[0]?.queueJob).toBe(store[1]?.queueJob);

      const retried = await cli(...args);
      expect(retried.err).toContain("1 job(s) added, 0 already waiting or running, 0 finished earlier");
      const after = readResultsLog(log).lines;
      expect(after.filter((line) => line.solver === "revolve")).toHaveLength(4);
      expect(after.filter((line) => line.solver === "store-all")).toHaveLength(2);

      expect((await cli(...args, "--no-retry")).out).toContain("nothing to run");
      expect(readResultsLog(log).lines).toHaveLength(6);
    } finally {
      await worker.stop();
    }
    expect(worker.err()).toMatch(/solving .*a\.json store-all 100%/);
    expect(worker.err()).toContain("stopping after the running jobs");
  });

  it("logs a file that is not JSON as rejected without queueing it, as a local batch does", async () => {
    const folder = twinFiles();
    writeFileSync(join(folder, "broken.json"), "{ not json");
    const args = ["batch", "--instances", folder, "--budgets", "100%", "--solvers", "store-all", "--out"];
    const local = await cli(...args, join(folder, "local.jsonl"));
    expect(local.code, local.err).toBe(0);
    const worker = workerOn("broken");
    try {
      const queued = await cli(...args, join(folder, "queued.jsonl"), "--queue", redis.url("broken"));
      expect(queued.code, queued.err).toBe(0);
      expect(queued.err).toContain("1 job(s) added");
    } finally {
      await worker.stop();
    }
    const statuses = (log: string) =>
      readResultsLog(join(folder, log))
        .lines.map((line) => `${line.file.split("/").pop()} ${line.status} ${line.reason ?? ""}`)
        .sort();
    expect(statuses("queued.jsonl")).toEqual(statuses("local.jsonl"));
    expect(statuses("queued.jsonl")[2]).toMatch(/^broken\.json rejected loadInstance/);
  });

  it("logs a job that failed in the queue as error, with the queue's reason", async () => {
    const folder = tempFolder("remat-refused-");
    const log = join(folder, "results.jsonl");
    const worker = refusingWorker("refused");
    try {
      const run = await cli(
        "batch",
        "--instances",
        "instances/examples/chain.json",
        "--budgets",
        "100%",
        "--solvers",
        "store-all",
        "--out",
        log,
        "--queue",
        redis.url("refused"),
      );
      expect(run.code, run.err).toBe(0);
      expect(readResultsLog(log).lines).toMatchObject([
        { status: "error", reason: "the queue job failed: this worker refuses every job" },
      ]);
    } finally {
      await worker.close();
    }
  });
});
