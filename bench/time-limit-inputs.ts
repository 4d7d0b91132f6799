/**
 * The long inputs of bench/time-limits.ts and test/long-inputs.test.ts: heterogeneous chains, homogeneous
 * chains (revolve's class) and random layered DAGs, all seeded (src/generate/families.ts).
 */
import { DEFAULT_COSTS, randomChain, randomLayeredDag } from "../src/generate/families.js";
import type { Instance } from "../src/instance/types.js";

/** Layers of the layered DAG per requested node (widths 1..9 give about 5 nodes a layer). */
const NODES_PER_LAYER = 5;
const LAYER_WIDTH = 9;

/**
 * @param family `chain` (random costs), `homogeneous` (every stage fwd 2, bwd 3) or `dag` (layered)
 * @param size stages of a chain, or about the nodes of a DAG
 */
export function benchInstance(family: string, size: number): Instance {
  if (family === "chain") return randomChain(1, size);
  if (family === "homogeneous") return randomChain(1, size, { ...DEFAULT_COSTS, fwd: [2, 2], bwd: [3, 3] });
  if (family === "dag") return randomLayeredDag(1, Math.round(size / NODES_PER_LAYER), LAYER_WIDTH);
  throw new Error(`unknown family ${family}`);
}
