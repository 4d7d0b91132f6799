/**
 * The whole zoo (instances/zoo/, block chains and operator DAGs) x every registered solver that plans
 * without a user's input (all but `checkpoints`, which judges a given kept set) x budgets 30% to 90% of
 * the store-all peak, through `remat batch` itself (worker threads, append-only, resumable), then
 * `remat report` (Markdown) and `remat plot` (front and budget sweep, SVG) on its log. Solvers that do not
 * accept an instance answer `rejected` at once. Every answer goes through `solve`, which checks the
 * claimed cost against the evaluator. The per-solve time limit is chosen so that the whole run takes
 * about 20 minutes on the loaded 2-core development machine; the limit, the lanes and the load average
 * at the start and the end are recorded with the results.
 *
 * Writes bench/results/batch-zoo.jsonl (the log), batch-zoo.md (the report), batch-zoo-front.svg,
 * batch-zoo-sweep.svg and batch-zoo.json (settings, environment, wall time and the report's summary, which
 * bench/readme-batch.ts renders into the README).
 *
 * Run: npm run build && nice -n 10 npx tsx bench/batch-zoo.ts [--time-limit SEC] [--jobs N] [--fresh]
 * (--fresh starts a new log; otherwise a rerun resumes the one there). `--report-only` solves nothing: it
 * remakes the report, the plots and the summary from the log there, keeping the run's recorded settings,
 * environment and wall time.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { solvers } from "../solvers/index.js";
import { buildReport } from "../src/report/model.js";
import { parseResultRecords } from "../src/report/records.js";
import { benchEnvironment, loadAverageNow, writeBenchResults } from "./environment.js";

/** Per-solve time limit, s: about 20 minutes for the whole run at load average 6 on 2 cores (see the results). */
const DEFAULT_TIME_LIMIT_SEC = 2;
/** Solves side by side (the machine's 2 cores). */
const DEFAULT_JOBS = 2;
const BUDGETS = [30, 40, 50, 60, 70, 80, 90].map((percent) => `${percent}%`);
/** Solvers left out: `checkpoints` needs a kept set from the user. */
const LEFT_OUT = new Set(["checkpoints"]);
/** The report's reference: Chen et al.'s greedy segments, a baseline that plans any DAG. */
const REFERENCE = "chen-greedy";

const RESULTS = "bench/results";
const LOG = `${RESULTS}/batch-zoo.jsonl`;

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index < 0 ? fallback : Number(process.argv[index + 1]);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`bench/batch-zoo: --${name} must be a positive number`);
  return value;
}

/** Runs `remat ARGS` (the built bin), its output passed through; throws when it exits non-zero. */
function remat(args: readonly string[]): void {
  const run = spawnSync(process.execPath, ["bin/remat.js", ...args], { stdio: "inherit" });
  if (run.status !== 0) throw new Error(`bench/batch-zoo: remat ${args.join(" ")} exited ${run.status}`);
}

/** How many lines of each status each solver has in the log. */
function statusCounts(records: readonly { solver: string; status: string; stopped: boolean }[]) {
  const counts: Record<string, Record<string, number>> = {};
  for (const record of records) {
    const status = record.stopped ? "stopped" : record.status;
    const row = counts[record.solver] ?? {};
    row[status] = (row[status] ?? 0) + 1;
    counts[record.solver] = row;
  }
  return counts;
}

/** What the batch run itself recorded: its settings, where and when it ran, how long it took. */
interface RunRecord {
  readonly environment: ReturnType<typeof benchEnvironment>;
  readonly loadEnd: number;
  readonly settings: {
    readonly timeLimitSec: number;
    readonly jobs: number;
    readonly budgets: readonly string[];
    readonly solvers: readonly string[];
    readonly reference: string;
  };
  /** A resumed run's wall time covers only the jobs this run did. */
  readonly resumed: boolean;
  readonly wallMs: number;
}

/** Runs the batch. */
function runBatch(): RunRecord {
  const timeLimitSec = flag("time-limit", DEFAULT_TIME_LIMIT_SEC);
  const jobs = flag("jobs", DEFAULT_JOBS);
  if (process.argv.includes("--fresh") && existsSync(LOG)) rmSync(LOG);
  const resumed = existsSync(LOG);
  const environment = benchEnvironment();
  const names = solvers.map((solver) => solver.name).filter((name) => !LEFT_OUT.has(name));
  const started = performance.now();
  remat([
    ...[
      "batch",
      "--instances",
      "instances/zoo",
      "--budgets",
      BUDGETS.join(","),
      "--solvers",
      names.join(","),
    ],
    ...["--out", LOG, "--time-limit", String(timeLimitSec), "--jobs", String(jobs), "--progress-every", "30"],
  ]);
  const wallMs = Math.round(performance.now() - started);
  const settings = { timeLimitSec, jobs, budgets: BUDGETS, solvers: names, reference: REFERENCE };
  return { environment, loadEnd: loadAverageNow(), settings, resumed, wallMs };
}

function main(): void {
  const run: RunRecord = process.argv.includes("--report-only")
    ? (JSON.parse(readFileSync(`${RESULTS}/batch-zoo.json`, "utf8")) as RunRecord)
    : runBatch();
  remat(["report", LOG, "--reference", REFERENCE, "--out", `${RESULTS}/batch-zoo-report.md`]);
  remat(["plot", LOG, "--kind", "front", "--out", `${RESULTS}/batch-zoo-front.svg`]);
  remat(["plot", LOG, "--kind", "sweep", "--out", `${RESULTS}/batch-zoo-sweep.svg`]);
  const records = parseResultRecords(readFileSync(LOG, "utf8"), LOG, "bench/batch-zoo").records;
  const report = buildReport(records, REFERENCE);
  if ("unknownReference" in report) throw new Error(`bench/batch-zoo: no ${REFERENCE} line in the log`);
  const { environment, loadEnd, settings, resumed, wallMs } = run;
  const summary = {
    ...{ environment, loadEnd, settings, resumed, wallMs },
    instances: report.instances.length,
    jobs: records.length,
    statusCounts: statusCounts(records),
    summary: report.summary,
  };
  const markdown = readFileSync(`${RESULTS}/batch-zoo-report.md`, "utf8");
  writeBenchResults("batch-zoo", summary, markdown);
  rmSync(`${RESULTS}/batch-zoo-report.md`);
  console.log(
    `bench/batch-zoo: ${records.length} lines; the batch took ${(wallMs / 60_000).toFixed(1)} min at load ${environment.loadAverage} to ${loadEnd}`,
  );
}

main();
