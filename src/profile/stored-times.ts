/**
 * What the storage modes need, measured (issue 14 item 3; DESIGN.md, "Storage modes"): each
 * activation's density on the data the profiler runs (the non-zero elements the bitmap form counts,
 * src/simulate/stored-forms.ts, over the store-all forwards at initialisation) and, per mode, the time
 * of `C v MODE` and `X v` as the simulator runs them on that activation: the store-all step with, right
 * after each `F v`, `C v MODE`, `D a:v`, `X v`, `D s:v` for every mode, each instruction's whole wall
 * time (`C` reads the tensor's data to the host and builds the typed arrays; `X` rebuilds them and makes
 * a tensor), the fastest or median over the timed runs. A lossy expansion feeds rounded values to the
 * later forwards of the timing runs only; the densities come from a plain run. Integer activations
 * (int32 labels) get `bitmap` only: a 16-bit float form of them is not offered. O(runs * step).
 */
import { densityFor } from "../evaluate/storage.js";
import { type Instance, STORAGE_MODES, type StorageCosts, type StorageMode } from "../instance/types.js";
import { storeAllSchedule } from "../schedule/builders.js";
import { type Instruction, ops, type Schedule } from "../schedule/types.js";
import { type Estimator, estimate } from "../simulate/estimator.js";
import { runSchedule } from "../simulate/interpreter.js";
import type { Network } from "../simulate/network.js";
import type { Tf } from "../simulate/tf.js";
import type { TimingOptions } from "./timing.js";

/** Measured times are rounded to 0.1 microsecond, as the profiler's others. */
const TIME_DIGITS = 4;

/** One node's measured storage fields, as the instance writes them. */
export interface NodeStorageFields {
  /** float32 and int32 activations: 4 bytes an element. */
  readonly elementBytes: number;
  readonly density: number;
  readonly storage: Readonly<Partial<Record<StorageMode, StorageCosts>>>;
}

/** The modes measured and offered for a node: every mode, `bitmap` only for integer activations. */
export function modesFor(node: string, integerNodes: ReadonlySet<string>): readonly StorageMode[] {
  return integerNodes.has(node) ? ["bitmap"] : STORAGE_MODES;
}

/**
 * The store-all step with every mode's conversion and expansion right after each forward.
 * @param integerNodes the nodes whose activations are int32 (bitmap only)
 */
export function conversionSchedule(instance: Instance, integerNodes: ReadonlySet<string>): Schedule {
  const out: Instruction[] = [];
  for (const instruction of storeAllSchedule(instance)) {
    out.push(instruction);
    if (instruction.op !== "F") continue;
    for (const mode of modesFor(instruction.node, integerNodes))
      out.push(
        ops.convert(instruction.node, mode),
        ops.freeActivation(instruction.node),
        ops.expand(instruction.node),
        ops.freeStored(instruction.node),
      );
  }
  return out;
}

/**
 * The density and every mode's conversion times of each node of `instance` (an op-level instance of
 * `network`), measured on `network`'s parameters and data.
 * @param integerNodes the nodes whose activations are int32 (bitmap only)
 */
export function measureStoredForms(
  tf: Tf,
  network: Network,
  instance: Instance,
  integerNodes: ReadonlySet<string>,
  measuring: { readonly timing: TimingOptions; readonly estimator: Estimator },
): Map<string, NodeStorageFields> {
  const { timing, estimator } = measuring;
  const plain = runSchedule(tf, network, instance, storeAllSchedule(instance), {
    gradients: false,
    countNonzeros: true,
  });
  const schedule = conversionSchedule(instance, integerNodes);
  for (let i = 0; i < timing.warmup; i++) runSchedule(tf, network, instance, schedule, { gradients: false });
  const wall = schedule.map(() => [] as number[]);
  for (let i = 0; i < timing.repeats; i++)
    runSchedule(tf, network, instance, schedule, { gradients: false }).steps.forEach((step, index) => {
      wall[index]?.push(step.ms);
    });
  const round = (ms: number) => Number(ms.toFixed(TIME_DIGITS));
  const costs = new Map<string, Partial<Record<StorageMode, { convertMs: number; expandMs: number }>>>();
  let mode: StorageMode = "bitmap";
  schedule.forEach((instruction, index) => {
    if (instruction.op !== "C" && instruction.op !== "X") return;
    if (instruction.op === "C") mode = instruction.mode;
    const ms = round(estimate(wall[index] ?? [], estimator));
    const entry = costs.get(instruction.node) ?? {};
    const previous = entry[mode] ?? { convertMs: 0, expandMs: 0 };
    entry[mode] = instruction.op === "C" ? { ...previous, convertMs: ms } : { ...previous, expandMs: ms };
    costs.set(instruction.node, entry);
  });
  const out = new Map<string, NodeStorageFields>();
  for (const node of instance.nodes) {
    const elements = Math.ceil(node.bytes / node.elementBytes);
    const nonzeros = plain.nonzeros.get(node.id) ?? elements;
    out.set(node.id, {
      elementBytes: node.elementBytes,
      density: densityFor(nonzeros, elements),
      storage: costs.get(node.id) ?? {},
    });
  }
  return out;
}

/** The sentence the instance's source gets: where the densities and conversion times come from. */
export function storedFormsProvenance(seed: number, timing: TimingOptions, estimator: Estimator): string {
  return [
    `Storage fields measured (src/profile/stored-times.ts): density = the fraction of non-zero elements of each activation in one store-all step at initialisation (seed ${seed}: random parameters, random input data) at this config;`,
    "trained networks are typically sparser after ReLU, so a bitmap's measured saving here is a floor for them.",
    `convertMs/expandMs per mode (bitmap, fp16, bf16): the whole wall time of C and X as the simulator runs them on those activations (C includes reading the tensor's data to the host), the ${estimator === "min" ? "fastest" : "median"} of ${timing.repeats} runs after ${timing.warmup} warm-up runs.`,
  ].join(" ");
}
