/**
 * Lower sets with minimum byte-weighted boundaries, by max-flow (Kusumoto et al. 2019, section 3;
 * the split-vertex construction of PyTorch's min-cut partitioner, torch/_functorch/partitioners.py
 * `solve_min_cut`).
 *
 * A lower set L of the forward DAG is closed under inputs; its boundary is dL = {u in L : some
 * consumer of u is outside L}: the activations that must be held to continue the forward pass past
 * L. The least-capacity boundary of a lower set that contains a forced set P and not the loss is a
 * minimum s-t cut of the network
 *   u_in -> u_out  capacity c(u)        (paid when u is in L and a consumer is not)
 *   u_out -> w_in  infinite, per edge u -> w (a consumer outside L forces the split edge into the cut)
 *   w_in -> u_in   infinite, per edge u -> w (closure: w in L implies u in L)
 *   s -> p_in infinite for p in P;  q_in -> t infinite for q in Q (Q contains the loss)
 * with L = {u : u_in on the source side} and dL = {u in L : u_out on the sink side}. The residual-reachable source side gives the smallest such
 * L, so a sweep of windows that forces the previous set yields nested lower sets L_1 < L_2 < ...
 * whose boundaries are minimum cuts within their windows. O(k * Dinic(2n + 2, n + 2m + 2n)) for k sets.
 */
import { InputError } from "../../src/errors.js";
import type { InstanceGraph } from "../../src/instance/graph.js";
import { certifiedMaxFlow } from "./flow-certificate.js";
import { FlowNetwork } from "./maxflow.js";

/** One lower set of the sweep. */
export interface LowerSet {
  /** 1 for the nodes of L. */
  readonly members: Uint8Array;
  /** Nodes of L with a consumer outside L, ascending. */
  readonly boundary: readonly number[];
  /** Sum of the capacities of the boundary (the min-cut value). */
  readonly cutValue: number;
}

/**
 * The least-capacity lower set containing `forced` and none of `banned` (inclusion-minimal among them).
 * Forced nodes are contracted into the source and banned ones into the sink, so the network holds
 * only the free nodes and the forced nodes with a consumer outside `forced`: O(window + frontier)
 * vertices for a sweep window, instead of 2n.
 * @param capacity per-node non-negative integer capacities (bytes, or bytes + lambda * time)
 * @param forced 1 for nodes that must be in L (a lower set, so that a solution exists)
 * @param banned 1 for nodes that must stay out of L (an upper set containing the loss)
 * @param beforePhase called before each max-flow phase (a time-limit check)
 * @throws InternalError when the max-flow certificate fails
 */
export function minimumLowerSet(
  g: InstanceGraph,
  capacity: Float64Array,
  forced: Uint8Array,
  banned: Uint8Array,
  beforePhase?: () => void,
): LowerSet {
  const n = g.size;
  const SOURCE = 0;
  const SINK = 1;
  const inVertex = new Int32Array(n).fill(-1);
  const outVertex = new Int32Array(n).fill(-1);
  let vertices = 2;
  const relevant: number[] = [];
  for (let u = 0; u < n; u++) {
    if (banned[u] === 1) continue;
    if (forced[u] === 0) {
      inVertex[u] = vertices++;
      outVertex[u] = vertices++;
      relevant.push(u);
    } else if ((g.consumers[u] as readonly number[]).some((w) => forced[w] === 0)) {
      inVertex[u] = SOURCE;
      outVertex[u] = vertices++;
      relevant.push(u);
    }
  }
  const network = new FlowNetwork(vertices);
  for (const u of relevant) {
    network.addEdge(inVertex[u] as number, outVertex[u] as number, capacity[u] as number);
    for (const w of g.consumers[u] as readonly number[]) {
      if (banned[w] === 1) network.addEdge(outVertex[u] as number, SINK, Number.POSITIVE_INFINITY);
      else if (forced[w] === 0) {
        network.addEdge(outVertex[u] as number, inVertex[w] as number, Number.POSITIVE_INFINITY);
        if (forced[u] === 0)
          network.addEdge(inVertex[w] as number, inVertex[u] as number, Number.POSITIVE_INFINITY);
      }
    }
  }
  const result = certifiedMaxFlow(network, SOURCE, SINK, "minimumLowerSet", beforePhase);
  const members = Uint8Array.from(forced);
  const boundary: number[] = [];
  for (const u of relevant) {
    if (result.sourceSide[inVertex[u] as number] === 0) continue;
    members[u] = 1;
    if (result.sourceSide[outVertex[u] as number] === 0) boundary.push(u);
  }
  return { members, boundary, cutValue: result.value };
}

/**
 * The nested sweep over windows of the topological order: L_i is the minimum lower set with
 * L_{i-1} + {0..p_i} <= L_i <= {0..p_i + stride - 1}, for p_i = 0, stride, 2 stride, ... below the
 * loss. Each forced set is a lower set inside the window (prefixes of a topological order are lower
 * sets and L_{i-1} lies in the previous window), so every cut is finite and the sets are nested;
 * equal consecutive sets are dropped.
 *
 * @param stride at least 1; larger strides give fewer, coarser blocks (for big graphs)
 * @param beforePhase called before each max-flow phase (a time-limit check)
 */
export function lowerSetSweep(
  g: InstanceGraph,
  capacity: Float64Array,
  stride: number,
  beforePhase?: () => void,
): LowerSet[] {
  const sets: LowerSet[] = [];
  let previous = new Uint8Array(g.size);
  for (let p = 0; p < g.loss; p += stride) {
    const forced = Uint8Array.from(previous);
    for (let v = 0; v <= p; v++) forced[v] = 1;
    const banned = new Uint8Array(g.size);
    for (let v = Math.min(g.loss, p + stride); v < g.size; v++) banned[v] = 1;
    const set = minimumLowerSet(g, capacity, forced, banned, beforePhase);
    if (sets.length === 0 || set.members.some((inside, v) => inside !== previous[v])) sets.push(set);
    previous = Uint8Array.from(set.members);
  }
  return sets;
}

/**
 * Capacities c(u) = bytes(u) + lambda * fwd(u), rounded to integers (lambda in bytes per ms).
 * @throws InputError (code `option`, path `extra.lambda`) when they sum above 2^53 - 1, where cut
 *   values could no longer be exact (maxflow.ts)
 */
export function nodeCapacities(g: InstanceGraph, lambda: number): Float64Array {
  const capacities = Float64Array.from(g.bytes, (bytes, u) =>
    Math.round(bytes + lambda * (g.fwd[u] as number)),
  );
  const total = capacities.reduce((sum, c) => sum + c, 0);
  if (!(total <= Number.MAX_SAFE_INTEGER))
    throw new InputError("graph-mincut", [
      {
        code: "option",
        path: "extra.lambda",
        expected: `a lambda that keeps bytes + lambda * fwd summed over the nodes at most 2^53 - 1 (exact cuts)`,
        received: `${lambda}, whose capacities sum to ${total}`,
      },
    ]);
  return capacities;
}
