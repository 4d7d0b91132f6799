/**
 * The instances of bench/storage.ts (issue 14 item 6): the zoo's ReLU networks at their default configs,
 * op level (for graph-mincut) and block level (for chain-dp), with MEASURED densities and roofline
 * conversion times, each instance's `source` saying both.
 *
 * Densities: `measureDensities` (src/simulate/densities.ts, the simulator's own count of non-zero
 * elements) runs the network at initialisation (seed 1: random parameters, random input data) at a
 * small config, MEASURE_CONFIG (a full 224x224 batch of 32 takes minutes on these CPU kernels); each
 * op's fraction is carried to the same op of the default config (the ops are the same, only their
 * shapes differ). Trained networks are typically sparser after ReLU than at initialisation, so the
 * bitmap's savings here are a floor for them. A block node's density is that of its boundary tensors
 * together (the ops its `meta.outputs` lists), from their non-zero counts at the default config.
 *
 * Conversion times: the zoo's times are a V100 roofline, so `C` and `X` get one too: the bytes read and
 * written at 900 GB/s (a real kernel packs bits, so this is a lower bound on their cost). The 16-bit
 * modes are not offered on int32 activations (labels).
 */
import { storedBytes } from "../src/evaluate/storage.js";
import { parseInstance } from "../src/instance/parse.js";
import type { Instance, InstanceNode, StorageMode } from "../src/instance/types.js";
import { measureDensities } from "../src/simulate/densities.js";
import { generateInstance } from "../src/zoo/generate.js";
import { zooModel } from "../src/zoo/registry.js";

/** The small config the densities are measured at (the seed is the simulator's default, 1). */
export const MEASURE_CONFIG = { batch: 2, inputSize: 64 } as const;
/** The zoo's roofline bandwidth, bytes per ms (V100, 900 GB/s). */
export const BYTES_PER_MS = 9e8;

/** One network's instances at both levels, with the densities measured per op. */
export interface StorageInstances {
  readonly zoo: string;
  readonly op: Instance;
  readonly block: Instance;
  /** Mean density over the ReLU/ReLU6 outputs (op level). */
  readonly meanReluDensity: number;
  readonly reluCount: number;
}

function roofline(node: InstanceNode, mode: StorageMode): { convertMs: number; expandMs: number } {
  const ms = (node.bytes + storedBytes(node, mode)) / BYTES_PER_MS;
  return { convertMs: ms, expandMs: ms };
}

/** `node` with `density` and the modes it may take at roofline times. */
function withStorage(node: InstanceNode, density: number, integer: boolean): InstanceNode {
  const dense = { ...node, density };
  const modes: StorageMode[] = integer ? ["bitmap"] : ["bitmap", "fp16", "bf16"];
  return { ...dense, storage: Object.fromEntries(modes.map((mode) => [mode, roofline(dense, mode)])) };
}

const SOURCE = (zoo: string) =>
  ` Storage fields (bench/storage-inputs.ts): densities MEASURED by the simulator at initialisation (seed 1, random parameters and input data) on ${zoo} at ${JSON.stringify(MEASURE_CONFIG)} and carried op by op to this config (trained networks are typically sparser after ReLU); C/X times a roofline of the bytes read and written at 900 GB/s.`;

function zooInstance(zoo: string, config: Readonly<Record<string, number>>, level: "op" | "block"): Instance {
  return parseInstance(JSON.parse(generateInstance({ zoo, config, level }).text));
}

/** The network's instances with measured densities (see the file comment). */
export async function storageInstances(zoo: string): Promise<StorageInstances> {
  const small = zooInstance(zoo, MEASURE_CONFIG, "op");
  const fractions = new Map(
    (await measureDensities(small, { backend: "wasm" })).map((d) => [d.node, d.nonzeros / d.elements]),
  );
  const integer = new Set(
    zooModel(zoo)
      .build({})
      .ops.filter((op) => op.attrs.dtype === "int32")
      .map((op) => op.id),
  );
  const plainOp = zooInstance(zoo, {}, "op");
  const op = parseInstance({
    ...plainOp,
    source: plainOp.source + SOURCE(zoo),
    nodes: plainOp.nodes.map((node) => withStorage(node, fractions.get(node.id) ?? 1, integer.has(node.id))),
  });
  const byId = new Map(op.nodes.map((node) => [node.id, node]));
  const plainBlock = zooInstance(zoo, {}, "block");
  const block = parseInstance({
    ...plainBlock,
    source: plainBlock.source + SOURCE(zoo),
    nodes: plainBlock.nodes.map((node) => {
      const outputs = ((node.meta as { outputs?: string[] } | undefined)?.outputs ?? []).map(
        (id) => byId.get(id) as InstanceNode,
      );
      const elements = outputs.reduce((sum, o) => sum + Math.ceil(o.bytes / o.elementBytes), 0);
      const nonzeros = outputs.reduce(
        (sum, o) => sum + Math.ceil(o.density * Math.ceil(o.bytes / o.elementBytes)),
        0,
      );
      const density = elements === 0 ? 1 : nonzeros / elements;
      return withStorage(node, density, outputs.length > 0 && outputs.every((o) => integer.has(o.id)));
    }),
  });
  const relu = op.nodes.filter((node) =>
    /^relu6?$/.test((node.meta as { op?: string } | undefined)?.op ?? ""),
  );
  return {
    zoo,
    op,
    block,
    meanReluDensity: relu.reduce((sum, node) => sum + node.density, 0) / Math.max(1, relu.length),
    reluCount: relu.length,
  };
}
