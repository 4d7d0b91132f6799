/**
 * Writes src/zoo/densities-data.ts, the zoo's measured density table (src/zoo/densities.ts): for each
 * ReLU network, `measureDensities` (the simulator's own count of non-zero elements, wasm backend) runs
 * the network at initialisation (seed 1: random parameters and input data) at a small config (a full
 * 224x224 batch of 32 takes minutes on these CPU kernels), and each op's non-zero fraction below 1 is
 * recorded with the config, seed, backend, date and commit. Run: `nice -n 10 npx tsx bench/zoo-densities.ts`.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { parseInstance } from "../src/instance/parse.js";
import { measureDensities } from "../src/simulate/densities.js";
import { generateInstance } from "../src/zoo/generate.js";

/** The networks and the config each is measured at (WRN-28-2 is for 32x32 inputs). */
const NETWORKS: readonly [string, Record<string, number>][] = [
  ["resnet-18", { batch: 2, inputSize: 64 }],
  ["resnet-50", { batch: 2, inputSize: 64 }],
  ["vgg-16", { batch: 2, inputSize: 64 }],
  ["mobilenet-v2", { batch: 2, inputSize: 64 }],
  ["densenet-121", { batch: 2, inputSize: 64 }],
  ["unet", { batch: 2, inputSize: 64 }],
  ["wide-resnet", { batch: 2, inputSize: 32 }],
];
const SEED = 1;
const BACKEND = "wasm";
const OUT = new URL("../src/zoo/densities-data.ts", import.meta.url);

async function measure(zoo: string, config: Record<string, number>, commit: string): Promise<unknown> {
  const instance = parseInstance(JSON.parse(generateInstance({ zoo, config, level: "op" }).text));
  const measured = await measureDensities(instance, { backend: BACKEND, seed: SEED });
  const ops = new Map(
    instance.nodes.map((node) => [node.id, (node.meta as { op?: string } | undefined)?.op]),
  );
  const relu = measured.filter((d) => /^relu6?$/.test(ops.get(d.node) ?? ""));
  const fraction = (d: { nonzeros: number; elements: number }) => d.nonzeros / d.elements;
  return {
    provenance: {
      config,
      seed: SEED,
      backend: BACKEND,
      date: new Date().toISOString().slice(0, 10),
      commit,
      how: "measureDensities (src/simulate/densities.ts) on the op-level instance at initialisation: random parameters and input data; trained networks are typically sparser after ReLU",
    },
    meanReluDensity: relu.reduce((sum, d) => sum + fraction(d), 0) / Math.max(1, relu.length),
    reluCount: relu.length,
    fractions: Object.fromEntries(
      measured.filter((d) => d.nonzeros < d.elements).map((d) => [d.node, fraction(d)]),
    ),
  };
}

async function main(): Promise<void> {
  const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  const table: Record<string, unknown> = {};
  for (const [zoo, config] of NETWORKS) {
    const started = performance.now();
    table[zoo] = await measure(zoo, config, commit);
    console.log(`${zoo}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  writeFileSync(
    OUT,
    `/** The zoo's measured density table: written by bench/zoo-densities.ts (do not edit; see src/zoo/densities.ts). */\nexport const ZOO_DENSITY_TABLE = ${JSON.stringify(table, null, 2)};\n`,
  );
}

await main();
