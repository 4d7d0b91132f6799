/**
 * Distributed batch against a local one: the same small batch (the zoo's block-level instances x
 * chen-sqrt, chen-greedy, graph-mincut x 50%, 70%) solved by `remat batch --jobs 2` and by
 * `remat batch --queue` with two local `remat worker` processes (concurrency 1 each) on a throwaway
 * redis-server, in alternating rounds, each queued round on a fresh queue; then a rerun on a used
 * queue into a fresh log (every job found finished: nothing solved, only collected). Every queued log
 * must hold the local answers (timings aside) or the run fails. Wall times are of whole CLI runs
 * (process start included; the workers are started and ready before the clock starts); on this
 * shared 2-core machine they depend on the load, which is recorded at the start and end.
 *
 * Run: npm run build && npx tsx bench/queue.ts   (needs Debian's redis-server)
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type LogLine, readResultsLog } from "../src/cli/results-log.js";
import { bundledPath } from "../src/io/paths.js";
import { benchEnvironment, loadAverageNow, median, writeBenchResults } from "./environment.js";

const INSTANCES = "instances/zoo/*-block.json";
const SOLVERS = "chen-sqrt,chen-greedy,graph-mincut";
const BUDGETS = "50%,70%";
const ROUNDS = 3;
const BIN = bundledPath("bin", "remat.js");

/** Runs `remat ARGS` to its end; resolves with its wall time. @throws Error when it exits non-zero */
function timed(args: readonly string[]): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  return new Promise((resolve, reject) =>
    child.once("close", (code) =>
      code === 0 ? resolve(performance.now() - started) : reject(new Error(`remat ${args[0]}: ${err}`)),
    ),
  );
}

/** Starts a long-running child and resolves once its stderr shows `ready`. */
function startUntil(command: string, args: readonly string[], ready: RegExp): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  return new Promise((resolve, reject) => {
    const look = (chunk: Buffer) => {
      text += chunk.toString();
      if (ready.test(text)) resolve(child);
    };
    child.stdout?.on("data", look);
    child.stderr?.on("data", look);
    child.once("close", () => reject(new Error(`${command} exited: ${text}`)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

/** A log's answers, keyed and sorted, without what depends on the run (timings, the queue job). */
function answers(path: string): string {
  const key = (line: LogLine) => `${line.file} ${line.solver} ${line.budget}`;
  return JSON.stringify(
    [...readResultsLog(path).lines]
      .sort((a, b) => (key(a) < key(b) ? -1 : 1))
      .map(({ stats: _stats, queueJob: _job, ...rest }) => rest),
  );
}

/** The batch's CLI arguments, its log in `folder`. */
function batchArgs(folder: string, out: string): string[] {
  return [
    "batch",
    "--instances",
    INSTANCES,
    "--solvers",
    SOLVERS,
    "--budgets",
    BUDGETS,
    "--out",
    join(folder, out),
  ];
}

/** Alternating local and queued rounds; every log checked against the first local one. */
async function rounds(folder: string, port: number) {
  const localMs: number[] = [];
  const queueMs: number[] = [];
  let reference = "";
  for (let round = 0; round < ROUNDS; round++) {
    localMs.push(await timed([...batchArgs(folder, `local-${round}.jsonl`), "--jobs", "2"]));
    const local = answers(join(folder, `local-${round}.jsonl`));
    if (round === 0) reference = local;
    else if (local !== reference) throw new Error(`local round ${round} answered differently`);
    const url = `redis://127.0.0.1:${port}/bench-${round}`;
    const workers = await Promise.all(
      [0, 1].map(() => startUntil(process.execPath, [BIN, "worker", "--queue", url], /taking jobs/)),
    );
    try {
      queueMs.push(await timed([...batchArgs(folder, `queued-${round}.jsonl`), "--queue", url]));
    } finally {
      for (const worker of workers) worker.kill("SIGTERM");
    }
    if (answers(join(folder, `queued-${round}.jsonl`)) !== reference)
      throw new Error(`queued round ${round} answered differently from the local batch`);
  }
  return { localMs, queueMs, reference, jobs: readResultsLog(join(folder, "local-0.jsonl")).lines.length };
}

async function main(): Promise<void> {
  const environment = benchEnvironment();
  const folder = mkdtempSync(join(tmpdir(), "remat-bench-queue-"));
  const port = await freePort();
  const redis = await startUntil(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    /Ready to accept connections/,
  );
  try {
    const { localMs, queueMs, reference, jobs } = await rounds(folder, port);
    const rerun = [
      ...batchArgs(folder, "collect-only.jsonl"),
      "--queue",
      `redis://127.0.0.1:${port}/bench-0`,
    ];
    const collectOnlyMs = await timed(rerun);
    if (answers(join(folder, "collect-only.jsonl")) !== reference)
      throw new Error("the rerun answered differently");
    const json = {
      environment,
      loadAverageEnd: loadAverageNow(),
      batch: { instances: INSTANCES, solvers: SOLVERS, budgets: BUDGETS, jobs },
      rounds: ROUNDS,
      localJobs2Ms: localMs.map(Math.round),
      queueTwoWorkersMs: queueMs.map(Math.round),
      medianLocalMs: Math.round(median(localMs)),
      medianQueueMs: Math.round(median(queueMs)),
      queueOverLocal: Math.round((median(queueMs) / median(localMs)) * 100) / 100,
      collectOnlyRerunMs: Math.round(collectOnlyMs),
      answersIdentical: true,
    };
    writeBenchResults("queue", json, markdown(json));
    console.log(JSON.stringify(json, null, 2));
  } finally {
    redis.kill("SIGTERM");
  }
}

function markdown(json: {
  readonly batch: { readonly jobs: number };
  readonly medianLocalMs: number;
  readonly medianQueueMs: number;
  readonly queueOverLocal: number;
  readonly collectOnlyRerunMs: number;
  readonly environment: { readonly loadAverage: number };
  readonly loadAverageEnd: number;
}): string {
  return [
    `# Distributed batch (bench/queue.ts)`,
    "",
    `${json.batch.jobs} jobs (${INSTANCES} x ${SOLVERS} x ${BUDGETS}), median of ${ROUNDS} rounds:`,
    "",
    "| run | wall ms |",
    "| --- | ---: |",
    `| remat batch --jobs 2 | ${json.medianLocalMs} |`,
    `| remat batch --queue, 2 workers | ${json.medianQueueMs} |`,
    `| rerun on a used queue (collect only) | ${json.collectOnlyRerunMs} |`,
    "",
    `Queue / local: ${json.queueOverLocal}. Answers identical. Load average ${json.environment.loadAverage} at the start, ${json.loadAverageEnd} at the end (2 shared cores).`,
    "",
  ].join("\n");
}

await main();
