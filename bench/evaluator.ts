/**
 * Speed of the evaluator (the one cost model) on schedules of about 10,000 and 100,000 instructions:
 * store-all schedules of random chains and random layered DAGs, and a recompute-all schedule.
 * Targets: under 10 ms and under 100 ms. Uses benchmark.js for the statistics.
 * Run: npm run build && node dist/bench/evaluator.js   (or npx tsx bench/evaluator.ts)
 */
import Benchmark from "benchmark";
import { evaluate } from "../src/evaluate/evaluate.js";
import { randomChain, randomLayeredDag } from "../src/generate/families.js";
import type { Instance } from "../src/instance/types.js";
import { storeAllSchedule } from "../src/schedule/builders.js";
import { checkpointSchedule } from "../src/schedule/checkpoint-schedule.js";
import type { Schedule } from "../src/schedule/types.js";
import { benchEnvironment, writeBenchResults } from "./environment.js";

interface Case {
  readonly name: string;
  readonly instance: Instance;
  readonly schedule: Schedule;
  readonly targetMs: number;
}

function cases(): Case[] {
  const chain10k = randomChain(1, 3_333);
  const chain100k = randomChain(2, 33_333);
  const dag10k = randomLayeredDag(3, 1_340, 4);
  const dag100k = randomLayeredDag(4, 13_400, 4);
  const recompute = randomChain(5, 100);
  return [
    { name: "store-all, chain", instance: chain10k, schedule: storeAllSchedule(chain10k), targetMs: 10 },
    { name: "store-all, layered DAG", instance: dag10k, schedule: storeAllSchedule(dag10k), targetMs: 10 },
    {
      name: "recompute-all, chain",
      instance: recompute,
      schedule: checkpointSchedule(recompute, [], {
        policy: "per-backward",
        tapeKept: false,
        forwardPhase: false,
      }),
      targetMs: 10,
    },
    { name: "store-all, chain", instance: chain100k, schedule: storeAllSchedule(chain100k), targetMs: 100 },
    { name: "store-all, layered DAG", instance: dag100k, schedule: storeAllSchedule(dag100k), targetMs: 100 },
  ];
}

function main(): void {
  const rows = cases().map((benchCase) => {
    const check = evaluate(benchCase.instance, benchCase.schedule);
    if (!check.valid) throw new Error(`${benchCase.name}: invalid schedule (${check.error.reason})`);
    const bench = new Benchmark(benchCase.name, () => evaluate(benchCase.instance, benchCase.schedule), {
      minSamples: 20,
      maxTime: 3,
    });
    bench.run();
    const meanMs = bench.stats.mean * 1000;
    return {
      case: benchCase.name,
      nodes: benchCase.instance.nodes.length,
      instructions: benchCase.schedule.length,
      meanMs,
      rmePercent: bench.stats.rme,
      samples: bench.stats.sample.length,
      targetMs: benchCase.targetMs,
      meetsTarget: meanMs < benchCase.targetMs,
    };
  });
  const environment = benchEnvironment();
  const table = [
    "| schedule | nodes | instructions | mean ms (± rme) | samples | target |",
    "| --- | ---: | ---: | ---: | ---: | --- |",
    ...rows.map(
      (r) =>
        `| ${r.case} | ${r.nodes} | ${r.instructions} | ${r.meanMs.toFixed(2)} (± ${r.rmePercent.toFixed(1)}%) | ${r.samples} | < ${r.targetMs} ms: ${r.meetsTarget ? "met" : "MISSED"} |`,
    ),
  ].join("\n");
  const markdown = `Evaluator speed (benchmark.js; Node ${environment.node}, ${environment.cpu}, ${environment.cores} cores, commit ${environment.commit}, ${environment.date})\n\n${table}\n`;
  writeBenchResults("evaluator", { environment, rows }, markdown);
  process.stdout.write(markdown);
}

main();
