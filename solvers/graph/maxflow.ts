/**
 * Maximum flow / minimum s-t cut by Dinic's algorithm (Dinic 1970; Even & Tarjan 1975) on typed
 * arrays, with integer capacities (`Infinity` allowed for edges that must never be cut). Each phase
 * builds BFS levels on the residual graph and pushes a blocking flow with an iterative depth-first
 * search over current arcs, so deep graphs never overflow the stack.
 *
 * Exactness: doubles hold every integer up to 2^53 - 1 (Number.MAX_SAFE_INTEGER). Every capacity is a
 * safe integer (addEdge refuses others) and every augmenting path is simple (levels strictly
 * increase), so the flow on an edge and the gross inflow of a vertex are at most the flow value so
 * far, which only grows, and every residual is a capacity minus such a flow, or such a flow. Hence the
 * arithmetic is exact whenever the maximum flow value is a safe integer, however large the sum of the
 * capacities; the value is checked after every augmentation, and a flow that would pass 2^53 - 1 is
 * refused (InternalError: callers keep their flows below it, see solver.ts `rejects`), never rounded.
 *
 * Complexity: O(V^2 E) in general, O(E sqrt(V)) on unit-capacity networks; the networks built by the
 * min-cut search (split vertices, infinite data edges) solve in a few phases in practice.
 *
 * No npm package was used: the maintained graph libraries (graphlib, graphology, ngraph) have no
 * max-flow, and the flow packages found are unmaintained, recursive and on boxed objects.
 */
import { InternalError } from "../../src/errors.js";

/** A directed network under construction: vertices `0..vertexCount-1`, edges added one by one. */
export class FlowNetwork {
  readonly vertexCount: number;
  /** Per edge (forward edges only, in insertion order): tail, head and capacity. */
  private readonly tails: number[] = [];
  private readonly heads: number[] = [];
  private readonly capacities: number[] = [];

  constructor(vertexCount: number) {
    this.vertexCount = vertexCount;
  }

  /**
   * Adds the edge `from -> to` with `capacity` (a non-negative integer or `Infinity`).
   * @returns the edge's id (its index in `MaxFlowResult.flow`)
   * @throws InternalError for a vertex out of range or a capacity that is negative or not an integer
   */
  addEdge(from: number, to: number, capacity: number): number {
    if (!(from >= 0 && from < this.vertexCount && to >= 0 && to < this.vertexCount))
      throw new InternalError(`FlowNetwork.addEdge: vertex out of range (${from} -> ${to})`);
    if (!(capacity === Number.POSITIVE_INFINITY || (Number.isSafeInteger(capacity) && capacity >= 0)))
      throw new InternalError(
        `FlowNetwork.addEdge: capacity must be a non-negative integer, got ${capacity}`,
      );
    this.tails.push(from);
    this.heads.push(to);
    this.capacities.push(capacity);
    return this.tails.length - 1;
  }

  get edgeCount(): number {
    return this.tails.length;
  }

  /** Tail of edge `e`. */
  tail(e: number): number {
    return this.tails[e] as number;
  }

  /** Head of edge `e`. */
  head(e: number): number {
    return this.heads[e] as number;
  }

  /** Capacity of edge `e`. */
  capacity(e: number): number {
    return this.capacities[e] as number;
  }
}

/** A maximum flow and the minimum cut read off its residual graph. */
export interface MaxFlowResult {
  /** Flow value leaving the source (= capacity of the cut). */
  readonly value: number;
  /** Flow on each edge, by edge id. */
  readonly flow: Float64Array;
  /**
   * 1 for the vertices reachable from the source in the final residual graph: the source side of the
   * minimum cut with the fewest vertices (the unique inclusion-minimal one).
   */
  readonly sourceSide: Uint8Array;
  /** Number of BFS phases Dinic ran. */
  readonly phases: number;
}

/**
 * The residual graph: arc 2e is edge e, arc 2e+1 its reverse; the arcs leaving v are
 * `arcs[firstArc[v] .. firstArc[v + 1] - 1]`, and `residual[arc]` is what may still be pushed along it.
 */
interface Residual {
  readonly n: number;
  readonly arcHead: Int32Array;
  readonly residual: Float64Array;
  readonly firstArc: Int32Array;
  readonly arcs: Int32Array;
  /** BFS level of each vertex in the current phase (-1: unreached or a dead end). */
  readonly level: Int32Array;
  /** Scratch per vertex: the BFS queue, the DFS's current arcs, and the arcs of the DFS path. */
  readonly queue: Int32Array;
  readonly current: Int32Array;
  readonly pathArcs: Int32Array;
}

/** The residual graph of `network` with no flow yet (CSR adjacency over arcs). O(V + E). */
function residualOf(network: FlowNetwork): Residual {
  const n = network.vertexCount;
  const m = network.edgeCount;
  const arcHead = new Int32Array(2 * m);
  const residual = new Float64Array(2 * m);
  const firstArc = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    arcHead[2 * e] = network.head(e);
    arcHead[2 * e + 1] = network.tail(e);
    residual[2 * e] = network.capacity(e);
    firstArc[network.tail(e) + 1] = (firstArc[network.tail(e) + 1] as number) + 1;
    firstArc[network.head(e) + 1] = (firstArc[network.head(e) + 1] as number) + 1;
  }
  for (let v = 0; v < n; v++) firstArc[v + 1] = (firstArc[v + 1] as number) + (firstArc[v] as number);
  const arcs = new Int32Array(2 * m);
  const fill = firstArc.slice(0, n);
  for (let e = 0; e < m; e++) {
    const t = network.tail(e);
    const h = network.head(e);
    arcs[fill[t] as number] = 2 * e;
    fill[t] = (fill[t] as number) + 1;
    arcs[fill[h] as number] = 2 * e + 1;
    fill[h] = (fill[h] as number) + 1;
  }
  const scratch = () => new Int32Array(n);
  return {
    n,
    arcHead,
    residual,
    firstArc,
    arcs,
    level: scratch(),
    queue: scratch(),
    current: scratch(),
    pathArcs: scratch(),
  };
}

/** BFS levels from `source` over arcs with residual capacity; whether `sink` was reached. O(V + E). */
function buildLevels(r: Residual, source: number, sink: number): boolean {
  const { queue } = r;
  r.level.fill(-1);
  r.level[source] = 0;
  let head = 0;
  let tail = 0;
  queue[tail++] = source;
  while (head < tail) {
    const v = queue[head++] as number;
    for (let i = r.firstArc[v] as number; i < (r.firstArc[v + 1] as number); i++) {
      const arc = r.arcs[i] as number;
      const w = r.arcHead[arc] as number;
      if ((r.residual[arc] as number) > 0 && r.level[w] === -1) {
        r.level[w] = (r.level[v] as number) + 1;
        queue[tail++] = w;
      }
    }
  }
  return r.level[sink] !== -1;
}

/**
 * Pushes `bottleneck` along the path `pathArcs[0 .. depth - 1]`.
 * @returns the depth to retreat to: the first arc the push saturated
 */
function augment(r: Residual, pathArcs: Int32Array, depth: number, bottleneck: number): number {
  let retreatTo = depth;
  for (let k = 0; k < depth; k++) {
    const arc = pathArcs[k] as number;
    r.residual[arc] = (r.residual[arc] as number) - bottleneck;
    r.residual[arc ^ 1] = (r.residual[arc ^ 1] as number) + bottleneck;
    if (r.residual[arc] === 0 && retreatTo === depth) retreatTo = k;
  }
  return retreatTo;
}

/**
 * One blocking flow along level-increasing arcs: an iterative DFS with current-arc pointers (no
 * recursion). O(V E) per phase.
 * @returns the flow pushed (Infinity when a path of infinite arcs exists)
 * @throws InternalError when the total would exceed 2^53 - 1
 */
function blockingFlow(r: Residual, source: number, sink: number, pushed: number): number {
  const { current, pathArcs } = r;
  for (let v = 0; v < r.n; v++) current[v] = r.firstArc[v] as number;
  let value = pushed;
  let depth = 0;
  let v = source;
  while (true) {
    if (v === sink) {
      const bottleneck = pathBottleneck(r, depth);
      if (bottleneck === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
      value = addToFlow(value, bottleneck);
      depth = augment(r, pathArcs, depth, bottleneck);
      v = pathEnd(r, source, depth);
      continue;
    }
    const arc = admissibleArc(r, v);
    if (arc >= 0) {
      pathArcs[depth++] = arc;
      v = r.arcHead[arc] as number;
      continue;
    }
    if (v === source) return value;
    r.level[v] = -1; // dead end: never enter it again in this phase
    depth--;
    v = pathEnd(r, source, depth);
    current[v] = (current[v] as number) + 1;
  }
}

/** The least residual along the path `pathArcs[0 .. depth - 1]` (Infinity when every arc is infinite). */
function pathBottleneck(r: Residual, depth: number): number {
  let bottleneck = Number.POSITIVE_INFINITY;
  for (let k = 0; k < depth; k++)
    bottleneck = Math.min(bottleneck, r.residual[r.pathArcs[k] as number] as number);
  return bottleneck;
}

/**
 * The flow value after pushing `bottleneck` more.
 * @throws InternalError when it would exceed 2^53 - 1
 */
function addToFlow(value: number, bottleneck: number): number {
  const total = value + bottleneck;
  if (total > Number.MAX_SAFE_INTEGER)
    throw new InternalError(
      `maxFlow: the flow value exceeds 2^53 - 1 = ${Number.MAX_SAFE_INTEGER}, so it cannot be computed exactly in doubles`,
    );
  return total;
}

/** The vertex the DFS path of `depth` arcs ends at. */
function pathEnd(r: Residual, source: number, depth: number): number {
  return depth === 0 ? source : (r.arcHead[r.pathArcs[depth - 1] as number] as number);
}

/**
 * The first arc at or after v's current arc that leads one level up with residual capacity, the
 * current arc moved to it; -1 (every arc of v passed) when there is none.
 */
function admissibleArc(r: Residual, v: number): number {
  const { current } = r;
  const next = (r.level[v] as number) + 1;
  const end = r.firstArc[v + 1] as number;
  while ((current[v] as number) < end) {
    const arc = r.arcs[current[v] as number] as number;
    if ((r.residual[arc] as number) > 0 && r.level[r.arcHead[arc] as number] === next) return arc;
    current[v] = (current[v] as number) + 1;
  }
  return -1;
}

/**
 * Computes a maximum `source`-`sink` flow and the inclusion-minimal minimum cut.
 * @param beforePhase called before each BFS phase (e.g. a time-limit check; it may throw to stop)
 * @returns value, per-edge flow, source side; `value` is `Infinity` when an all-infinite path exists
 * @throws InternalError when the flow value would exceed 2^53 - 1 (it could not be exact)
 * @see ../../proofs/graph-mincut.md, section "Max-flow certificate"
 */
export function maxFlow(
  network: FlowNetwork,
  source: number,
  sink: number,
  beforePhase?: () => void,
): MaxFlowResult {
  const r = residualOf(network);
  let value = 0;
  let phases = 0;
  while (source !== sink && value !== Number.POSITIVE_INFINITY) {
    beforePhase?.();
    if (!buildLevels(r, source, sink)) break;
    phases++;
    value = blockingFlow(r, source, sink, value);
  }
  const flow = new Float64Array(network.edgeCount);
  for (let e = 0; e < network.edgeCount; e++) flow[e] = r.residual[2 * e + 1] as number;
  const sourceSide = new Uint8Array(r.n);
  if (value !== Number.POSITIVE_INFINITY) {
    buildLevels(r, source, sink);
    for (let v = 0; v < r.n; v++) sourceSide[v] = r.level[v] === -1 ? 0 : 1;
  }
  return { value, flow, sourceSide, phases };
}
