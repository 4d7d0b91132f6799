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
 * with L = {u : u_in on the source side} and dL = {u in L : u_out on the sink side}. The
 * residual-reachable source side gives the smallest such L, so a sweep of windows that forces a
 * growing prefix yields nested lower sets L_1 < L_2 < ... whose boundaries are minimum cuts within
 * their windows. O(k (n + Dinic(window + frontier))) for k sets.
 */
import { InputError } from "../../src/errors.js";
import type { InstanceGraph } from "../../src/instance/graph.js";
import { certifiedMaxFlow } from "./flow-certificate.js";
import { FlowNetwork } from "./maxflow.js";

/** One lower set of the sweep. */
export interface LowerSet {
  /** 1 for the nodes of L. */
  readonly members: Uint8Array;
  /** Sum of the bytes of the nodes of L. */
  readonly bytes: number;
  /** Nodes of L with a consumer outside L, ascending. */
  readonly boundary: readonly number[];
  /** Sum of the capacities of the boundary (the min-cut value). */
  readonly cutValue: number;
}

/** The part of the graph a cut is taken over: forced nodes are contracted into the source, banned into the sink. */
interface Window {
  /** Nodes neither forced nor banned. */
  readonly free: readonly number[];
  /** Forced nodes with a consumer that is not forced. */
  readonly frontier: readonly number[];
  readonly isForced: (v: number) => boolean;
  readonly isBanned: (v: number) => boolean;
}

/**
 * The minimum cut over a window: the free nodes it puts in L (ascending), the boundary and its value.
 * O(Dinic(2 free + frontier + 2, their edges)).
 */
function cutWindow(
  g: InstanceGraph,
  capacity: Float64Array,
  window: Window,
  beforePhase: (() => void) | undefined,
): { chosen: number[]; boundary: number[]; cutValue: number } {
  const SOURCE = 0;
  const SINK = 1;
  const inVertex = new Map<number, number>();
  const outVertex = new Map<number, number>();
  let vertices = 2;
  for (const u of window.frontier) {
    inVertex.set(u, SOURCE);
    outVertex.set(u, vertices++);
  }
  for (const u of window.free) {
    inVertex.set(u, vertices++);
    outVertex.set(u, vertices++);
  }
  const network = new FlowNetwork(vertices);
  for (const u of [...window.frontier, ...window.free]) {
    const from = outVertex.get(u) as number;
    network.addEdge(inVertex.get(u) as number, from, capacity[u] as number);
    for (const w of g.consumers[u] as readonly number[]) {
      if (window.isBanned(w)) network.addEdge(from, SINK, Number.POSITIVE_INFINITY);
      else if (!window.isForced(w)) {
        network.addEdge(from, inVertex.get(w) as number, Number.POSITIVE_INFINITY);
        if (!window.isForced(u))
          network.addEdge(inVertex.get(w) as number, inVertex.get(u) as number, Number.POSITIVE_INFINITY);
      }
    }
  }
  const result = certifiedMaxFlow(network, SOURCE, SINK, "minimumLowerSet", beforePhase);
  const inside = (u: number) => result.sourceSide[inVertex.get(u) as number] === 1;
  const cut = (u: number) => result.sourceSide[outVertex.get(u) as number] === 0;
  const chosen = window.free.filter(inside);
  const boundary = [...window.frontier, ...chosen].filter(cut).sort((a, b) => a - b);
  return { chosen, boundary, cutValue: result.value };
}

/**
 * The least-capacity lower set containing `forced` and none of `banned` (inclusion-minimal among them).
 * Forced nodes are contracted into the source and banned ones into the sink, so the network holds
 * only the free nodes and the forced nodes with a consumer outside `forced`. O(n + m) besides the cut.
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
  const free: number[] = [];
  const frontier: number[] = [];
  for (let u = 0; u < g.size; u++) {
    if (banned[u] === 1) continue;
    if (forced[u] === 0) free.push(u);
    else if ((g.consumers[u] as readonly number[]).some((w) => forced[w] === 0)) frontier.push(u);
  }
  const window = {
    free,
    frontier,
    isForced: (v: number) => forced[v] === 1,
    isBanned: (v: number) => banned[v] === 1,
  };
  const { chosen, boundary, cutValue } = cutWindow(g, capacity, window, beforePhase);
  const members = Uint8Array.from(forced);
  for (const u of chosen) members[u] = 1;
  let bytes = 0;
  for (let u = 0; u < g.size; u++) if (members[u] === 1) bytes += g.bytes[u] as number;
  return { members, bytes, boundary, cutValue };
}

/**
 * The nested sweep over windows of the topological order: L_i is the minimum lower set with
 * {0..p_i} <= L_i <= {0..p_i + stride - 1} (the loss always out), for p_i = 0, stride, 2 stride, ...
 * below the loss. Prefixes of a topological order are lower sets, so every cut is finite; L_{i-1} lies
 * in {0..p_i - 1} (its window), so the sets are nested and distinct (p_i is in L_i only). The frontier
 * (nodes up to p_i read beyond it) is kept incrementally, so each set costs its window and frontier
 * plus O(n) to write its members.
 * @param stride at least 1; larger strides give fewer, coarser blocks (for big graphs)
 * @param beforePhase called before each max-flow phase (a time-limit check)
 */
export function lowerSetSweep(
  g: InstanceGraph,
  capacity: Float64Array,
  stride: number,
  beforePhase?: () => void,
): LowerSet[] {
  const lastReader = Int32Array.from(g.consumers, (list) => list.reduce((last, w) => Math.max(last, w), -1));
  const prefixBytes = new Float64Array(g.size + 1);
  for (let v = 0; v < g.size; v++) prefixBytes[v + 1] = (prefixBytes[v] as number) + (g.bytes[v] as number);
  const sets: LowerSet[] = [];
  let frontier: number[] = [];
  let added = 0; // nodes 0..added-1 have joined the forced prefix
  for (let p = 0; p < g.loss; p += stride) {
    const end = Math.min(g.loss, p + stride); // first banned node
    for (; added <= p; added++) frontier.push(added);
    frontier = frontier.filter((u) => (lastReader[u] as number) > p);
    const free = Array.from({ length: Math.max(0, end - p - 1) }, (_, i) => p + 1 + i);
    const window = { free, frontier, isForced: (v: number) => v <= p, isBanned: (v: number) => v >= end };
    const { chosen, boundary, cutValue } = cutWindow(g, capacity, window, beforePhase);
    const members = new Uint8Array(g.size).fill(1, 0, p + 1);
    let bytes = prefixBytes[p + 1] as number;
    for (const u of chosen) {
      members[u] = 1;
      bytes += g.bytes[u] as number;
    }
    sets.push({ members, bytes, boundary, cutValue });
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
