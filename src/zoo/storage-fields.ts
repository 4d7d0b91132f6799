/**
 * Measured storage fields on zoo instances (issue 14 item 3): each node's `density` from a density
 * table (src/zoo/densities.ts: non-zero fractions MEASURED by the simulator at initialisation at a small
 * config and carried op by op to any other config, since the ops are the same and only their shapes
 * differ) and the storage modes it may take at roofline conversion times.
 *
 * Conversion times: the zoo's times are a V100 roofline, so `C` and `X` get one too: the bytes read and
 * written at 900 GB/s (a real kernel packs bits, so this is a lower bound on their cost). The 16-bit
 * modes are not offered on int32 activations (labels). A block node's density is that of its boundary
 * tensors together (the ops its `meta.outputs` lists), from their non-zero counts at the op level.
 * Every function is O(n) in the nodes.
 */
import { storedBytes } from "../evaluate/storage.js";
import { parseInstance } from "../instance/parse.js";
import type { Instance, InstanceNode, StorageMode } from "../instance/types.js";
import { V100 } from "./roofline.js";
import type { ZooGraph } from "./types.js";

/** The zoo's roofline bandwidth, bytes per ms (V100, 900 GB/s: src/zoo/roofline.ts). */
export const BYTES_PER_MS = V100.bytesPerMs;

/** The sentence a storage-carrying instance's `source` gains. */
export function storageSourceNote(zoo: string, measuredAt: string): string {
  return ` Storage fields (src/zoo/storage-fields.ts): densities MEASURED by the simulator at initialisation (seed 1, random parameters and input data) on ${zoo} at ${measuredAt} and carried op by op to this config (trained networks are typically sparser after ReLU); C/X times a roofline of the bytes read and written at 900 GB/s.`;
}

function roofline(node: InstanceNode, mode: StorageMode): { convertMs: number; expandMs: number } {
  const ms = (node.bytes + storedBytes(node, mode)) / BYTES_PER_MS;
  return { convertMs: ms, expandMs: ms };
}

/** `node` with `density` and the modes it may take at roofline times. */
export function withStorage(node: InstanceNode, density: number, integer: boolean): InstanceNode {
  const dense = { ...node, density };
  const modes: StorageMode[] = integer ? ["bitmap"] : ["bitmap", "fp16", "bf16"];
  return { ...dense, storage: Object.fromEntries(modes.map((mode) => [mode, roofline(dense, mode)])) };
}

/** The ids of the graph's int32 ops (no 16-bit modes for them). */
export function integerOps(graph: ZooGraph): ReadonlySet<string> {
  return new Set(graph.ops.filter((op) => op.attrs.dtype === "int32").map((op) => op.id));
}

/**
 * The op-level instance `op` with each node's density from `fractions` (1 for a node it lacks) and
 * its storage modes; `note` is appended to the source.
 */
export function opWithStorage(
  op: Instance,
  fractions: Readonly<Record<string, number>>,
  integer: ReadonlySet<string>,
  note: string,
): Instance {
  return parseInstance({
    ...op,
    source: op.source + note,
    nodes: op.nodes.map((node) => withStorage(node, fractions[node.id] ?? 1, integer.has(node.id))),
  });
}

/**
 * The block-level instance `block` with each block's density that of its boundary tensors in
 * `opLevel` (an `opWithStorage` instance of the same graph), and its storage modes.
 */
export function blockWithStorage(
  block: Instance,
  opLevel: Instance,
  integer: ReadonlySet<string>,
  note: string,
): Instance {
  const byId = new Map(opLevel.nodes.map((node) => [node.id, node]));
  return parseInstance({
    ...block,
    source: block.source + note,
    nodes: block.nodes.map((node) => {
      const outputs = ((node.meta as { outputs?: string[] } | undefined)?.outputs ?? [])
        .map((id) => byId.get(id))
        .filter((o): o is InstanceNode => o !== undefined);
      let elements = 0;
      let nonzeros = 0;
      for (const o of outputs) {
        const count = Math.ceil(o.bytes / o.elementBytes);
        elements += count;
        nonzeros += Math.ceil(o.density * count);
      }
      const density = elements === 0 ? 1 : nonzeros / elements;
      return withStorage(node, density, outputs.length > 0 && outputs.every((o) => integer.has(o.id)));
    }),
  });
}
