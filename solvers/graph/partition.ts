/**
 * Partition mode, after PyTorch AOTAutograd's min-cut rematerialization partitioner
 * (torch/_functorch/partitioners.py, `solve_min_cut`): choose the forward
 * values to save so that the backward can recompute everything else it reads, with the least saved
 * bytes, never recomputing a banned op (by default the compute-heavy ones: convolutions, dense
 * layers, attention, as PyTorch bans mm/convolution/SDPA).
 *
 * Network (split vertices, capacity = bytes): u_in -> u_out (bytes(u)); u_out -> w_in infinite per
 * edge; s -> u_in infinite for nodes that cannot be recomputed (non-recomputable or banned);
 * u_out -> t infinite for every activation a backward reads. Sink side = available in the backward;
 * a node with u_in on the source side and u_out on the sink side is saved; a node wholly on the sink
 * side is recomputed, so all its inputs must be saved or recomputed too (the infinite data edges).
 * The saved set is then judged as a kept set by the evaluator. One certified max-flow,
 * O(Dinic(2n + 2, n + 2m)).
 */
import type { InstanceGraph } from "../../src/instance/graph.js";
import { certifiedMaxFlow } from "./flow-certificate.js";
import { FlowNetwork } from "./maxflow.js";
import type { Search } from "./search.js";

/** Ops PyTorch's partitioner never recomputes (compute-intensive), by remat zoo op name. */
export const DEFAULT_BANNED_OPS: readonly string[] = [
  "conv2d",
  "conv2d-transpose",
  "dense",
  "causal-attention",
];

/**
 * The saved set of the least-bytes partition and its bytes (the min-cut value).
 * @throws TimeLimitReached when the time limit passes during the max-flow
 * @throws InternalError when the max-flow certificate fails
 */
export function partitionSaved(
  search: Search,
  bannedOps: readonly string[],
): { saved: number[]; savedBytes: number } {
  const { g } = search;
  const n = g.size;
  const source = 2 * n;
  const sink = 2 * n + 1;
  const network = new FlowNetwork(2 * n + 2);
  addNodeEdges(search, network, new Set(bannedOps), source);
  const read = backwardReads(g);
  for (let u = 0; u < n; u++) if (read[u] === 1) network.addEdge(2 * u + 1, sink, Number.POSITIVE_INFINITY);
  const result = certifiedMaxFlow(network, source, sink, "partitionSaved", () => search.check("partition"));
  const saved: number[] = [];
  for (let u = 0; u < n; u++)
    if (result.sourceSide[2 * u] === 1 && result.sourceSide[2 * u + 1] === 0 && g.isSource[u] === 0)
      saved.push(u);
  return { saved, savedBytes: result.value };
}

/**
 * The network's edges of each node u: u_in -> u_out (bytes), the infinite data edges, and the source
 * feeding u_in when u cannot be recomputed (non-recomputable or banned).
 */
function addNodeEdges(
  search: Search,
  network: FlowNetwork,
  banned: ReadonlySet<string>,
  source: number,
): void {
  const { instance, g } = search;
  for (let u = 0; u < g.size; u++) {
    network.addEdge(2 * u, 2 * u + 1, g.bytes[u] as number);
    for (const w of g.consumers[u] as readonly number[])
      network.addEdge(2 * u + 1, 2 * w, Number.POSITIVE_INFINITY);
    const op = instance.nodes[u]?.meta?.op;
    if (g.recomputable[u] === 0 || (typeof op === "string" && banned.has(op)))
      network.addEdge(source, 2 * u, Number.POSITIVE_INFINITY);
  }
}

/** 1 for every activation some backward reads (a node with a tape counts as reading its output and inputs). */
function backwardReads(g: InstanceGraph): Uint8Array {
  const read = new Uint8Array(g.size);
  for (let v = 0; v < g.size; v++) {
    if (g.isSource[v] === 1) continue;
    if (g.needsOutput[v] === 1 || (g.tapeBytes[v] as number) > 0) read[v] = 1;
    if (g.needsInputs[v] === 1 || (g.tapeBytes[v] as number) > 0)
      for (const u of g.inputs[v] as readonly number[]) read[u] = 1;
  }
  return read;
}
