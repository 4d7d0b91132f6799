/**
 * Per-(stage, micro-batch) recomputation in pipelines (issue 18; elf, Aguila--Multner et al. 2025):
 * GPT-2 small and ResNet-50 block chains (instances/zoo/ settings as bench/pipeline.ts) on 2 and 4
 * devices, 1F1B and GPipe, 8 micro-batches, at memories 25%, 50% and 75% of the way from the least at
 * which pipeline-dp with per-stage checkpointing fits ("floor") to the least at which pipeline-dp
 * without checkpointing fits ("store-all"), both bisected to 1%. Per cell: the step time of
 * pipeline-dp, pipeline-ilp with one option per stage, and pipeline-ilp --recompute-per microbatch,
 * the model's lower bound, each solve's wall time (the per-micro-batch MILPs' own too: phase 2 on the
 * per-stage optimum's partition, phase 3 the joint model of every stage count) and status, within
 * TIME_LIMIT_SEC per pipeline-ilp solve.
 * State bytes per block are the zoo's exact parameter bytes; V100 roofline times; link 25 GB/s, 5 us.
 * Stage menus are cached per instance and memory, so the per-micro-batch solve (run after the
 * per-stage one) reuses the menus and its wall time is mostly its own MILPs. Every answer is re-checked
 * by solvePipeline / solvePipelineAsync. Writes bench/results/pipeline-elf.json and .md.
 * Run: npx tsx bench/pipeline-elf.ts
 */
import { solvePipeline, solvePipelineAsync } from "../solvers/pipeline/solve.js";
import type { Instance } from "../src/instance/types.js";
import type { PipelineResult, PipelineScheduleKind } from "../src/pipeline/types.js";
import type { ZooConfig } from "../src/zoo/config.js";
import { benchEnvironment, loadAverageNow, writeBenchResults } from "./environment.js";
import { type Base, leastMemory, zooChain } from "./pipeline-setup.js";
import { renderElf } from "./readme-elf.js";

const NETWORKS: readonly { readonly name: string; readonly zoo: string; readonly config: ZooConfig }[] = [
  { name: "gpt2-small", zoo: "gpt2-small", config: { batch: 8, seq: 1024 } },
  { name: "resnet-50", zoo: "resnet-50", config: { batch: 32, inputSize: 224 } },
];
const DEVICES = [2, 4] as const;
const KINDS: readonly PipelineScheduleKind[] = ["1f1b", "gpipe"];
const MICROBATCHES = [8] as const;
const SHARES = [0.25, 0.5, 0.75] as const;
const LINK = { bandwidth: "25GB/s", latency: "5us" };
/** Seconds per pipeline-ilp solve. */
const TIME_LIMIT_SEC = 15;

/** What the results file keeps of one solve. */
function row(result: PipelineResult, label: string) {
  const e = result.evaluation;
  return {
    solver: label,
    status: result.status,
    stepMs: e?.stepMs ?? null,
    boundMs: result.lowerBound.valueMs,
    classBoundMs: result.stats.classBoundMs ?? null,
    stages: result.plan?.stages.map((s) => [s.first, s.last]) ?? null,
    /** Per stage, which distinct schedule each micro-batch ran (indices into that device's profiles, comma-separated). */
    profileOf: e?.devices.map((d) => d.profileOf.join(",")) ?? null,
    /** Per stage, the recomputations of each distinct schedule it ran (comma-separated). */
    recomputations: e?.devices.map((d) => d.profiles.map((p) => p.recomputations).join(",")) ?? null,
    wallMs: result.stats.wallMs as number,
    milpMs: result.stats.microbatchMilpMs ?? null,
    binaries: result.stats.microbatchBinaries ?? null,
    proven: result.stats.microbatchProven ?? null,
    jointMs: result.stats.jointMilpMs ?? null,
    jointBinaries: result.stats.jointBinaries ?? null,
    jointProven: result.stats.jointProven ?? null,
  };
}

async function cell(instance: Instance, base: Base, memory: number) {
  const dp = row(solvePipeline(instance, { ...base, memory, solver: "pipeline-dp" }), "pipeline-dp");
  const ilp = (recomputePer: string) =>
    solvePipelineAsync(instance, {
      ...base,
      memory,
      solver: "pipeline-ilp",
      timeLimitSec: TIME_LIMIT_SEC,
      extra: { recomputePer },
    });
  const stage = row(await ilp("stage"), "pipeline-ilp");
  const microbatch = row(await ilp("microbatch"), "pipeline-ilp --recompute-per microbatch");
  return { memory, load: loadAverageNow(), rows: [dp, stage, microbatch] };
}

async function networkCells(network: (typeof NETWORKS)[number]) {
  const { instance, state } = zooChain(network.zoo, network.config);
  const cells = [];
  for (const devices of DEVICES)
    for (const schedule of KINDS)
      for (const microbatches of MICROBATCHES)
        cells.push(...(await settingCells(instance, state, network.name, devices, schedule, microbatches)));
  return cells;
}

/** The cells of one (network, devices, schedule kind, micro-batch count): one per memory share. */
async function settingCells(
  instance: Instance,
  state: Record<string, number>,
  network: string,
  devices: number,
  schedule: PipelineScheduleKind,
  microbatches: number,
) {
  const cells = [];
  const started = performance.now();
  const base: Base = { devices, microbatches, schedule, link: LINK, stateBytes: state };
  const storeAllMemory = leastMemory(instance, base, false);
  const floorMemory = leastMemory(instance, base, true);
  for (const share of SHARES) {
    const memory = Math.floor(floorMemory + share * (storeAllMemory - floorMemory));
    cells.push({
      network,
      instance: instance.name,
      nodes: instance.nodes.length,
      devices,
      schedule,
      microbatches,
      floorMemory,
      storeAllMemory,
      share,
      ...(await cell(instance, base, memory)),
    });
  }
  process.stdout.write(
    `${network} P=${devices} ${schedule} m=${microbatches}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return cells;
}

async function main(): Promise<void> {
  const environment = benchEnvironment();
  const started = performance.now();
  const cells = [];
  for (const network of NETWORKS) cells.push(...(await networkCells(network)));
  const data = {
    environment,
    loadAtEnd: loadAverageNow(),
    totalMs: performance.now() - started,
    settings: { microbatches: MICROBATCHES, shares: SHARES, link: LINK, timeLimitSec: TIME_LIMIT_SEC },
    cells,
  };
  writeBenchResults("pipeline-elf", data, markdown(data));
}

/** bench/results/pipeline-elf.md: the README block, then every cell's rows. */
function markdown(data: Parameters<typeof renderElf>[0]): string {
  const e = data.environment;
  const on = () =>
    `${e.cpu} (${e.cores} cores), Node ${e.node}, commit ${e.commit}${e.dirty ? " (uncommitted changes)" : ""}, ${e.date}, load average ${e.loadAverage} to ${data.loadAtEnd}`;
  const lines = [
    "# Per-(stage, micro-batch) recomputation in pipelines (bench/pipeline-elf.ts)",
    "",
    renderElf(data, on),
    "",
  ];
  for (const c of data.cells) {
    lines.push(
      `## ${c.network}, ${c.devices} devices, ${c.schedule}, m = ${c.microbatches}, ${(c.memory / 1e9).toFixed(3)} GB (${100 * c.share}% of floor..store-all), load ${c.load}`,
      "",
      "| solver | status | step ms | bound ms | class bound ms | stages | schedule per micro-batch, per stage | solve ms | phase 2 MILP ms | joint MILPs ms (proven stage counts) |",
      "| --- | --- | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: |",
    );
    for (const r of c.rows)
      lines.push(
        `| ${r.solver} | ${r.status} | ${r.stepMs?.toFixed(2) ?? "-"} | ${r.boundMs.toFixed(2)} | ${r.classBoundMs?.toFixed(2) ?? "-"} | ${r.stages?.map((x: number[]) => x.join("..")).join(", ") ?? "-"} | ${r.profileOf?.join(" / ") ?? "-"} | ${r.wallMs.toFixed(0)} | ${r.milpMs?.toFixed(0) ?? "-"} | ${r.jointMs === null ? "-" : `${r.jointMs.toFixed(0)} (${r.jointProven} of ${c.devices})`} |`,
      );
    lines.push("");
  }
  return `${lines.join("\n")}\n`;
}

await main();
