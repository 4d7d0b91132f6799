/**
 * A lower bound on the peak of every checkpoint schedule (any kept set K) of an instance: the memory
 * objective's answer is compared with it, so the gap is known (proofs/graph-mincut.md, "Lower bound",
 * which lists the facts of src/schedule/checkpoint-schedule.ts it rests on).
 *
 * Two families of instants that every such schedule contains, each with memory that does not depend
 * on K:
 * - forward phase, during F v: every u < v with a consumer >= v is still resident, plus a_v,
 *   fwdTemp(v), and the tapes of the nodes that cannot be recomputed (each runs once, with its tape,
 *   held until its backward);
 * - backward step B v (descending index order, so the gradients resident are the same for every K):
 *   those gradients, the new ones B v allocates, bwdTemp, the tape of v, the activations B v reads
 *   (set Needed_v) and the tapes of the non-recomputable nodes below v; plus what must be resident so
 *   that every later backward B w (w < v) can still run: each activation B w reads, and for a
 *   recomputable w with a tape, either that tape or w's inputs (to run F w tape again). Nothing can be
 *   rebuilt from a value whose every root path misses the resident set (roots: the nodes that cannot
 *   be recomputed), so the least resident bytes is a minimum vertex cut between the roots and those
 *   targets (split vertices, capacity = bytes; a tape is a vertex of capacity tapeBytes fed by w's
 *   inputs), with Needed_v free.
 * O(n + m) for the first family and one max-flow per backward step for the second (each certified);
 * steps are tried in decreasing order of their cut-free part and skipped when even the largest cut
 * cannot raise the bound. O(n + m) memory besides one network at a time.
 */
import type { InstanceGraph } from "../../src/instance/graph.js";
import { certifiedMaxFlow } from "./flow-certificate.js";
import { FlowNetwork } from "./maxflow.js";
import type { Search } from "./search.js";

export interface MemoryBound {
  /** The bound, bytes (fixedBytes included). */
  readonly bytes: number;
  /** Max-flows solved. */
  readonly cuts: number;
}

const PHASE = "the memory lower bound";

/** Whether B v needs a tape that only a forward of v can make (tapes of sources are never made). */
function taped(g: InstanceGraph, v: number): boolean {
  return (g.tapeBytes[v] as number) > 0 && g.isSource[v] === 0;
}

/** forcedTapes[v] = tape bytes of the non-recomputable taped nodes below v (resident from F to B). */
function forcedTapes(g: InstanceGraph): Float64Array {
  const below = new Float64Array(g.size + 1);
  for (let v = 0; v < g.size; v++)
    below[v + 1] =
      (below[v] as number) + (taped(g, v) && g.recomputable[v] === 0 ? (g.tapeBytes[v] as number) : 0);
  return below;
}

/** Forward-phase bound: max over v of the live forward frontier during F v. O(n + m). */
function forwardBound(g: InstanceGraph, tapes: Float64Array): number {
  const releaseAt: number[][] = Array.from({ length: g.size }, () => []);
  for (let u = 0; u < g.size; u++) {
    const consumers = g.consumers[u] as readonly number[];
    if (consumers.length > 0) releaseAt[consumers[consumers.length - 1] as number]?.push(u);
  }
  let live = 0;
  let best = 0;
  for (let v = 0; v < g.size; v++) {
    best = Math.max(
      best,
      live + (tapes[v + 1] as number) + (g.bytes[v] as number) + (g.fwdTemp[v] as number),
    );
    live += g.bytes[v] as number;
    for (const u of releaseAt[v] as number[]) live -= g.bytes[u] as number;
  }
  return best;
}

/** Activations B v reads. */
function needed(g: InstanceGraph, v: number): number[] {
  const list = g.needsInputs[v] === 1 ? [...(g.inputs[v] as readonly number[])] : [];
  if (g.needsOutput[v] === 1) list.push(v);
  return [...new Set(list)];
}

/** One backward step with the part of its memory that needs no cut, bytes (fixedBytes excluded). */
interface Step {
  readonly v: number;
  readonly cutFree: number;
}

/** The backward steps, replaying the descending order's gradients (independent of K). O(n + m). */
function backwardSteps(g: InstanceGraph, tapes: Float64Array): Step[] {
  const allocated = new Uint8Array(g.size);
  let gradients = 0;
  const steps: Step[] = [];
  for (let v = g.loss; v >= 0; v--) {
    if (g.isSource[v] === 1) continue;
    const fresh = freshGradientBytes(g, v, allocated);
    const reads = needed(g, v).reduce((sum, u) => sum + (g.bytes[u] as number), 0);
    const own = (g.bwdTemp[v] as number) + (g.tapeBytes[v] as number) + (tapes[v] as number);
    steps.push({ v, cutFree: gradients + fresh + own + reads });
    gradients = allocateInputGradients(g, v, allocated, gradients);
    if (allocated[v] === 1) gradients -= g.gradBytes[v] as number;
  }
  return steps;
}

/** Bytes of the input gradients B v allocates (each non-source input not yet `allocated`, per edge). */
function freshGradientBytes(g: InstanceGraph, v: number, allocated: Uint8Array): number {
  let fresh = 0;
  for (const u of g.inputs[v] as readonly number[])
    if (g.isSource[u] === 0 && allocated[u] === 0) fresh += g.gradBytes[u] as number;
  return fresh;
}

/**
 * Marks the input gradients B v allocates as `allocated`; returns `gradients` (bytes resident) plus
 * theirs, each once, added one by one.
 */
function allocateInputGradients(
  g: InstanceGraph,
  v: number,
  allocated: Uint8Array,
  gradients: number,
): number {
  let bytes = gradients;
  for (const u of g.inputs[v] as readonly number[]) {
    if (g.isSource[u] === 0 && allocated[u] === 0) {
      allocated[u] = 1;
      bytes += g.gradBytes[u] as number;
    }
  }
  return bytes;
}

/** firstRead[u] = the least non-source w whose backward reads a_u (g.size when none). O(n + m). */
function firstReads(g: InstanceGraph): Int32Array {
  const first = new Int32Array(g.size).fill(g.size);
  for (let w = g.size - 1; w >= 0; w--) if (g.isSource[w] === 0) for (const u of needed(g, w)) first[u] = w;
  return first;
}

/**
 * Least bytes resident besides Needed_v that let every backward below v run: the min cut described
 * in the file comment. Vertices: 2u / 2u + 1 split u, then a pair per recomputable taped w < v, then
 * source and sink.
 */
function separatorBytes(search: Search, v: number, firstRead: Int32Array): number {
  const { g } = search;
  const { tapeOf, vertices } = tapeVertices(g, v);
  const source = vertices;
  const sink = vertices + 1;
  const network = new FlowNetwork(vertices + 2);
  addNodeEdges(g, network, v, firstRead, source, sink);
  addTapeEdges(g, network, tapeOf, sink);
  return certifiedMaxFlow(network, source, sink, "memoryLowerBound", () => search.check(PHASE)).value;
}

/**
 * The vertex pair of each recomputable taped w < v in the separator network: tapeOf[w] = its first
 * vertex (-1 for none), numbered from 2n on; `vertices` counts them with the split vertices.
 */
function tapeVertices(g: InstanceGraph, v: number): { tapeOf: Int32Array; vertices: number } {
  const tapeOf = new Int32Array(v).fill(-1);
  let vertices = 2 * g.size;
  for (let w = 0; w < v; w++)
    if (taped(g, w) && g.recomputable[w] === 1) {
      tapeOf[w] = vertices;
      vertices += 2;
    }
  return { tapeOf, vertices };
}

/**
 * The separator network's edges of the nodes: each split vertex (bytes, free for Needed_v), the
 * infinite data edges, the roots fed by the source, and the activations a backward below v reads
 * draining to the sink.
 */
function addNodeEdges(
  g: InstanceGraph,
  network: FlowNetwork,
  v: number,
  firstRead: Int32Array,
  source: number,
  sink: number,
): void {
  const free = new Uint8Array(g.size);
  for (const u of needed(g, v)) free[u] = 1;
  for (let u = 0; u < g.size; u++) {
    network.addEdge(2 * u, 2 * u + 1, free[u] === 1 ? 0 : (g.bytes[u] as number));
    for (const w of g.consumers[u] as readonly number[])
      network.addEdge(2 * u + 1, 2 * w, Number.POSITIVE_INFINITY);
    if (g.recomputable[u] === 0) network.addEdge(source, 2 * u, Number.POSITIVE_INFINITY);
    if ((firstRead[u] as number) < v) network.addEdge(2 * u + 1, sink, Number.POSITIVE_INFINITY);
  }
}

/** The separator network's tape vertices: tapeBytes(w) between the pair, fed by w's inputs, to the sink. */
function addTapeEdges(g: InstanceGraph, network: FlowNetwork, tapeOf: Int32Array, sink: number): void {
  for (let w = 0; w < tapeOf.length; w++) {
    const tape = tapeOf[w] as number;
    if (tape < 0) continue;
    network.addEdge(tape, tape + 1, g.tapeBytes[w] as number);
    for (const u of g.inputs[w] as readonly number[])
      network.addEdge(2 * u + 1, tape, Number.POSITIVE_INFINITY);
    network.addEdge(tape + 1, sink, Number.POSITIVE_INFINITY);
  }
}

/**
 * The lower bound on the peak of any checkpoint schedule of the search's instance. Each improvement is
 * recorded in `search.incumbent` as it is proven, so a timeout still reports the bound reached.
 * @param maxCuts most max-flows to solve (any subset of steps gives a valid bound)
 * @throws TimeLimitReached when the time limit passes (the bound so far is in the incumbent)
 * @throws InternalError when a max-flow certificate fails
 */
export function memoryLowerBound(search: Search, maxCuts: number): MemoryBound {
  const { g, instance } = search;
  search.check(PHASE);
  const tapes = forcedTapes(g);
  let bound = forwardBound(g, tapes);
  search.incumbent.noteLowerBound(instance.fixedBytes + bound);
  const steps = backwardSteps(g, tapes).sort((a, b) => b.cutFree - a.cutFree);
  const firstRead = firstReads(g);
  let rootBytes = 0;
  for (let u = 0; u < g.size; u++) if (g.recomputable[u] === 0) rootBytes += g.bytes[u] as number;
  let cuts = 0;
  for (const { v, cutFree } of steps) {
    bound = Math.max(bound, cutFree);
    if (cuts < maxCuts && cutFree + rootBytes > bound) {
      search.check(PHASE);
      bound = Math.max(bound, cutFree + separatorBytes(search, v, firstRead));
      cuts++;
    }
    search.incumbent.noteLowerBound(instance.fixedBytes + bound);
  }
  return { bytes: instance.fixedBytes + bound, cuts };
}
