/**
 * The reduction from PARTITION used to show that the memory objective over checkpoint schedules is
 * NP-hard on series-parallel graphs (proofs/graph-mincut-np-hard.md). For positive integers
 * y_1..y_n with sum Y, the instance is
 *
 *   x -> m_i -> q_i -> t  (i = 1..n, parallel chains),  t -> z -> loss,
 *
 * with bytes(m_i) = bytes(q_i) = y_i, every other size 0, `B q_i` reading its input m_i, `B t` reading
 * every q_i, `B z` holding a temporary of 2Y bytes, and no other reads. Some kept set K has a checkpoint
 * schedule peaking at most `threshold` = 5Y/2 bytes if and only if the y_i split into two halves of
 * equal sum (with Y odd, never).
 */
import type { NodeDocument } from "../instance/document.js";
import { parseInstance } from "../instance/parse.js";
import type { Instance } from "../instance/types.js";

/** The gadget instance and the peak threshold that decides PARTITION. */
export interface PartitionGadget {
  readonly instance: Instance;
  /** 5Y/2 bytes: some kept set peaks at most this iff the sizes split into equal halves. */
  readonly threshold: number;
}

/**
 * Builds the gadget for `sizes` (positive integers).
 * @throws RangeError if a size is not a positive integer
 */
export function partitionGadget(sizes: readonly number[]): PartitionGadget {
  for (const y of sizes)
    if (!Number.isInteger(y) || y <= 0)
      throw new RangeError(`partitionGadget: ${y} is not a positive integer`);
  const total = sizes.reduce((sum, y) => sum + y, 0);
  const node = (
    id: string,
    bytes: number,
    inputs: string[],
    extra: Partial<NodeDocument> = {},
  ): NodeDocument => ({
    id,
    fwd: 1,
    bwd: 1,
    bytes,
    inputs,
    needs: [],
    ...extra,
  });
  const nodes: NodeDocument[] = [node("x", 0, [], { recomputable: false })];
  sizes.forEach((y, i) => {
    nodes.push(node(`m${i + 1}`, y, ["x"]));
    nodes.push(node(`q${i + 1}`, y, [`m${i + 1}`], { needs: ["inputs"] }));
  });
  nodes.push(
    node(
      "t",
      0,
      sizes.map((_, i) => `q${i + 1}`),
      { needs: ["inputs"] },
    ),
  );
  nodes.push(node("z", 0, ["t"], { bwdTemp: 2 * total }));
  nodes.push(node("loss", 0, ["z"]));
  const instance = parseInstance({
    format: "remat-instance/1",
    name: `partition-gadget-${sizes.join("-")}`,
    source: `generated: partitionGadget([${sizes.join(", ")}]) (proofs/graph-mincut-np-hard.md)`,
    fixedBytes: 0,
    nodes,
  });
  return { instance, threshold: (5 * total) / 2 };
}
