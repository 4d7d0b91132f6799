/**
 * The profiler: measures each op of a zoo network on this machine, on real TensorFlow.js kernels (the
 * simulator's own), and writes an op-level instance with exact bytes, the measured times and the model
 * block (with the backend measured on, `model.backend`), so that profile -> solve -> simulate closes
 * here. Per op: over repeated runs of the whole store-all step (after warm-up runs), the fastest (or
 * the median: src/simulate/estimator.ts) of its forward (an input: making its tensor from host data)
 * plus the free of its activation, and of its backward, each instruction timed whole, kernel and
 * overhead (src/profile/step-times.ts says why and what each includes). The overhead beyond the kernels, per instruction kind, is written to `source`.
 * The host link is measured too: `O` (copy to a host buffer) and `P` (a device tensor from it) of a
 * small and a large tensor give latency and bandwidth.
 */

import { parseInstance } from "../instance/parse.js";
import { DEFAULT_ESTIMATOR, type Estimator } from "../simulate/estimator.js";
import { buildNetwork, disposeNetwork } from "../simulate/network.js";
import { type Backend, loadTf, type Tf } from "../simulate/tf.js";
import { formatDocument, type InstanceDocument } from "../zoo/document.js";
import { zooModel } from "../zoo/registry.js";
import { toOpDocument } from "../zoo/to-instance.js";
import type { ZooGraph } from "../zoo/types.js";
import { machineDescription } from "./machine.js";
import {
  type InstructionOverhead,
  type KindOverhead,
  measureStep,
  type StepKind,
  type StepTimes,
} from "./step-times.js";
import { measureStoredForms, type NodeStorageFields, storedFormsProvenance } from "./stored-times.js";
import { type TimingOptions, timedMs } from "./timing.js";

export interface ProfileOptions {
  /** Configuration keys of the zoo network (batch, inputSize, ...); the rest take the zoo's defaults. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Default `wasm`, the fast backend. */
  readonly backend?: Backend;
  /** Warm-up runs of the whole step (default 5). */
  readonly warmup?: number;
  /** Timed runs of the whole step, from which each op's time is estimated (default 7). */
  readonly repeats?: number;
  /** Seed of parameters and data (default 1). */
  readonly seed?: number;
  /** How each instruction's time is taken from the timed runs (default `min`, src/simulate/estimator.ts). */
  readonly estimator?: Estimator;
  /** The instance name (default `{zoo}-profiled`). */
  readonly name?: string;
  /** The command line that asked, for `source`. */
  readonly command?: string;
  /**
   * Also measure each activation's density and every storage mode's conversion times
   * (src/profile/stored-times.ts) and write them to the nodes (default false).
   */
  readonly storedForms?: boolean;
}

/** Warm-up runs let V8 and the kernels settle (fewer than 5 left small-op models 20-40% off on this machine). */
const DEFAULTS = { backend: "wasm", warmup: 5, repeats: 7, seed: 1 } as const;
/** Sizes of the two transfers that fix the host link's latency (small) and bandwidth (large), floats. */
const SMALL_TRANSFER = 16;
const LARGE_TRANSFER = 1 << 20;
/** Measured times are rounded to 0.1 microsecond. */
const TIME_DIGITS = 4;

/** A profile: the instance document, and what the instructions of its step cost beyond their kernels. */
export interface ProfileReport {
  readonly document: InstanceDocument;
  readonly overhead: InstructionOverhead;
  /** The store-all step as the simulator measures it (every instruction's estimated wall time, summed), ms. */
  readonly stepMs: number;
}

/**
 * Profiles the zoo network `zoo` and returns its op-level instance document with measured times.
 * @throws InputError from the zoo for an unknown network or a bad config; InputError code `required`
 *   when TensorFlow.js is not installed (src/simulate/tf.ts)
 */
export async function profileModel(zoo: string, options: ProfileOptions = {}): Promise<InstanceDocument> {
  return (await profileModelReport(zoo, options)).document;
}

/**
 * {@link profileModel}, with the per-instruction overhead it measured.
 * @throws as {@link profileModel}
 */
export async function profileModelReport(zoo: string, options: ProfileOptions = {}): Promise<ProfileReport> {
  const graph = zooModel(zoo).build(options.config ?? {});
  const backend = options.backend ?? DEFAULTS.backend;
  const timing = { warmup: options.warmup ?? DEFAULTS.warmup, repeats: options.repeats ?? DEFAULTS.repeats };
  const estimator = options.estimator ?? DEFAULT_ESTIMATOR;
  const base = toOpDocument(graph, {
    name: options.name ?? `${graph.zoo}-profiled`,
    ...(options.command === undefined ? {} : { command: options.command }),
  });
  const tf = await loadTf(backend, "profileModel");
  const network = buildNetwork(tf, graph, options.seed ?? DEFAULTS.seed);
  let step: StepTimes;
  let link: { bandwidth: number; latency: number };
  let stored: Map<string, NodeStorageFields> | undefined;
  try {
    step = measureStep(tf, network, parseInstance(base), timing, estimator);
    link = measureLink(tf, timing, estimator);
    if (options.storedForms === true)
      stored = measureStoredForms(tf, network, parseInstance(base), integerOps(graph), { timing, estimator });
  } finally {
    disposeNetwork(network);
  }
  const round = (ms: number) => Number(ms.toFixed(TIME_DIGITS));
  const source = provenance(
    graph,
    backend,
    timing,
    estimator,
    step.overhead,
    options.command,
    machineDescription(),
  );
  const document: InstanceDocument = {
    ...base,
    source:
      stored === undefined
        ? source
        : `${source} ${storedFormsProvenance(options.seed ?? DEFAULTS.seed, timing, estimator)}`,
    hardware: { bandwidth: Math.round(link.bandwidth), latency: round(link.latency) },
    model: { zoo: graph.zoo, config: structuredClone(graph.config) as Record<string, unknown>, backend },
    nodes: base.nodes.map((node) => {
      const measured = step.ops.get(node.id) ?? { fwd: 0, bwd: 0 };
      return { ...node, fwd: round(measured.fwd), bwd: round(measured.bwd), ...stored?.get(node.id) };
    }),
  };
  return { document, overhead: step.overhead, stepMs: step.stepMs };
}

/** The ops of `graph` whose activations are int32 (label inputs). */
function integerOps(graph: ZooGraph): ReadonlySet<string> {
  return new Set(graph.ops.filter((op) => op.attrs.dtype === "int32").map((op) => op.id));
}

/** The profiled instance as file text (one node per line). */
export function profileText(document: InstanceDocument): string {
  return formatDocument(document);
}

/** Latency (ms) and bandwidth (bytes/ms) of an offload plus prefetch, each half of the round trip. */
function measureLink(
  tf: Tf,
  timing: TimingOptions,
  estimator: Estimator,
): { bandwidth: number; latency: number } {
  const roundTrip = (floats: number) => {
    const device = tf.ones([floats]);
    const ms = timedMs(() => tf.tensor(Float32Array.from(device.dataSync())).dispose(), timing, estimator);
    device.dispose();
    return ms / 2;
  };
  const small = roundTrip(SMALL_TRANSFER);
  const large = roundTrip(LARGE_TRANSFER);
  const bytes = (LARGE_TRANSFER - SMALL_TRANSFER) * 4;
  return { latency: small, bandwidth: bytes / Math.max(large - small, Number.EPSILON) };
}

/** One kind's overhead as text, `F 0.0123 ms (median of 71)`. */
function overheadText(kind: StepKind, { count, medianMs }: KindOverhead): string {
  return `${kind} ${medianMs.toFixed(TIME_DIGITS)} ms (median of ${count})`;
}

function provenance(
  graph: ZooGraph,
  backend: Backend,
  timing: TimingOptions,
  estimator: Estimator,
  overhead: InstructionOverhead,
  command: string | undefined,
  machine: string,
): string {
  const kinds = (["F", "B", "D"] as const).map((kind) => overheadText(kind, overhead[kind])).join(", ");
  return [
    command ?? "made by remat's profiler (src/profile)",
    `${graph.zoo}, config ${JSON.stringify(graph.config)}.`,
    "Op level: one node per op of the zoo graph; needs and temporaries per op type (src/zoo/ops/backward.ts).",
    "Bytes exact from the shapes (4 bytes per element, float32, NHWC).",
    `Times measured on ${machine}, TensorFlow.js ${backend} backend, with the simulator's kernels:` +
      ` per op the ${estimator === "min" ? "fastest" : "median"} of ${timing.repeats} runs of the store-all step after ${timing.warmup} warm-up runs, forward and backward, on ${new Date().toISOString()}.` +
      " Each time is a whole instruction's wall time, its kernel and the overhead around it, as the simulator measures a step;" +
      " fwd also includes the free (D) of the node's activation, since the evaluator charges D 0 ms (src/profile/step-times.ts)." +
      ` Overhead beyond the kernel per instruction: ${kinds}.`,
    "fixedBytes: parameters x 4 bytes x (weights + gradients; sgd, no optimizer state).",
    "Hardware: the host link measured as a copy of a tensor's data to a host buffer and back (latency and bandwidth each way; this runtime does not overlap it with compute).",
  ].join(" ");
}
