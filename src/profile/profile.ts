/**
 * The profiler: measures each op of a zoo network on this machine, on real TensorFlow.js kernels (the
 * simulator's own), and writes an op-level instance with exact bytes, the measured times and the model
 * block, so that profile -> solve -> simulate closes here. Per op: the median over repeated runs of the
 * whole store-all step (after warm-up runs) of its forward (an input: making its tensor from host data)
 * and of its backward. The host link is measured too: `O` (copy to a host buffer) and `P`
 * (a device tensor from it) of a small and a large tensor give latency and bandwidth.
 */

import { parseInstance } from "../instance/parse.js";
import type { Instance } from "../instance/types.js";
import { runSchedule } from "../simulate/interpreter.js";
import { median } from "../simulate/median.js";
import { buildNetwork, disposeNetwork, type Network } from "../simulate/network.js";
import { plainSchedule } from "../simulate/plain-schedule.js";
import { type Backend, loadTf, type Tf } from "../simulate/tf.js";
import { formatDocument, type InstanceDocument } from "../zoo/document.js";
import { zooModel } from "../zoo/registry.js";
import { toOpDocument } from "../zoo/to-instance.js";
import type { ZooGraph } from "../zoo/types.js";
import { machineDescription } from "./machine.js";
import { medianMs, type TimingOptions } from "./timing.js";

export interface ProfileOptions {
  /** Configuration keys of the zoo network (batch, inputSize, ...); the rest take the zoo's defaults. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Default `wasm`, the fast backend. */
  readonly backend?: Backend;
  /** Warm-up runs of the whole step (default 5). */
  readonly warmup?: number;
  /** Timed runs of the whole step, of which each op's median is kept (default 7). */
  readonly repeats?: number;
  /** Seed of parameters and data (default 1). */
  readonly seed?: number;
  /** The instance name (default `{zoo}-profiled`). */
  readonly name?: string;
  /** The command line that asked, for `source`. */
  readonly command?: string;
}

/** An op's measured forward and backward times, ms. */
interface OpTimes {
  fwd: number;
  bwd: number;
}

/** Warm-up runs let V8 and the kernels settle (fewer than 5 left small-op models 20-40% off on this machine). */
const DEFAULTS = { backend: "wasm", warmup: 5, repeats: 7, seed: 1 } as const;
/** Sizes of the two transfers that fix the host link's latency (small) and bandwidth (large), floats. */
const SMALL_TRANSFER = 16;
const LARGE_TRANSFER = 1 << 20;
/** Measured times are rounded to 0.1 microsecond. */
const TIME_DIGITS = 4;

/**
 * Profiles the zoo network `zoo` and returns its op-level instance document with measured times.
 * @throws InputError from the zoo for an unknown network or a bad config
 */
export async function profileModel(zoo: string, options: ProfileOptions = {}): Promise<InstanceDocument> {
  const graph = zooModel(zoo).build(options.config ?? {});
  const backend = options.backend ?? DEFAULTS.backend;
  const timing = { warmup: options.warmup ?? DEFAULTS.warmup, repeats: options.repeats ?? DEFAULTS.repeats };
  const base = toOpDocument(graph, {
    name: options.name ?? `${graph.zoo}-profiled`,
    ...(options.command === undefined ? {} : { command: options.command }),
  });
  const tf = await loadTf(backend, "profileModel");
  const network = buildNetwork(tf, graph, options.seed ?? DEFAULTS.seed);
  let times: ReadonlyMap<string, OpTimes>;
  let link: { bandwidth: number; latency: number };
  try {
    times = measureOps(tf, network, parseInstance(base), timing);
    link = measureLink(tf, timing);
  } finally {
    disposeNetwork(network);
  }
  const round = (ms: number) => Number(ms.toFixed(TIME_DIGITS));
  return {
    ...base,
    source: provenance(graph, backend, timing, options.command, machineDescription()),
    hardware: { bandwidth: Math.round(link.bandwidth), latency: round(link.latency) },
    model: { zoo: graph.zoo, config: structuredClone(graph.config) as Record<string, unknown>, backend },
    nodes: base.nodes.map((node) => {
      const measured = times.get(node.id) ?? { fwd: 0, bwd: 0 };
      return { ...node, fwd: round(measured.fwd), bwd: round(measured.bwd) };
    }),
  };
}

/** The profiled instance as file text (one node per line). */
export function profileText(document: InstanceDocument): string {
  return formatDocument(document);
}

/**
 * Median forward and backward time of every op, ms: the store-all schedule (each op's forward once, then
 * each backward once) run `warmup` times, then `repeats` timed times, by the simulator's interpreter, so
 * that ops are timed in the context and with the bookkeeping (gradient accumulation) in which the
 * simulator later runs them.
 */
function measureOps(
  tf: Tf,
  network: Network,
  instance: Instance,
  timing: TimingOptions,
): ReadonlyMap<string, OpTimes> {
  const plain = plainSchedule(instance);
  for (let i = 0; i < timing.warmup; i++) runSchedule(tf, network, instance, plain);
  const samples = plain.map(() => [] as number[]);
  for (let i = 0; i < timing.repeats; i++) {
    runSchedule(tf, network, instance, plain).steps.forEach((step, index) => {
      samples[index]?.push(step.ms);
    });
  }
  const times = new Map<string, OpTimes>(instance.nodes.map((node) => [node.id, { fwd: 0, bwd: 0 }]));
  plain.forEach((instruction, index) => {
    if (instruction.op !== "F" && instruction.op !== "B") return;
    const entry = times.get(instruction.node);
    if (entry === undefined) return;
    if (instruction.op === "F") entry.fwd = median(samples[index] ?? []);
    else entry.bwd = median(samples[index] ?? []);
  });
  return times;
}

/** Latency (ms) and bandwidth (bytes/ms) of an offload plus prefetch, each half of the round trip. */
function measureLink(tf: Tf, timing: TimingOptions): { bandwidth: number; latency: number } {
  const roundTrip = (floats: number) => {
    const device = tf.ones([floats]);
    const ms = medianMs(() => tf.tensor(Float32Array.from(device.dataSync())).dispose(), timing);
    device.dispose();
    return ms / 2;
  };
  const small = roundTrip(SMALL_TRANSFER);
  const large = roundTrip(LARGE_TRANSFER);
  const bytes = (LARGE_TRANSFER - SMALL_TRANSFER) * 4;
  return { latency: small, bandwidth: bytes / Math.max(large - small, Number.EPSILON) };
}

function provenance(
  graph: ZooGraph,
  backend: Backend,
  timing: TimingOptions,
  command: string | undefined,
  machine: string,
): string {
  return [
    command ?? "made by remat's profiler (src/profile)",
    `${graph.zoo}, config ${JSON.stringify(graph.config)}.`,
    "Op level: one node per op of the zoo graph; needs and temporaries per op type (src/zoo/ops/backward.ts).",
    "Bytes exact from the shapes (4 bytes per element, float32, NHWC).",
    `Times measured on ${machine}, TensorFlow.js ${backend} backend, with the simulator's kernels:` +
      ` per op the median over ${timing.repeats} runs of the store-all step after ${timing.warmup} warm-up runs, forward and backward, on ${new Date().toISOString()}.`,
    "fixedBytes: parameters x 4 bytes x (weights + gradients; sgd, no optimizer state).",
    "Hardware: the host link measured as a copy of a tensor's data to a host buffer and back (latency and bandwidth each way; this runtime does not overlap it with compute).",
  ].join(" ");
}
