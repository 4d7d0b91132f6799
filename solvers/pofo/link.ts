/**
 * What pofo reads of the host link for a chain: for each activation `a_k` whether it may go to the host
 * (the instance has a link of positive bandwidth and the node is offloadable) and how long one copy of
 * it takes each way, `latency + bytes / bandwidth` (DESIGN.md, "The schedule language"), computed with
 * the evaluator's own expression so that the table's sums are the evaluator's.
 */
import { graphOf } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";

/** The link as pofo sees it, per chain node `v_k`, k = 0..L. */
export interface ChainLink {
  /** Whether the instance has a link at all (a hardware block with positive bandwidth). */
  readonly present: boolean;
  /** canOffload[k] = 1 when `a_k` may be copied to the host and back. */
  readonly canOffload: Uint8Array;
  /**
   * chainOffload[k] = 1 when a chain move at k may offload `a_k`: it may, and `B v_{k+1}` reads it
   * (`needs` has "inputs"), so that this backward is where its prefetch is waited for (proofs/pofo.md,
   * "The class").
   */
  readonly chainOffload: Uint8Array;
  /** transferMs[k]: one copy of `a_k` either way, ms (Infinity without a link). */
  readonly transferMs: Float64Array;
}

/** The link of `instance` (a chain) as pofo reads it. */
export function chainLink(instance: Instance): ChainLink {
  const g = graphOf(instance);
  const bandwidth = instance.hardware?.bandwidth ?? 0;
  const latency = instance.hardware?.latency ?? 0;
  const present = bandwidth > 0;
  const transferMs = Float64Array.from(g.bytes, (bytes) =>
    present ? latency + bytes / bandwidth : Number.POSITIVE_INFINITY,
  );
  const canOffload = Uint8Array.from(g.offloadable, (flag) => (present && flag === 1 ? 1 : 0));
  const chainOffload = Uint8Array.from(canOffload, (flag, k) =>
    flag === 1 && k + 1 < g.size && g.needsInputs[k + 1] === 1 ? 1 : 0,
  );
  return { present, canOffload, chainOffload, transferMs };
}
