/**
 * Distributed batch end to end (`remat batch --queue`, `remat worker`, each a process of its own, on a
 * throwaway redis-server): a batch killed after queueing is rerun and adds no job; two workers start and
 * one is killed (SIGKILL) in the middle of its first job, which the other worker then solves after the
 * lock expires; the log ends with every job's line exactly once, equal to what a local `remat batch`
 * writes (timings aside); a further rerun has nothing to run, and --status counts it all.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LogLine, readResultsLog } from "../../src/cli/results-log.js";
import { BIN, cli, ROOT, tempFolder } from "../cli/run.js";
import { type RedisServer, startRedis } from "./redis-server.js";

const SOLVERS = "chen-greedy,graph-mincut";
const BUDGETS = "100%,90%,80%,70%";
const JOBS = 3 * 2 * 4;
/** Short locks and stall checks, so that the killed worker's job runs again within seconds. */
const WORKER_FLAGS = ["--lock-ms", "1500", "--stalled-ms", "500"];

let redis: RedisServer;
const children: ChildProcess[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await redis?.stop();
});

/** A `remat` child process whose stderr is gathered, and ways to wait on it. */
interface Child {
  readonly process: ChildProcess;
  readonly err: () => string;
  /** Resolves with the first stderr match of `pattern` (waiting for more output as needed). */
  readonly waitFor: (pattern: RegExp) => Promise<RegExpMatchArray>;
  readonly exit: Promise<number | null>;
}

function start(args: readonly string[]): Child {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
  children.push(child);
  let err = "";
  const waiters: (() => void)[] = [];
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  });
  const exit = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  const waitFor = async (pattern: RegExp): Promise<RegExpMatchArray> => {
    for (;;) {
      const match = err.match(pattern);
      if (match !== null) return match;
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`exited before ${pattern}: ${err}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        child.once("close", () => resolve());
      });
    }
  };
  return { process: child, err: () => err, waitFor, exit };
}

/** A line with what depends on the run left out: its timings and the queue job it came from. */
function answerOf(line: LogLine): Record<string, unknown> {
  const { stats: _stats, queueJob: _job, ...rest } = line;
  return rest;
}

describe("remat batch --queue with two workers, one killed mid-job", () => {
  it("logs every job exactly once, equal to a local batch, and a rerun adds nothing", async () => {
    const folder = tempFolder("remat-queue-");
    const url = redis.url("e2e");
    const batchArgs = (out: string) => [
      "batch",
      "--instances",
      "instances/examples",
      "--solvers",
      SOLVERS,
      "--budgets",
      BUDGETS,
      "--out",
      join(folder, out),
    ];
    const local = await cli(...batchArgs("local.jsonl"));
    expect(local.code, local.err).toBe(0);

    const first = start([...batchArgs("queued.jsonl"), "--queue", url]);
    await first.waitFor(new RegExp(`queue .*: ${JOBS} job\\(s\\) added, 0 already waiting`));
    first.process.kill("SIGKILL");
    await first.exit;
    const waiting = await cli("batch", "--queue", url, "--status", "--out", join(folder, "queued.jsonl"));
    expect(waiting.out).toContain(`${JOBS} waiting, 0 active, 0 completed, 0 failed`);

    const batch = start([...batchArgs("queued.jsonl"), "--queue", url]);
    await batch.waitFor(new RegExp(`0 job\\(s\\) added, ${JOBS} already waiting or running`));
    const doomed = start(["worker", "--queue", url, ...WORKER_FLAGS]);
    const survivor = start(["worker", "--queue", url, ...WORKER_FLAGS]);
    const [, killedJob] = await doomed.waitFor(/solving .* \(job ([0-9a-f]+)\)/);
    doomed.process.kill("SIGKILL");
    await doomed.exit;
    expect(await batch.exit, batch.err()).toBe(0);
    expect(doomed.err(), "the killed worker finished its job before the kill").not.toMatch(
      new RegExp(`\\(job ${killedJob}\\): `),
    );
    expect(survivor.err()).toContain(`solving`);
    expect(survivor.err(), "the survivor solved the killed worker's job").toMatch(
      new RegExp(`\\(job ${killedJob}\\): `),
    );

    const queued = readResultsLog(join(folder, "queued.jsonl"));
    expect([queued.unparsable, queued.foreign]).toEqual([0, 0]);
    expect(queued.lines).toHaveLength(JOBS);
    expect(new Set(queued.lines.map((line) => line.queueJob)).size).toBe(JOBS);
    const key = (line: LogLine) => `${line.file} ${line.solver} ${line.budget}`;
    const sorted = (lines: readonly LogLine[]) =>
      [...lines].sort((a, b) => (key(a) < key(b) ? -1 : 1)).map(answerOf);
    expect(sorted(queued.lines)).toEqual(sorted(readResultsLog(join(folder, "local.jsonl")).lines));

    const again = await cli(...batchArgs("queued.jsonl"), "--queue", url);
    expect(again.out).toContain("nothing to run");
    const done = await cli("batch", "--queue", url, "--status", "--out", join(folder, "queued.jsonl"));
    expect(done.code).toBe(0);
    expect(done.out).toContain(`0 waiting, 0 active, ${JOBS} completed, 0 failed`);
    expect(done.out).toContain(`${JOBS} of the ${JOBS} finished job(s) are in it`);

    survivor.process.kill("SIGTERM");
    expect(await survivor.exit, survivor.err()).toBe(0);
  });
});
