/**
 * The setting of bench/sohoni.ts: WRN-28-2 on 32x32 inputs (CIFAR-10) at batch 128 with SGD + momentum,
 * as Sohoni et al. ("Low-Memory Neural Network Training: A Technical Report", 2019) train it, and the
 * zoo's instances of it at any batch with stored forms offered: measured densities (at initialisation,
 * on the simulator's random data, at a small batch: a density is a fraction, the same at every batch
 * up to the data) and conversion times from a roofline of the zoo's V100 bandwidth (`C` reads the
 * activation and writes the stored form, `X` the reverse), as bench/storage-zoo.ts prices them.
 */
import { storedBytes } from "../src/evaluate/storage.js";
import { parseInstance } from "../src/instance/parse.js";
import type { Instance, InstanceNode, StorageMode } from "../src/instance/types.js";
import { measureDensities } from "../src/simulate/densities.js";
import { generateInstance } from "../src/zoo/generate.js";
import { V100 } from "../src/zoo/roofline.js";

export const NETWORK = "wide-resnet";
export const BATCH = 128;
export const OPTIMIZER = "momentum" as const;
/** The batch the densities are measured at (CPU kernels; a fraction per activation). */
export const DENSITY_BATCH = 8;
/** The modes offered: bitmap (lossless) and fp16 (lossy; bf16 has the same size). */
export const MODES: readonly StorageMode[] = ["bitmap", "fp16"];

/** The zoo instance of WRN-28-2 at `batch` and `level`, with the optimizer's state in fixedBytes. */
export function plainAt(batch: number, level: "op" | "block"): Instance {
  const made = generateInstance({ zoo: NETWORK, config: { batch }, level, optimizer: OPTIMIZER });
  return parseInstance(made.document);
}

/** Measured density of every activation of the op-level network, by node id. */
export async function measuredDensities(): Promise<ReadonlyMap<string, number>> {
  const small = plainAt(DENSITY_BATCH, "op");
  const densities = await measureDensities(small);
  return new Map(densities.map((entry) => [entry.node, entry.density]));
}

function roofline(node: InstanceNode, mode: StorageMode): { convertMs: number; expandMs: number } {
  const ms = (node.bytes + storedBytes(node, mode)) / V100.bytesPerMs;
  return { convertMs: ms, expandMs: ms };
}

/** The op-level instance at `batch` with the densities and every mode of MODES offered on every node. */
export function withStorageAt(batch: number, densities: ReadonlyMap<string, number>): Instance {
  const plain = plainAt(batch, "op");
  return parseInstance({
    ...plain,
    name: `${plain.name}-stored`,
    nodes: plain.nodes.map((node) => {
      const density = densities.get(node.id) ?? 1;
      const withDensity = { ...node, density };
      return {
        ...withDensity,
        storage: Object.fromEntries(MODES.map((mode) => [mode, roofline(withDensity, mode)])),
      };
    }),
  });
}

/** Per node: the smallest stored form among `modes` that is smaller than the activation. */
export function smallestForms(instance: Instance, modes: readonly StorageMode[]): Map<string, StorageMode> {
  const forms = new Map<string, StorageMode>();
  for (const node of instance.nodes) {
    let best: StorageMode | undefined;
    for (const mode of modes)
      if (
        node.storage[mode] !== undefined &&
        storedBytes(node, mode) < (best === undefined ? node.bytes : storedBytes(node, best))
      )
        best = mode;
    if (best !== undefined) forms.set(node.id, best);
  }
  return forms;
}
