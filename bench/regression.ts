/**
 * Memory and time regression against the batch size (issue 15 item 2; Naveen & Kumar, IEEE HPCC 2019,
 * fit each layer's memory linearly in the batch). Two parts, side by side in one run:
 * - real kernels: each network profiled at batches 1, 2, 4 and 8 (`profileBatches`, TensorFlow.js wasm),
 *   its batch model predicting batches 16 and 32, each compared with a fresh profile there;
 * - the zoo's roofline (deterministic): fitted at 1, 2, 4, 8 and at 8, 16, 32, predicting 2x and 4x the
 *   largest batch fitted, compared with the zoo's own instance there.
 * Per case: how many nodes' sizes (bytes, gradient, tape, workspaces) and fixedBytes are predicted
 * exactly, the error of the step's total time (sum of fwd + bwd) and the median and largest per-node
 * time error. Writes bench/results/regression.json and .md. Run: npx tsx bench/regression.ts
 */

import { fitBatchModel } from "../src/batch-model/fit.js";
import { predictDocument } from "../src/batch-model/predict.js";
import type { InstanceDocument } from "../src/instance/document.js";
import { profileBatches } from "../src/profile/batches.js";
import { profileModel } from "../src/profile/profile.js";
import { zooModel } from "../src/zoo/registry.js";
import { toOpDocument } from "../src/zoo/to-instance.js";
import { benchEnvironment, loadAverageNow, median, writeBenchResults } from "./environment.js";

const PROFILED = ["resnet-18", "mobilenet-v2"] as const;
const ROOFLINE = ["resnet-18", "resnet-50", "vgg-16", "mobilenet-v2", "densenet-121", "unet"] as const;
const INPUT_SIZE = 32;
const SIZE_FIELDS = ["bytes", "gradBytes", "tapeBytes", "fwdTemp", "bwdTemp"] as const;

/** One prediction compared with the truth at its batch. */
interface Case {
  readonly network: string;
  readonly source: "profile" | "roofline";
  readonly fitted: readonly number[];
  readonly predicted: number;
  readonly nodes: number;
  readonly sizesExact: number;
  readonly fixedBytesExact: boolean;
  readonly totalTimeError: number;
  readonly totalTimeErrorWithMargin: number;
  readonly medianNodeTimeError: number;
  readonly maxNodeTimeError: number;
}

const stepTime = (doc: InstanceDocument) => doc.nodes.reduce((sum, node) => sum + node.fwd + node.bwd, 0);

function compare(
  network: string,
  source: Case["source"],
  modelled: InstanceDocument,
  truth: InstanceDocument,
  batch: number,
): Case {
  const predicted = predictDocument(modelled, batch);
  const margined = predictDocument(modelled, batch, { margin: true });
  const nodeErrors: number[] = [];
  let sizesExact = 0;
  predicted.nodes.forEach((node, i) => {
    const actual = truth.nodes[i] as InstanceDocument["nodes"][number];
    const size = (doc: typeof node, field: (typeof SIZE_FIELDS)[number]) =>
      field === "gradBytes" ? (doc.gradBytes ?? doc.bytes) : (doc[field] ?? 0);
    if (SIZE_FIELDS.every((field) => size(node, field) === size(actual, field))) sizesExact += 1;
    const measured = actual.fwd + actual.bwd;
    if (measured > 0) nodeErrors.push(Math.abs(node.fwd + node.bwd - measured) / measured);
  });
  return {
    network,
    source,
    fitted: modelled.batchModel?.batches ?? [],
    predicted: batch,
    nodes: predicted.nodes.length,
    sizesExact,
    fixedBytesExact: predicted.fixedBytes === truth.fixedBytes,
    totalTimeError: stepTime(predicted) / stepTime(truth) - 1,
    totalTimeErrorWithMargin: stepTime(margined) / stepTime(truth) - 1,
    medianNodeTimeError: median(nodeErrors),
    maxNodeTimeError: Math.max(...nodeErrors),
  };
}

async function profiledCases(): Promise<Case[]> {
  const cases: Case[] = [];
  for (const network of PROFILED) {
    const config = { inputSize: INPUT_SIZE };
    const { document } = await profileBatches(network, [1, 2, 4, 8], { config });
    for (const batch of [16, 32]) {
      const fresh = await profileModel(network, { config: { ...config, batch } });
      cases.push(compare(network, "profile", document, fresh, batch));
      process.stdout.write(`${network} profiled, batch ${batch}\n`);
    }
  }
  return cases;
}

function rooflineCases(): Case[] {
  const cases: Case[] = [];
  for (const network of ROOFLINE) {
    const at = (batch: number) =>
      toOpDocument(zooModel(network).build({ inputSize: INPUT_SIZE, batch }), { name: network });
    for (const fitted of [
      [1, 2, 4, 8],
      [8, 16, 32],
    ]) {
      const last = fitted[fitted.length - 1] as number;
      const modelled = {
        ...at(last),
        batchModel: fitBatchModel(
          fitted.map((batch) => ({ batch, document: at(batch) })),
          last,
        ),
      };
      for (const batch of [2 * last, 4 * last])
        cases.push(compare(network, "roofline", modelled, at(batch), batch));
    }
  }
  return cases;
}

const pct = (value: number) => `${value >= 0 ? "+" : ""}${(100 * value).toFixed(1)}%`;

function markdown(
  cases: readonly Case[],
  environment: ReturnType<typeof benchEnvironment>,
  totalMs: number,
): string {
  const rows = cases.map(
    (c) =>
      `| ${c.network} | ${c.source} | ${c.fitted.join(",")} | ${c.predicted} | ${c.sizesExact}/${c.nodes} | ${c.fixedBytesExact ? "yes" : "no"} | ${pct(c.totalTimeError)} | ${pct(c.totalTimeErrorWithMargin)} | ${(100 * c.medianNodeTimeError).toFixed(1)}% | ${(100 * c.maxNodeTimeError).toFixed(0)}% |`,
  );
  return [
    "# Regression against the batch size (bench/regression.ts)",
    "",
    `${environment.cpu} (${environment.cores} cores), Node ${environment.node}, commit ${environment.commit}${environment.dirty ? " (uncommitted changes)" : ""}, ${environment.date}, load average ${environment.loadAverage} at the start, ${loadAverageNow()} at the end; whole run ${(totalMs / 1000).toFixed(0)} s.`,
    `Inputs ${INPUT_SIZE}x${INPUT_SIZE}. profile: TensorFlow.js wasm, the profiler's defaults (5 warm-up runs, fastest of 7); the truth is a fresh profile at the predicted batch. roofline: the zoo's V100 times; the truth is the zoo's instance at that batch.`,
    "Sizes exact: nodes whose bytes, gradient, tape and workspace sizes are all predicted to the byte. Time errors: predicted / true - 1 of the step's fwd + bwd total (with margin: every line raised by its largest residual); per node |error| / true.",
    "",
    "| network | times | fitted at | predicted | sizes exact | fixedBytes exact | total time | with margin | median node | worst node |",
    "| --- | --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
  ].join("\n");
}

async function main(): Promise<void> {
  const environment = benchEnvironment();
  const started = performance.now();
  const cases = [...rooflineCases(), ...(await profiledCases())];
  const totalMs = performance.now() - started;
  const data = { environment, loadAtEnd: loadAverageNow(), totalMs, inputSize: INPUT_SIZE, cases };
  writeBenchResults("regression", data, markdown(cases, environment, totalMs));
}

await main();
