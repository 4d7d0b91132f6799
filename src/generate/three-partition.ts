/**
 * The reduction from 3-PARTITION that shows the fixed-order offload problem strongly NP-hard
 * (proofs/offload-np-hard.md). For positive integers x_1..x_{3m} with sum mB and B/4 < x_j < B/2, and
 * K = 3m + 1, the instance is the chain
 *
 *   x -> I_1 -> ... -> I_{3m} -> S -> C_1 -> ... -> C_m -> L
 *
 * with every backward reading its inputs only, no gradients, tapes or temporaries, a link of bandwidth
 * 1 byte/ms and latency 0, and
 *
 * | node | fwd (ms) | bwd (ms) | bytes |
 * | x (input) | 0 | - | 0 |
 * | I_j (items) | 1 | 1 | K x_j |
 * | S (separator) | 1 | 1 | 0 |
 * | C_1 | KB | mKB | KB |
 * | C_k, k = 2..m | KB | 1 | KB |
 * | L (the loss) | 1 | 1 | KB |
 *
 * Some schedule of the offload class has makespan <= T = 2mKB + 7m + 3 (the sum of all op times) and
 * peak <= M = (m+1)KB if and only if the items split into m triples of sum B. Every number is
 * polynomial in m and B, so the reduction is pseudo-polynomial: strong NP-hardness carries over.
 */
import type { NodeDocument } from "../instance/document.js";
import { parseInstance } from "../instance/parse.js";
import type { Instance } from "../instance/types.js";

/** The instance of the reduction with its two thresholds. */
export interface ThreePartitionInstance {
  readonly instance: Instance;
  /** T, ms: the sum of all op times; a schedule reaches it exactly when it never stalls. */
  readonly timeMs: number;
  /** M, bytes: (m + 1) K B. */
  readonly memoryBytes: number;
  /** The bound B and the scale K = 3m + 1. */
  readonly bound: number;
  readonly scale: number;
}

/**
 * Checks a 3-PARTITION instance: 3m positive integers (m >= 1) with sum mB, each strictly between B/4
 * and B/2. @throws RangeError naming the first violation
 */
function checkItems(items: readonly number[]): number {
  const m = items.length / 3;
  if (!(Number.isInteger(m) && m >= 1))
    throw new RangeError(`threePartition: ${items.length} items, not 3m for some m >= 1`);
  for (const x of items)
    if (!Number.isSafeInteger(x) || x <= 0)
      throw new RangeError(`threePartition: ${x} is not a positive integer`);
  const total = items.reduce((sum, x) => sum + x, 0);
  const bound = total / m;
  if (!Number.isInteger(bound))
    throw new RangeError(`threePartition: the sum ${total} is not a multiple of m = ${m}`);
  for (const x of items)
    if (!(4 * x > bound && 2 * x < bound))
      throw new RangeError(`threePartition: ${x} is not strictly between B/4 and B/2 (B = ${bound})`);
  return bound;
}

/**
 * Builds the reduction's instance for `items` (x_1..x_{3m}).
 * @throws RangeError when `items` is not a 3-PARTITION instance (see the file comment)
 */
export function threePartitionInstance(items: readonly number[]): ThreePartitionInstance {
  const bound = checkItems(items);
  const m = items.length / 3;
  const scale = 3 * m + 1;
  const kb = scale * bound;
  const node = (id: string, fwd: number, bwd: number, bytes: number, input: string): NodeDocument => ({
    id,
    fwd,
    bwd,
    bytes,
    gradBytes: 0,
    needs: ["inputs"],
    inputs: [input],
  });
  const nodes: NodeDocument[] = [{ id: "x", fwd: 0, bwd: 0, bytes: 0, gradBytes: 0, recomputable: false }];
  let previous = "x";
  const chain = (id: string, fwd: number, bwd: number, bytes: number) => {
    nodes.push(node(id, fwd, bwd, bytes, previous));
    previous = id;
  };
  for (const [j, x] of items.entries()) chain(`I${j + 1}`, 1, 1, scale * x);
  chain("S", 1, 1, 0);
  for (let k = 1; k <= m; k++) chain(`C${k}`, kb, k === 1 ? m * kb : 1, kb);
  chain("L", 1, 1, kb);
  const instance = parseInstance({
    format: "remat-instance/1",
    name: `three-partition-${items.join("-")}`,
    source: `generated: threePartitionInstance([${items.join(", ")}]) (proofs/offload-np-hard.md)`,
    fixedBytes: 0,
    hardware: { bandwidth: 1, latency: 0 },
    nodes,
  });
  return { instance, timeMs: 2 * m * kb + 7 * m + 3, memoryBytes: (m + 1) * kb, bound, scale };
}
