/**
 * Benchmark of graph-mincut: speed on a DenseNet-121 op graph and on a 5,000-node random layered DAG;
 * quality on the zoo's ResNet-50, DenseNet-121, MobileNetV2 and Inception-v3 op graphs (memory
 * objective against Feng & Huang 2021's reported cuts; time objective against chen-sqrt and
 * chen-greedy over a range of budgets); the memory objective on every shipped op-level instance
 * (exact or not); the general search against the exact answer on small random DAGs; and long inputs
 * under a time limit (chains of 1,000 to 20,000 nodes and layered DAGs of about 5,000, limits 1 s and
 * 5 s: status, wall time, overrun, peak RSS), each solved in a child process of its own so that its
 * peak RSS is its own. Every answer is re-evaluated from its text schedule before any timing. Writes
 * bench/results/graph-mincut.json and .md, with the load average at the start and the end.
 *
 * Run: npx tsx bench/graph-mincut.ts (the long-input rows alone: npx tsx bench/graph-mincut.ts --long)
 */
import { execSync, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { cpus, loadavg, platform, release } from "node:os";
import { fileURLToPath } from "node:url";
import { type SolveOptions, solve } from "../solvers/index.js";
import { evaluate } from "../src/evaluate/evaluate.js";
import { randomChain, randomLayeredDag, randomSeriesParallel } from "../src/generate/families.js";
import { isSeriesParallel } from "../src/graph/series-parallel.js";
import { parseInstance } from "../src/instance/parse.js";
import type { Instance } from "../src/instance/types.js";
import { parseSchedule } from "../src/schedule/text.js";
import type { SolveResult } from "../src/solve-result.js";
import { generateInstance } from "../src/zoo/generate.js";

/** Feng & Huang (CVPR 2021) README table: intermediate-memory cut and time overhead per network. */
const FENG_HUANG: Readonly<Record<string, { cut: number; overhead: number }>> = {
  "resnet-50": { cut: 0.63, overhead: 0.31 },
  "densenet-121": { cut: 0.78, overhead: 0.34 },
  "inception-v3": { cut: 0.71, overhead: 0.29 },
};
const ZOO = ["resnet-50", "densenet-121", "mobilenet-v2", "inception-v3"];
const BUDGETS = [30, 40, 50, 60, 70, 80, 90];
const WARMUP = 1;
const RUNS = 5;

function zooInstance(zoo: string): Instance {
  return parseInstance(JSON.parse(generateInstance({ zoo, config: {}, level: "op" }).text));
}

/** Solves and re-checks the answer with the evaluator from its text form; throws on any mismatch. */
async function verified(instance: Instance, options: SolveOptions): Promise<SolveResult> {
  const result = await solve(instance, options);
  if (result.makespanMs === null) return result;
  const evaluation = evaluate(instance, parseSchedule(result.schedule));
  if (!evaluation.valid) throw new Error(`${instance.name}: invalid schedule (${evaluation.error.reason})`);
  if (evaluation.peakBytes !== result.peakBytes || evaluation.makespanMs !== result.makespanMs)
    throw new Error(`${instance.name}: reported cost differs from the evaluator`);
  if (result.budgetBytes !== null && evaluation.peakBytes > result.budgetBytes)
    throw new Error(`${instance.name}: peak above budget`);
  return result;
}

async function timed(instance: Instance, options: SolveOptions, runs: number) {
  await verified(instance, options);
  for (let i = 0; i < WARMUP; i++) await solve(instance, options);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await solve(instance, options);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return {
    instance: instance.name,
    nodes: instance.nodes.length,
    objective: options.objective ?? "time",
    budget: String(options.budget ?? "none"),
    runs,
    medianMs: samples[Math.floor(samples.length / 2)] as number,
    minMs: samples[0] as number,
    maxMs: samples[samples.length - 1] as number,
  };
}

async function quality(zoo: string) {
  const instance = zooInstance(zoo);
  const storeAll = await verified(instance, { solver: "store-all" });
  const intermediate = (peak: number) => peak - instance.fixedBytes;
  const memory = await verified(instance, { solver: "graph-mincut", objective: "memory" });
  const base = intermediate(storeAll.peakBytes as number);
  const budgets = [];
  for (const percent of BUDGETS) {
    const row: Record<string, number | null> = { percent };
    for (const solver of ["graph-mincut", "chen-sqrt", "chen-greedy"])
      row[solver] = (await verified(instance, { solver, budget: `${percent}%` })).overhead;
    budgets.push(row);
  }
  return {
    zoo,
    instance: instance.name,
    nodes: instance.nodes.length,
    storeAllPeakBytes: storeAll.peakBytes,
    fixedBytes: instance.fixedBytes,
    memory: {
      status: memory.status,
      peakBytes: memory.peakBytes,
      cut: 1 - intermediate(memory.peakBytes as number) / base,
      overhead: memory.overhead,
      lowerBoundBytes: memory.lowerBoundBytes,
      boundCut: 1 - intermediate(memory.lowerBoundBytes as number) / base,
      fengHuang: FENG_HUANG[zoo] ?? null,
    },
    budgets,
  };
}

/** The memory objective on every shipped op-level zoo instance: which are solved exactly, and how fast. */
async function zooExactness() {
  const rows = [];
  for (const file of readdirSync("instances/zoo")
    .filter((name) => name.endsWith("-op.json"))
    .sort()) {
    const instance = parseInstance(JSON.parse(readFileSync(`instances/zoo/${file}`, "utf8")), file);
    const storeAll = await verified(instance, { solver: "store-all" });
    const started = performance.now();
    const memory = await verified(instance, { solver: "graph-mincut", objective: "memory" });
    const wallMs = performance.now() - started;
    const base = (storeAll.peakBytes as number) - instance.fixedBytes;
    rows.push({
      instance: file.replace(/\.json$/, ""),
      nodes: instance.nodes.length,
      seriesParallel: isSeriesParallel(instance),
      status: memory.status,
      cut: 1 - ((memory.peakBytes as number) - instance.fixedBytes) / base,
      boundCut: 1 - ((memory.lowerBoundBytes as number) - instance.fixedBytes) / base,
      method:
        memory.stats.spanExact === 1
          ? "decomposition"
          : memory.stats.exhaustive === 1
            ? "enumeration"
            : "search",
      wallMs,
    });
  }
  return rows;
}

/**
 * The general search (enumeration and the exact decomposition switched off) against the exact answer
 * (the decomposition with no work limit, itself checked against exhaustive search in the tests) on
 * small random series-parallel and layered DAGs.
 */
async function searchVersusExact() {
  const families = [
    {
      family: "series-parallel, 10-14 nodes",
      make: (seed: number) => randomSeriesParallel(seed, 10 + (seed % 5)),
    },
    {
      family: "layered, 4 layers of <= 3-4",
      make: (seed: number) => randomLayeredDag(seed, 4, 3 + (seed % 2)),
    },
  ];
  const rows = [];
  for (const { family, make } of families) {
    let optimal = 0;
    let excess = 0;
    let boundGap = 0;
    const count = 100;
    for (let seed = 1; seed <= count; seed++) {
      const instance = make(seed);
      const exact = await verified(instance, {
        solver: "graph-mincut",
        objective: "memory",
        extra: { exhaustiveLimit: 0, spanWork: 1e12 },
      });
      const search = await verified(instance, {
        solver: "graph-mincut",
        objective: "memory",
        extra: { exhaustiveLimit: 0, spanWork: 0 },
      });
      if (exact.status !== "optimal") throw new Error(`${instance.name}: the decomposition did not finish`);
      const best = exact.peakBytes as number;
      if (search.peakBytes === best) optimal++;
      excess += (search.peakBytes as number) / best - 1;
      boundGap += 1 - (search.lowerBoundBytes as number) / best;
    }
    rows.push({ family, count, optimal, meanExcess: excess / count, meanBoundGap: boundGap / count });
  }
  return rows;
}

/** One long-input solve: which instance, objective and limit. */
interface LongCase {
  readonly family: "chain" | "layered";
  readonly size: number;
  readonly objective: "time" | "memory";
  readonly limitSec: number;
}

/** What a child process reports of one long-input solve. */
interface LongRow extends LongCase {
  readonly nodes: number;
  readonly status: string;
  readonly wallSec: number;
  readonly overrunSec: number;
  /** The solver's own time (solve() measures it around the solver's call), s. */
  readonly solverSec: number;
  /** Whether the answer carries a schedule (a timeout may have none). */
  readonly scheduled: boolean;
  readonly peakRssMb: number;
  readonly phase: string | null;
  readonly error: string | null;
}

const LONG_CASES: readonly LongCase[] = [
  ...[1_000, 5_000, 10_000, 20_000].map((size) => ({ family: "chain" as const, size })),
  { family: "layered" as const, size: 5_000 },
].flatMap((shape) =>
  (["time", "memory"] as const).flatMap((objective) =>
    [1, 5].map((limitSec) => ({ ...shape, objective, limitSec })),
  ),
);

function longInstance(c: LongCase): Instance {
  return c.family === "chain" ? randomChain(1, c.size) : randomLayeredDag(7, Math.round(c.size / 4), 7);
}

/** In the child: solves one case, verifies the answer, prints its row as JSON. */
async function longChild(c: LongCase): Promise<void> {
  const instance = longInstance(c);
  const options: SolveOptions = {
    solver: "graph-mincut",
    objective: c.objective,
    budget: c.objective === "time" ? "50%" : "none",
    timeLimitSec: c.limitSec,
  };
  let row: Omit<LongRow, keyof LongCase | "nodes" | "peakRssMb">;
  const started = performance.now();
  try {
    const result = await solve(instance, options);
    const wallSec = (performance.now() - started) / 1000;
    if (result.schedule.length > 0) {
      const evaluation = evaluate(instance, parseSchedule(result.schedule));
      if (!evaluation.valid || evaluation.peakBytes !== result.peakBytes)
        throw new Error(`${instance.name}: the answer does not re-evaluate to its claims`);
    }
    const phase = result.reason?.match(/during (.*?)(,|$)/)?.[1] ?? null;
    row = {
      status: result.status,
      wallSec,
      overrunSec: wallSec - c.limitSec,
      solverSec: result.stats.wallMs / 1000,
      scheduled: result.schedule.length > 0,
      phase,
      error: null,
    };
  } catch (error: unknown) {
    const wallSec = (performance.now() - started) / 1000;
    const message = error instanceof Error ? `${error.name}: ${error.message.slice(0, 120)}` : String(error);
    const failed = { solverSec: Number.NaN, scheduled: false, phase: null, error: message };
    row = { status: "error", wallSec, overrunSec: wallSec - c.limitSec, ...failed };
  }
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ ...c, nodes: instance.nodes.length, ...row, peakRssMb }));
}

/** Every long-input case, each in a child process of its own (its peak RSS is its own). */
function longInputs(): LongRow[] {
  return LONG_CASES.map((c) => {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), "--long-child", JSON.stringify(c)],
      { encoding: "utf8", maxBuffer: 1 << 24 },
    );
    const line = child.stdout.trim().split("\n").pop() ?? "";
    if (child.status !== 0 || !line.startsWith("{"))
      return {
        ...c,
        nodes: longInstance(c).nodes.length,
        status: "crash",
        wallSec: Number.NaN,
        overrunSec: Number.NaN,
        solverSec: Number.NaN,
        scheduled: false,
        peakRssMb: Number.NaN,
        phase: null,
        error: `exit ${child.status}: ${
          child.stderr
            .trim()
            .split("\n")
            .find((l) => /Error/.test(l)) ?? ""
        }`.slice(0, 160),
      };
    return JSON.parse(line) as LongRow;
  });
}

const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? "infeasible" : `${(100 * x).toFixed(1)}%`;

function markdown(report: Awaited<ReturnType<typeof collect>>): string {
  const lines = [
    "# graph-mincut benchmark",
    "",
    `Node ${report.node}, ${report.machine}, commit ${report.commit}, ${report.date}, load average ${report.load.start.toFixed(2)} at the start and ${report.load.end.toFixed(2)} at the end (other jobs share the machine: speed figures are noisy). Warm-up ${WARMUP}, then the median of the runs; every answer re-evaluated from its text schedule first.`,
    "",
    "## Speed (solve() wall time, ms)",
    "",
    "| instance | nodes | objective | budget | runs | median | min | max |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...report.speed.map(
      (s) =>
        `| ${s.instance} | ${s.nodes} | ${s.objective} | ${s.budget} | ${s.runs} | ${s.medianMs.toFixed(0)} | ${s.minMs.toFixed(0)} | ${s.maxMs.toFixed(0)} |`,
    ),
    "",
    "## Memory objective: cut of intermediate memory, (peak - fixedBytes) vs store-all",
    "",
    "| network | nodes | status | cut | time overhead | lower-bound cut | Feng & Huang cut / overhead |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...report.quality.map(
      (q) =>
        `| ${q.zoo} | ${q.nodes} | ${q.memory.status} | ${pct(q.memory.cut)} | ${pct(q.memory.overhead)} | ${pct(q.memory.boundCut)} | ${q.memory.fengHuang === null ? "-" : `${pct(q.memory.fengHuang.cut)} / ${pct(q.memory.fengHuang.overhead)}`} |`,
    ),
    "",
    "The lower-bound cut is the most any checkpoint schedule could cut (proofs/graph-mincut.md).",
    "",
    "## Memory objective on every shipped op-level zoo instance",
    "",
    "| instance | nodes | series-parallel | method | status | cut | lower-bound cut | wall ms |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...report.zoo.map(
      (z) =>
        `| ${z.instance} | ${z.nodes} | ${z.seriesParallel ? "yes" : "no"} | ${z.method} | ${z.status} | ${pct(z.cut)} | ${pct(z.boundCut)} | ${z.wallMs.toFixed(0)} |`,
    ),
    "",
    "## General search against the exact answer on small random DAGs",
    "",
    "| family | graphs | search optimal | mean excess peak | mean lower-bound gap |",
    "| --- | --- | --- | --- | --- |",
    ...report.small.map(
      (r) => `| ${r.family} | ${r.count} | ${r.optimal} | ${pct(r.meanExcess)} | ${pct(r.meanBoundGap)} |`,
    ),
    "",
    "## Long inputs under a time limit (each solve in a child process; time objective at 50%, memory without budget)",
    "",
    ...longTable(report.long),
    "",
    "## Time objective: overhead (makespan / store-all - 1) per budget (% of store-all peak)",
    "",
    "| network | budget | graph-mincut | chen-sqrt | chen-greedy |",
    "| --- | --- | --- | --- | --- |",
    ...report.quality.flatMap((q) =>
      q.budgets.map(
        (b) =>
          `| ${q.zoo} | ${b.percent}% | ${pct(b["graph-mincut"])} | ${pct(b["chen-sqrt"])} | ${pct(b["chen-greedy"])} |`,
      ),
    ),
    "",
  ];
  return lines.join("\n");
}

async function collect() {
  const loadAtStart = loadavg()[0] as number;
  const densenet = zooInstance("densenet-121");
  const layered = randomLayeredDag(7, 1250, 7);
  const speed = [
    await timed(densenet, { solver: "graph-mincut", budget: "50%" }, RUNS),
    await timed(densenet, { solver: "graph-mincut", objective: "memory" }, RUNS),
    await timed(layered, { solver: "graph-mincut", budget: "50%" }, 3),
    await timed(layered, { solver: "graph-mincut", objective: "memory" }, 3),
  ];
  const qualityRows = [];
  for (const zoo of ZOO) qualityRows.push(await quality(zoo));
  const zoo = await zooExactness();
  const small = await searchVersusExact();
  const long = longInputs();
  return {
    date: new Date().toISOString(),
    load: { start: loadAtStart, end: loadavg()[0] as number },
    node: process.version,
    machine: `${cpus()[0]?.model ?? "unknown cpu"} x${cpus().length}, ${platform()} ${release()}`,
    commit: execSync("git rev-parse --short HEAD").toString().trim(),
    speed,
    quality: qualityRows,
    zoo,
    small,
    long,
  };
}

function writeAtomically(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

/** A number to 2 decimals, or "-" when there is none (NaN comes back from JSON as null). */
function fixed(x: number | null, digits = 2): string {
  return x === null || !Number.isFinite(x) ? "-" : x.toFixed(digits);
}

/** The long-input table (markdown lines). */
function longTable(rows: readonly LongRow[]): string[] {
  const worst = (pick: (r: LongRow) => number | null) =>
    rows.reduce((most, r) => {
      const x = pick(r);
      return x !== null && Number.isFinite(x) ? Math.max(most, x) : most;
    }, 0);
  return [
    "| instance | nodes | objective | limit | status | schedule | stopped during | wall s | overrun s | solver s | peak RSS MB |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| ${r.family} | ${r.nodes} | ${r.objective} | ${r.limitSec} s | ${r.status}${r.error === null ? "" : ` (${r.error})`} | ${r.scheduled ? "yes" : "no"} | ${r.phase ?? "-"} | ${fixed(r.wallSec)} | ${fixed(r.overrunSec)} | ${fixed(r.solverSec)} | ${fixed(r.peakRssMb, 0)} |`,
    ),
    "",
    `Worst overrun of solve(): ${worst((r) => r.overrunSec).toFixed(2)} s (its wall time minus the limit: solve() builds the graph and evaluates the store-all schedule before the solver's clock starts, and re-evaluates the answer after it stops); of the solver itself: ${worst((r) => (r.solverSec === null ? null : r.solverSec - r.limitSec)).toFixed(2)} s.`,
  ];
}

async function main(): Promise<void> {
  const childAt = process.argv.indexOf("--long-child");
  if (childAt >= 0) return longChild(JSON.parse(process.argv[childAt + 1] as string) as LongCase);
  if (process.argv.includes("--long")) {
    console.log(`load average ${loadavg()[0]?.toFixed(2)} at start\n`);
    console.log(longTable(longInputs()).join("\n"));
    return;
  }
  const report = await collect();
  mkdirSync("bench/results", { recursive: true });
  writeAtomically("bench/results/graph-mincut.json", `${JSON.stringify(report, null, 2)}\n`);
  writeAtomically("bench/results/graph-mincut.md", markdown(report));
  console.log(markdown(report));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
