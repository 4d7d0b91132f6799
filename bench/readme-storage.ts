/**
 * The README's storage block (bench/readme-blocks.ts lists it), rendered from bench/results/storage.json
 * (bench/storage.ts): per ReLU network, the measured density, what holding every activation as a bitmap
 * would save, chain-dp's least budget at equal overhead and least peak, and graph-mincut's overhead at
 * equal budget, with and without each mode; then the comparison with BitTrain's -34%.
 */
import { readFileSync } from "node:fs";

// biome-ignore lint/suspicious/noExplicitAny: results files are read as loose JSON, field by field below
type Loose = any;

const pct = (value: number | null | undefined) =>
  value === null || value === undefined ? "-" : `${(100 * value).toFixed(1)}%`;

/** The results of bench/storage.ts. */
export function storageResults(): Loose {
  return JSON.parse(readFileSync(new URL("./results/storage.json", import.meta.url), "utf8"));
}

/** `a / b / c` over the settings of `part` of one quantity, as fractions of store-all's peak. */
function perSetting(
  settings: readonly string[],
  value: (setting: string) => number | null | undefined,
): string {
  return settings.map((s) => pct(value(s))).join(" / ");
}

function row(n: Loose, cap: number, budget: number): string {
  const chain = n.chainDp;
  const graph = n.graphMincut;
  const chainSettings = ["none", "bitmap", "bitmap,fp16"];
  const share = (part: Loose) => (bytes: number | null | undefined) =>
    bytes === null || bytes === undefined ? null : bytes / part.storeAllPeakBytes;
  const chainBudget = perSetting(chainSettings, (s) =>
    share(chain)(chain.equalOverhead.find((e: Loose) => e.setting === s && e.cap === cap)?.budgetBytes),
  );
  const chainPeak = perSetting(chainSettings, (s) =>
    share(chain)(chain.leastPeak.find((l: Loose) => l.setting === s)?.peakBytes),
  );
  const graphOverhead = perSetting(
    chainSettings,
    (s) => graph.cells.find((c: Loose) => c.setting === s && c.budgetPercent === budget)?.overhead,
  );
  const ideal = n.bitmapIdeal.savedBytes / n.bitmapIdeal.activationBytes;
  return `| ${n.zoo} | ${n.meanReluDensity.toFixed(2)} | -${pct(ideal)} | ${chainBudget} | ${chainPeak} | ${graphOverhead} |`;
}

/** The storage block, given the measured-on line's renderer of bench/readme-blocks.ts. */
export function renderStorage(
  data: Loose,
  measuredOn: (environment: Loose, loadEnd?: number) => string,
): string {
  const cap = data.setup.caps[0] as number;
  const budget = 60;
  return [
    `Measured on ${measuredOn(data.environment, data.load.end)} (\`bench/storage.ts\`; every cell, each mode alone, and graph-mincut's least peaks in \`bench/results/storage.md\`).`,
    `Densities measured by the simulator at initialisation on random data at ${JSON.stringify(data.setup.measureConfig)}, carried to the default configs; C/X a roofline at 900 GB/s.`,
    `Each triple: \`--storage none\` / \`bitmap\` / \`bitmap,fp16\`, as fractions of store-all's peak (weights and gradients included) or as makespan overheads:`,
    "",
    `| network | mean ReLU density | every activation as a bitmap saves (of activation bytes) | chain-dp (block chain): least budget at <= ${pct(cap)} overhead | chain-dp: least peak | graph-mincut (op graph): overhead at ${budget}% |`,
    "| --- | ---: | ---: | --- | --- | --- |",
    ...data.networks.map((n: Loose) => row(n, cap, budget)),
    "",
    bitTrainLine(data, cap),
  ].join("\n");
}

/** `lo to hi` of fractions, as percentages. */
function range(values: readonly number[]): string {
  return values.length === 0 ? "-" : `${pct(Math.min(...values))} to ${pct(Math.max(...values))}`;
}

/** The mean ReLU densities' range, `0.50 to 0.57`. */
function densities(networks: readonly Loose[]): string {
  const values = networks.map((n) => n.meanReluDensity as number);
  return `${Math.min(...values).toFixed(2)} to ${Math.max(...values).toFixed(2)}`;
}

/** BitTrain's reported saving against the bitmap's ideal here and what chain-dp and graph-mincut find. */
function bitTrainLine(data: Loose, cap: number): string {
  const { bitTrain } = data.setup;
  const networks = data.networks as Loose[];
  const ideal = networks.map((n) => n.bitmapIdeal.savedBytes / n.bitmapIdeal.activationBytes);
  const budgetAt = (part: Loose, setting: string) =>
    part.equalOverhead.find((e: Loose) => e.setting === setting && e.cap === cap)?.budgetBytes;
  const chain = networks.flatMap((n) => {
    const none = budgetAt(n.chainDp, "none");
    const bitmap = budgetAt(n.chainDp, "bitmap");
    return none === null || none === undefined || bitmap === null || bitmap === undefined
      ? []
      : [(none - bitmap) / none];
  });
  const graph = networks.map((n) => {
    const peak = (s: string) =>
      n.graphMincut.leastPeak.find((l: Loose) => l.setting === s)?.peakBytes as number;
    return (peak("none") - peak("bitmap")) / peak("none");
  });
  return [
    `${bitTrain.reference} reports -${pct(bitTrain.reduction)} of training memory at ${pct(bitTrain.sparsity)} sparsity.`,
    `Here, at mean ReLU densities of ${densities(networks)}, every activation held as a bitmap would save ${range(ideal)} of the activation bytes;`,
    `\`--storage bitmap\` lowers chain-dp's least budget at <= ${pct(cap)} overhead by ${range(chain)} of the peak and graph-mincut's least peak by ${range(graph)}.`,
  ].join(" ");
}
