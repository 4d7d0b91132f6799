/**
 * The instances of bench/storage.ts (issue 14 item 6): the zoo's ReLU networks at their default configs,
 * op level (for graph-mincut) and block level (for chain-dp), with MEASURED densities and roofline
 * conversion times, each instance's `source` saying both.
 *
 * The densities are the zoo's committed table (src/zoo/densities.ts, measured by bench/zoo-densities.ts
 * with the simulator at initialisation, seed 1, at a small config, and carried op by op to the default
 * config); the storage fields and conversion times are src/zoo/storage-fields.ts's. Trained networks are
 * typically sparser after ReLU than at initialisation, so the bitmap's savings here are a floor for them.
 */
import type { Instance } from "../src/instance/types.js";
import { zooDensities, zooWithStorage } from "../src/zoo/densities.js";
import { zooModel } from "../src/zoo/registry.js";

export { BYTES_PER_MS } from "../src/zoo/storage-fields.js";

/** The small config the densities were measured at (the seed is the simulator's default, 1). */
export const MEASURE_CONFIG = zooDensities("resnet-18").provenance.config;

/** One network's instances at both levels, with the densities measured per op. */
export interface StorageInstances {
  readonly zoo: string;
  readonly op: Instance;
  readonly block: Instance;
  /** Mean density over the ReLU/ReLU6 outputs (op level). */
  readonly meanReluDensity: number;
  readonly reluCount: number;
}

/** The network's instances with measured densities (see the file comment). */
export async function storageInstances(zoo: string): Promise<StorageInstances> {
  const graph = zooModel(zoo).build({});
  const op = zooWithStorage(graph, { level: "op", name: `${zoo}-op` });
  const block = zooWithStorage(graph, { level: "block", name: `${zoo}-block` });
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
