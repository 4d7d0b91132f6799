/**
 * Benchmark of stored forms planned by graph-mincut (issue 14 items 4 and 6; solvers/storage/pass.ts)
 * on the ReLU networks of the zoo (op level: ResNet-18, VGG-16, U-Net, MobileNetV2 with ReLU6). The zoo
 * does not state densities yet (issue 14 item 3), so this bench ASSUMES one: every ReLU/ReLU6 output has
 * density DENSITY (0.5, BitTrain's comparison point of 50% sparsity), every other node density 1; the
 * conversion times are a roofline at the zoo's V100 bandwidth (900 GB/s: `C` reads the activation and
 * writes the stored form, `X` the reverse). Per network and budget (a fraction of the store-all peak):
 * the makespan overhead with `--storage none`, `bitmap` and `bitmap,fp16`, each re-evaluated from its
 * text schedule. Writes bench/results/storage-zoo.md with the load average at start and end.
 *
 * Run: npx tsx bench/storage-zoo.ts
 */
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { solve } from "../solvers/index.js";
import { evaluate } from "../src/evaluate/evaluate.js";
import { storedBytes } from "../src/evaluate/storage.js";
import { parseInstance } from "../src/instance/parse.js";
import type { Instance, InstanceNode, StorageMode } from "../src/instance/types.js";
import { parseSchedule } from "../src/schedule/text.js";
import { generateInstance } from "../src/zoo/generate.js";
import { benchEnvironment } from "./environment.js";

/** The assumed density of a ReLU output (not measured: see the file comment). */
const DENSITY = 0.5;
/** The zoo's roofline bandwidth, bytes per ms (V100, 900 GB/s). */
const BYTES_PER_MS = 9e8;
const ZOO = ["resnet-18", "vgg-16", "unet", "mobilenet-v2"];
const BUDGETS = [50, 60, 70, 80, 90];
const SETTINGS = ["none", "bitmap", "bitmap,fp16"];

function roofline(node: InstanceNode, mode: StorageMode): { convertMs: number; expandMs: number } {
  const ms = (node.bytes + storedBytes(node, mode)) / BYTES_PER_MS;
  return { convertMs: ms, expandMs: ms };
}

/** The zoo network with DENSITY on its ReLU outputs and every mode offered at roofline times. */
function sparseZoo(zoo: string): Instance {
  const plain = parseInstance(JSON.parse(generateInstance({ zoo, config: {}, level: "op" }).text));
  return parseInstance({
    ...plain,
    nodes: plain.nodes.map((node) => {
      const op = (node.meta as { op?: string } | undefined)?.op ?? "";
      const density = op === "relu" || op === "relu6" ? DENSITY : 1;
      const withDensity = { ...node, density };
      return {
        ...withDensity,
        storage: {
          bitmap: roofline(withDensity, "bitmap"),
          fp16: roofline(withDensity, "fp16"),
          bf16: roofline(withDensity, "bf16"),
        },
      };
    }),
  });
}

/** One cell: the time objective at `percent`% with `storage`, re-evaluated from its text schedule. */
async function budgetCell(
  zoo: string,
  instance: Instance,
  percent: number,
  storage: string,
): Promise<string> {
  const started = performance.now();
  const result = await solve(instance, { solver: "graph-mincut", budget: `${percent}%`, storage });
  const wallS = (performance.now() - started) / 1000;
  if (result.makespanMs !== null) {
    const check = evaluate(instance, parseSchedule(result.schedule));
    if (!check.valid || check.makespanMs !== result.makespanMs || check.peakBytes !== result.peakBytes)
      throw new Error(`${zoo} ${percent}% ${storage}: the result differs from the evaluator`);
  }
  const overhead = result.overhead === null ? "-" : `${(result.overhead * 100).toFixed(1)}%`;
  const modes = (result.storedModes ?? []).join("+") || "-";
  const conversions = result.schedule.filter((line) => line.startsWith("C ")).length;
  return `${result.status} ${overhead} (${modes}, ${conversions} C, ${wallS.toFixed(1)} s)`;
}

/** The least peak of each setting (memory objective, no budget), as a fraction of the store-all peak. */
async function leastPeakRow(zoo: string, instance: Instance): Promise<string> {
  const storeAllPeak = (await solve(instance, { solver: "store-all" })).peakBytes as number;
  const cells: string[] = [];
  for (const storage of SETTINGS) {
    const result = await solve(instance, { solver: "graph-mincut", objective: "memory", storage });
    const peak = `${(((result.peakBytes as number) / storeAllPeak) * 100).toFixed(1)}% of store-all`;
    const overhead = `${((result.overhead as number) * 100).toFixed(1)}%`;
    cells.push(`peak ${peak}, overhead ${overhead} (${(result.storedModes ?? []).join("+") || "-"})`);
  }
  return `| ${zoo} | least peak | ${cells.join(" | ")} |`;
}

async function main(): Promise<void> {
  const environment = benchEnvironment();
  const rows: string[] = [];
  for (const zoo of ZOO) {
    const instance = sparseZoo(zoo);
    for (const percent of BUDGETS) {
      const cells: string[] = [];
      for (const storage of SETTINGS) cells.push(await budgetCell(zoo, instance, percent, storage));
      rows.push(`| ${zoo} | ${percent}% | ${cells.join(" | ")} |`);
      console.log(rows.at(-1));
    }
    rows.push(await leastPeakRow(zoo, instance));
    console.log(rows.at(-1));
  }
  const text = [
    "# Stored forms planned by graph-mincut on the zoo's ReLU networks",
    "",
    `Generated by \`npx tsx bench/storage-zoo.ts\` (commit ${environment.commit}${environment.dirty ? ", dirty" : ""}, ${environment.date}).`,
    `Load average at start ${environment.loadAverage.toFixed(2)}, at end ${(loadavg()[0] as number).toFixed(2)} (a shared 2-core machine: wall times are indicative only).`,
    "",
    `ASSUMED, not measured: density ${DENSITY} on every ReLU/ReLU6 output (BitTrain's 50%-sparsity point), 1 elsewhere;`,
    "conversion and expansion times a roofline at 900 GB/s of the bytes read and written. Op-level zoo instances at",
    "their default configs; budget a fraction of the store-all peak. Each cell: status, makespan overhead over",
    "store-all, stored-form modes used, number of `C` instructions, solve wall time. The `least peak` row: the",
    "memory objective without a budget (peak as a fraction of store-all's, with its overhead).",
    "",
    `| network | budget | ${SETTINGS.map((s) => `--storage ${s}`).join(" | ")} |`,
    `| --- | --- | ${SETTINGS.map(() => "---").join(" | ")} |`,
    ...rows,
    "",
  ].join("\n");
  writeFileSync(new URL("./results/storage-zoo.md", import.meta.url), text);
}

await main();
