/**
 * Pipelines under per-device memory (issue 18 item 6): GPT-2 small and ResNet-50 block chains
 * (instances/zoo/) and a deeper GPT-2 stack (24 layers, generated here), on 2, 4 and 8 devices, with
 * 1F1B and GPipe, at memories where no plan without checkpointing fits. Per setting: the least memory
 * at which some plan without checkpointing fits and the least at which pipeline-dp with it does (both
 * bisected to 1%), then, half way between, every pipeline solver's step time against the lower bound; for GPipe the largest
 * micro-batch count that fits at that memory with and without per-stage checkpointing; and the
 * deepest GPT-2 stack whose 1F1B plan (balance-time's cut) fits 16 GB with and without it. State bytes
 * per block are the zoo's exact parameter bytes (weights + gradients, SGD). Times are the zoo's V100
 * roofline; the link is NVLink-like, 25 GB/s and 5 us. Every answer is re-checked by solvePipeline.
 * Writes bench/results/pipeline.json and .md. Run: npx tsx bench/pipeline.ts
 */

import { pipelineSolvers } from "../solvers/pipeline/registry.js";
import { solvePipeline, solvePipelineAsync } from "../solvers/pipeline/solve.js";
import type { Instance } from "../src/instance/types.js";
import type { PipelineResult, PipelineScheduleKind } from "../src/pipeline/types.js";
import { pipelineUnits } from "../src/pipeline/units.js";
import type { ZooConfig } from "../src/zoo/config.js";
import { benchEnvironment, loadAverageNow, writeBenchResults } from "./environment.js";
import { type Base, leastMemory, zooChain } from "./pipeline-setup.js";
import { renderPipeline } from "./readme-pipeline.js";

interface Network {
  readonly name: string;
  readonly zoo: string;
  readonly config: ZooConfig;
  /** `block`: the block chain; `op`: the op graph, cut only at its cut points. */
  readonly level: "block" | "op";
}

const NETWORKS: readonly Network[] = [
  { name: "gpt2-small", zoo: "gpt2-small", config: { batch: 8, seq: 1024 }, level: "block" },
  { name: "resnet-50", zoo: "resnet-50", config: { batch: 32, inputSize: 224 }, level: "block" },
  { name: "gpt2-24-layers", zoo: "gpt2-small", config: { batch: 8, seq: 1024, layers: 24 }, level: "block" },
  { name: "gpt2-small-op", zoo: "gpt2-small", config: { batch: 8, seq: 1024 }, level: "op" },
  { name: "resnet-50-op", zoo: "resnet-50", config: { batch: 32, inputSize: 224 }, level: "op" },
];
/** pipeline-ilp's time limit per cell, seconds (it answers timeout with pipeline-dp's plan or better). */
const ILP_TIME_LIMIT_SEC = 20;
const DEVICES = [2, 4, 8] as const;
const KINDS: readonly PipelineScheduleKind[] = ["1f1b", "gpipe"];
const MICROBATCHES = 16;
/** The memory of a setting: this share of the way from the least memory with checkpointing to the least without. */
const MEMORY_SHARE = 0.5;
const LINK = { bandwidth: "25GB/s", latency: "5us" };
const DEPTH_MEMORY = 16e9;
const DEPTHS = [12, 24, 36, 48, 72, 96] as const;
const MAX_MICROBATCHES = 256;

/** The largest micro-batch count (<= MAX_MICROBATCHES) whose GPipe plan fits, by doubling then bisection. */
function largestMicrobatches(instance: Instance, base: Base, memory: number, checkpointing: boolean): number {
  const fits = (m: number) =>
    solvePipeline(instance, { ...base, microbatches: m, memory, solver: "pipeline-dp", checkpointing })
      .evaluation !== null;
  if (!fits(1)) return 0;
  let lo = 1;
  while (lo * 2 <= MAX_MICROBATCHES && fits(lo * 2)) lo *= 2;
  let hi = Math.min(lo * 2, MAX_MICROBATCHES + 1);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

function row(result: PipelineResult, checkpointing: boolean) {
  const e = result.evaluation;
  return {
    solver: result.solver,
    checkpointing,
    status: result.status,
    stepMs: e?.stepMs ?? null,
    boundMs: result.lowerBound.valueMs,
    gap: result.gap,
    idealMs: e?.idealStepMs ?? null,
    stages: result.plan?.stages.map((s) => [s.first, s.last]) ?? null,
    peaks: e?.devices.map((d) => d.peakBytes) ?? null,
    recomputations: e?.devices.map((d) => d.profile.recomputations) ?? null,
    wallMs: result.stats.wallMs,
  };
}

/** Every solver's row at `memory` (pipeline-ilp within its time limit). */
async function solverRows(instance: Instance, base: Base, memory: number) {
  const rows = [];
  for (const solver of pipelineSolvers) {
    const limit = solver.asynchronous === true ? { timeLimitSec: ILP_TIME_LIMIT_SEC } : {};
    rows.push(
      row(await solvePipelineAsync(instance, { ...base, memory, solver: solver.name, ...limit }), true),
    );
  }
  return rows;
}

/** One cell: the memories, every solver's row, the store-all plan, GPipe's largest m, the block chain's plan. */
async function cellOf(network: Network, devices: number, schedule: PipelineScheduleKind) {
  const { instance, state } = zooChain(network.zoo, network.config, network.level);
  const base: Base = { devices, microbatches: MICROBATCHES, schedule, link: LINK, stateBytes: state };
  const storeAllMemory = leastMemory(instance, base, false);
  const floorMemory = leastMemory(instance, base, true);
  const memory = Math.floor(floorMemory + MEMORY_SHARE * (storeAllMemory - floorMemory));
  const atStoreAll = row(
    solvePipeline(instance, { ...base, memory: storeAllMemory, solver: "pipeline-dp", checkpointing: false }),
    false,
  );
  const block = network.level === "op" ? zooChain(network.zoo, network.config, "block") : undefined;
  const blockAtSameMemory =
    block === undefined
      ? null
      : row(
          solvePipeline(block.instance, { ...base, stateBytes: block.state, memory, solver: "pipeline-dp" }),
          true,
        );
  return {
    network: network.name,
    level: network.level,
    instance: instance.name,
    nodes: instance.nodes.length,
    units: pipelineUnits(instance).count,
    devices,
    schedule,
    microbatches: MICROBATCHES,
    storeAllMemory,
    floorMemory,
    memory,
    atStoreAll,
    rows: await solverRows(instance, base, memory),
    blockAtSameMemory,
    largestMicrobatches:
      schedule === "gpipe"
        ? {
            checkpointing: largestMicrobatches(instance, base, memory, true),
            none: largestMicrobatches(instance, base, memory, false),
          }
        : null,
  };
}

async function settingCells(network: Network) {
  const cells = [];
  for (const devices of DEVICES)
    for (const schedule of KINDS) {
      const started = performance.now();
      const cell = await cellOf(network, devices, schedule);
      cells.push({ ...cell, wallMs: performance.now() - started });
      process.stdout.write(
        `${network.name} P=${devices} ${schedule}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
      );
    }
  return cells;
}

/** The deepest GPT-2 stack (of DEPTHS) whose 1F1B plan by balance-time fits DEPTH_MEMORY. */
function depthCells() {
  const cells = [];
  for (const devices of [4, 8] as const)
    for (const checkpointing of [false, true]) {
      let deepest = 0;
      for (const layers of DEPTHS) {
        const { instance, state } = zooChain("gpt2-small", { batch: 8, seq: 1024, layers });
        const result = solvePipeline(instance, {
          devices,
          microbatches: MICROBATCHES,
          schedule: "1f1b",
          link: LINK,
          stateBytes: state,
          memory: DEPTH_MEMORY,
          solver: "balance-time",
          checkpointing,
        });
        if (result.evaluation === null) break;
        deepest = layers;
      }
      cells.push({ devices, checkpointing, deepest });
      process.stdout.write(`depth P=${devices} checkpointing ${checkpointing}: ${deepest}\n`);
    }
  return cells;
}

async function main(): Promise<void> {
  const environment = benchEnvironment();
  const started = performance.now();
  const cells = [];
  for (const network of NETWORKS) cells.push(...(await settingCells(network)));
  const depth = depthCells();
  const totalMs = performance.now() - started;
  const data = {
    environment,
    loadAtEnd: loadAverageNow(),
    totalMs,
    settings: {
      microbatches: MICROBATCHES,
      memoryShare: MEMORY_SHARE,
      link: LINK,
      depthMemoryBytes: DEPTH_MEMORY,
      depths: DEPTHS,
      maxMicrobatches: MAX_MICROBATCHES,
      ilpTimeLimitSec: ILP_TIME_LIMIT_SEC,
    },
    cells,
    depth,
  };
  writeBenchResults("pipeline", data, markdown(data));
}

/** bench/results/pipeline.md: the README block, then every cell's partition, peaks and solve times. */
function markdown(data: Parameters<typeof renderPipeline>[0]): string {
  const e = data.environment;
  const on = () =>
    `${e.cpu} (${e.cores} cores), Node ${e.node}, commit ${e.commit}${e.dirty ? " (uncommitted changes)" : ""}, ${e.date}, load average ${e.loadAverage} to ${data.loadAtEnd}`;
  const lines = ["# Pipelines under per-device memory (bench/pipeline.ts)", "", renderPipeline(data, on), ""];
  for (const c of data.cells) {
    lines.push(
      `## ${c.network} (${c.nodes} nodes, ${c.units} units), ${c.devices} devices, ${c.schedule}, ${(c.memory / 1e9).toFixed(2)} GB`,
      "",
    );
    lines.push(
      "| solver | status | step ms | bound ms | stages (first..last) | peaks GB | recomputations | solve ms |",
      "| --- | --- | ---: | ---: | --- | --- | --- | ---: |",
    );
    const named = [
      ...[c.atStoreAll, ...c.rows].map((r) => ({
        r,
        name: `${r.solver}${r.checkpointing ? "" : " (no checkpointing, store-all memory)"}`,
      })),
      ...(c.blockAtSameMemory === null
        ? []
        : [{ r: c.blockAtSameMemory, name: "pipeline-dp on the block chain (same memory)" }]),
    ];
    for (const { r, name } of named)
      lines.push(
        `| ${name} | ${r.status} | ${r.stepMs?.toFixed(1) ?? "-"} | ${r.boundMs.toFixed(1)} | ${r.stages?.map((x: number[]) => x.join("..")).join(", ") ?? "-"} | ${r.peaks?.map((b: number) => (b / 1e9).toFixed(2)).join(", ") ?? "-"} | ${r.recomputations?.join(", ") ?? "-"} | ${r.wallMs.toFixed(0)} |`,
      );
    lines.push("", `Whole cell ${(c.wallMs / 1000).toFixed(1)} s.`, "");
  }
  return `${lines.join("\n")}\n`;
}

await main();
