/**
 * Build + evaluate time and memory of the checkpoint builder's schedules: store-all and Chen's greedy
 * kept set on a 20,000-node chain and a 1,000-layer DAG, and recompute-all (quadratic in the length) on
 * chains up to about RECOMPUTE_ALL_MAX_INSTRUCTIONS, which this benchmark is the measurement behind.
 * Each case runs in its own child process (so its peak resident set size is its own): one warm-up,
 * then timed runs of `checkpointSchedule` and of `evaluate`, each answer checked valid; the last case
 * times how long recompute-all of a 20,000-node chain takes to be refused at the cap.
 * Run: npx tsx bench/schedule-build.ts   (or npm run build && node dist/bench/schedule-build.js)
 */
import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { chenGreedyCheckpoints } from "../solvers/baselines/chen.js";
import { evaluate } from "../src/evaluate/evaluate.js";
import { randomChain, randomLayeredDag } from "../src/generate/families.js";
import { graphOf } from "../src/instance/graph.js";
import type { Instance } from "../src/instance/types.js";
import {
  type CheckpointScheduleOptions,
  checkpointSchedule,
  RECOMPUTE_ALL_MAX_INSTRUCTIONS,
  ScheduleTooLarge,
} from "../src/schedule/checkpoint-schedule.js";
import { benchEnvironment, median, writeBenchResults } from "./environment.js";

interface Case {
  readonly name: string;
  readonly instance: () => Instance;
  readonly keep: (instance: Instance) => number[];
  readonly options: CheckpointScheduleOptions;
  readonly runs: number;
  /** The build must stop with ScheduleTooLarge: time the refusal instead of build + evaluate. */
  readonly refused?: true;
}

const STORE_ALL: CheckpointScheduleOptions = { policy: "segments", tapeKept: true, forwardPhase: true };
const KEPT_SET: CheckpointScheduleOptions = { policy: "segments", tapeKept: false, forwardPhase: true };
const RECOMPUTE_ALL: CheckpointScheduleOptions = {
  policy: "per-backward",
  tapeKept: false,
  forwardPhase: false,
};

const everyNode = (instance: Instance) => instance.nodes.map((_, v) => v);
/** Chen's greedy kept set at the segment budget total / sqrt(n): about sqrt(n) segments (one point of chen-greedy's sweep). */
const chenKept = (instance: Instance) => {
  const bytes = graphOf(instance).bytes.reduce((sum, b) => sum + b, 0);
  return chenGreedyCheckpoints(instance, bytes / Math.sqrt(instance.nodes.length));
};
/** The chain length whose recompute-all schedule is about RECOMPUTE_ALL_MAX_INSTRUCTIONS long (about L * L). */
const CAP_LENGTH = Math.floor(Math.sqrt(RECOMPUTE_ALL_MAX_INSTRUCTIONS));

const CASES: readonly Case[] = [
  {
    name: "store-all, chain",
    instance: () => randomChain(1, 20_000),
    keep: everyNode,
    options: STORE_ALL,
    runs: 5,
  },
  {
    name: "chen-greedy kept set, chain",
    instance: () => randomChain(1, 20_000),
    keep: chenKept,
    options: KEPT_SET,
    runs: 5,
  },
  {
    name: "store-all, layered DAG",
    instance: () => randomLayeredDag(1, 1000, 5),
    keep: everyNode,
    options: STORE_ALL,
    runs: 5,
  },
  {
    name: "chen-greedy kept set, layered DAG",
    instance: () => randomLayeredDag(1, 1000, 5),
    keep: chenKept,
    options: KEPT_SET,
    runs: 5,
  },
  ...[1000, 2000, CAP_LENGTH].map(
    (length): Case => ({
      name: `recompute-all, chain of ${length}`,
      instance: () => randomChain(5, length),
      keep: () => [],
      options: RECOMPUTE_ALL,
      runs: 3,
    }),
  ),
  {
    name: "recompute-all refused at the cap, chain of 20000",
    instance: () => randomChain(5, 20_000),
    keep: () => [],
    options: { ...RECOMPUTE_ALL, maxInstructions: RECOMPUTE_ALL_MAX_INSTRUCTIONS },
    runs: 3,
    refused: true,
  },
];

interface Row {
  readonly case: string;
  readonly nodes: number;
  readonly instructions: number;
  readonly buildMedianMs: number;
  readonly evaluateMedianMs: number;
  /** Median of build + evaluate, and the smallest and largest run. */
  readonly totalMedianMs: number;
  readonly totalMinMs: number;
  readonly totalMaxMs: number;
  readonly nsPerInstruction: number;
  /** Heap retained by the schedule (after a full GC), per instruction. */
  readonly scheduleBytesPerInstruction: number;
  /** Peak resident set size of the child process (warm-up and runs), MiB. */
  readonly maxRssMiB: number;
  readonly runs: number;
}

/** Times a build that must stop with ScheduleTooLarge (evaluate and schedule bytes are 0: no schedule). */
function measureRefusal(benchCase: Case): Row {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("schedule-build: run the child with --expose-gc");
  const instance = benchCase.instance();
  const times: number[] = [];
  let instructions = 0;
  for (let run = 0; run <= benchCase.runs; run++) {
    gc();
    const t0 = performance.now();
    try {
      checkpointSchedule(instance, benchCase.keep(instance), benchCase.options);
      throw new Error(`${benchCase.name}: built a schedule past the limit`);
    } catch (error) {
      if (!(error instanceof ScheduleTooLarge)) throw error;
      instructions = error.instructions;
    }
    if (run > 0) times.push(performance.now() - t0);
  }
  return {
    case: benchCase.name,
    nodes: instance.nodes.length,
    instructions,
    buildMedianMs: median(times),
    evaluateMedianMs: 0,
    totalMedianMs: median(times),
    totalMinMs: Math.min(...times),
    totalMaxMs: Math.max(...times),
    nsPerInstruction: (median(times) * 1e6) / instructions,
    scheduleBytesPerInstruction: 0,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    runs: benchCase.runs,
  };
}

/** Runs one case in this process (the child's job) and returns its row. */
function measure(benchCase: Case): Row {
  if (benchCase.refused) return measureRefusal(benchCase);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("schedule-build: run the child with --expose-gc");
  const instance = benchCase.instance();
  const keep = benchCase.keep(instance);
  const build: number[] = [];
  const check: number[] = [];
  let instructions = 0;
  for (let run = 0; run <= benchCase.runs; run++) {
    gc();
    const t0 = performance.now();
    const schedule = checkpointSchedule(instance, keep, benchCase.options);
    const t1 = performance.now();
    const evaluation = evaluate(instance, schedule);
    const t2 = performance.now();
    if (!evaluation.valid)
      throw new Error(`${benchCase.name}: invalid schedule (${evaluation.error.reason})`);
    instructions = schedule.length;
    if (run === 0) continue; // warm-up
    build.push(t1 - t0);
    check.push(t2 - t1);
  }
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = checkpointSchedule(instance, keep, benchCase.options);
  gc();
  const retained = process.memoryUsage().heapUsed - before;
  const totals = build.map((b, i) => b + (check[i] as number));
  return {
    case: benchCase.name,
    nodes: instance.nodes.length,
    instructions: kept.length,
    buildMedianMs: median(build),
    evaluateMedianMs: median(check),
    totalMedianMs: median(totals),
    totalMinMs: Math.min(...totals),
    totalMaxMs: Math.max(...totals),
    nsPerInstruction: (median(totals) * 1e6) / instructions,
    scheduleBytesPerInstruction: retained / kept.length,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    runs: benchCase.runs,
  };
}

function main(): void {
  const child = process.argv[2];
  if (child !== undefined) {
    const benchCase = CASES.find((c) => c.name === child);
    if (benchCase === undefined) throw new Error(`schedule-build: no case "${child}"`);
    process.stdout.write(`${JSON.stringify(measure(benchCase))}\n`);
    return;
  }
  const script = fileURLToPath(import.meta.url);
  const rows = CASES.map((benchCase): Row => {
    const output = execFileSync(
      process.execPath,
      [...process.execArgv, "--expose-gc", script, benchCase.name],
      {
        encoding: "utf8",
        maxBuffer: 1 << 20,
      },
    );
    return JSON.parse(output.trim().split("\n").pop() as string) as Row;
  });
  const environment = benchEnvironment();
  const load = loadavg()
    .map((x) => x.toFixed(2))
    .join(" "); // other jobs share the machine: say how busy it was
  const table = [
    "| schedule | nodes | instructions | build ms | evaluate ms | build + evaluate ms (min-max) | ns / instruction | schedule bytes / instruction | peak RSS MiB |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map(
      (r) =>
        `| ${r.case} | ${r.nodes} | ${r.instructions} | ${r.buildMedianMs.toFixed(1)} | ${r.evaluateMedianMs.toFixed(1)} | ${r.totalMedianMs.toFixed(1)} (${r.totalMinMs.toFixed(1)}-${r.totalMaxMs.toFixed(1)}) | ${r.nsPerInstruction.toFixed(0)} | ${r.scheduleBytesPerInstruction.toFixed(1)} | ${r.maxRssMiB.toFixed(0)} |`,
    ),
  ].join("\n");
  const markdown =
    `Checkpoint builder + evaluator (medians of ${rows.map((r) => r.runs).join("/")} runs after one warm-up, each case in its own process; ` +
    `Node ${environment.node}, ${environment.cpu}, ${environment.cores} cores, commit ${environment.commit}, ${environment.date}; ` +
    `load average at the end ${load})\n\n${table}\n`;
  writeBenchResults("schedule-build", { environment, loadAverage: load, rows }, markdown);
  process.stdout.write(markdown);
}

main();
