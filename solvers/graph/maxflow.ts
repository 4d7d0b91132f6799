/**
 * Maximum flow / minimum s-t cut by Dinic's algorithm (Dinic 1970; Even & Tarjan 1975) on typed
 * arrays, with exact arithmetic on integer capacities up to 2^53 (`Infinity` allowed for edges that
 * must never be cut). Each phase builds BFS levels on the residual graph and pushes a blocking flow
 * with an iterative depth-first search over current arcs, so deep graphs never overflow the stack.
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
 * Computes a maximum `source`-`sink` flow and the inclusion-minimal minimum cut.
 * @returns value, per-edge flow, source side; `value` is `Infinity` when an all-infinite path exists
 * @see ../../proofs/graph-mincut.md, section "Max-flow certificate"
 */
export function maxFlow(network: FlowNetwork, source: number, sink: number): MaxFlowResult {
  const n = network.vertexCount;
  const m = network.edgeCount;
  // Residual arcs: 2e is edge e, 2e+1 its reverse. Adjacency as CSR over arcs.
  const arcHead = new Int32Array(2 * m);
  const residual = new Float64Array(2 * m);
  const degree = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    arcHead[2 * e] = network.head(e);
    arcHead[2 * e + 1] = network.tail(e);
    residual[2 * e] = network.capacity(e);
    degree[network.tail(e) + 1] = (degree[network.tail(e) + 1] as number) + 1;
    degree[network.head(e) + 1] = (degree[network.head(e) + 1] as number) + 1;
  }
  for (let v = 0; v < n; v++) degree[v + 1] = (degree[v + 1] as number) + (degree[v] as number);
  const firstArc = degree; // firstArc[v]..firstArc[v+1]-1 in `arcs`
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

  const level = new Int32Array(n);
  const current = new Int32Array(n);
  const queue = new Int32Array(n);
  const pathArcs = new Int32Array(n);
  let value = 0;
  let phases = 0;

  const buildLevels = (): boolean => {
    level.fill(-1);
    level[source] = 0;
    let head = 0;
    let tail = 0;
    queue[tail++] = source;
    while (head < tail) {
      const v = queue[head++] as number;
      for (let i = firstArc[v] as number; i < (firstArc[v + 1] as number); i++) {
        const arc = arcs[i] as number;
        const w = arcHead[arc] as number;
        if ((residual[arc] as number) > 0 && level[w] === -1) {
          level[w] = (level[v] as number) + 1;
          queue[tail++] = w;
        }
      }
    }
    return level[sink] !== -1;
  };

  // Blocking flow: iterative DFS along level-increasing arcs with current-arc pointers.
  const blockingFlow = (): void => {
    for (let v = 0; v < n; v++) current[v] = firstArc[v] as number;
    let depth = 0;
    let v = source;
    while (true) {
      if (v === sink) {
        let bottleneck = Number.POSITIVE_INFINITY;
        for (let k = 0; k < depth; k++)
          bottleneck = Math.min(bottleneck, residual[pathArcs[k] as number] as number);
        if (bottleneck === Number.POSITIVE_INFINITY) {
          value = Number.POSITIVE_INFINITY;
          return;
        }
        let retreatTo = depth;
        for (let k = 0; k < depth; k++) {
          const arc = pathArcs[k] as number;
          residual[arc] = (residual[arc] as number) - bottleneck;
          residual[arc ^ 1] = (residual[arc ^ 1] as number) + bottleneck;
          if (residual[arc] === 0 && retreatTo === depth) retreatTo = k;
        }
        value += bottleneck;
        depth = retreatTo;
        v = depth === 0 ? source : (arcHead[pathArcs[depth - 1] as number] as number);
        continue;
      }
      let advanced = false;
      while ((current[v] as number) < (firstArc[v + 1] as number)) {
        const arc = arcs[current[v] as number] as number;
        const w = arcHead[arc] as number;
        if ((residual[arc] as number) > 0 && level[w] === (level[v] as number) + 1) {
          pathArcs[depth++] = arc;
          v = w;
          advanced = true;
          break;
        }
        current[v] = (current[v] as number) + 1;
      }
      if (advanced) continue;
      if (v === source) return;
      level[v] = -1; // dead end: never enter it again in this phase
      depth--;
      v = depth === 0 ? source : (arcHead[pathArcs[depth - 1] as number] as number);
      current[v] = (current[v] as number) + 1;
    }
  };

  if (source !== sink) {
    while (value !== Number.POSITIVE_INFINITY && buildLevels()) {
      phases++;
      blockingFlow();
    }
  }

  const flow = new Float64Array(m);
  for (let e = 0; e < m; e++) flow[e] = residual[2 * e + 1] as number;
  const sourceSide = new Uint8Array(n);
  if (value !== Number.POSITIVE_INFINITY) {
    buildLevels();
    for (let v = 0; v < n; v++) sourceSide[v] = level[v] === -1 ? 0 : 1;
  }
  return { value, flow, sourceSide, phases };
}
