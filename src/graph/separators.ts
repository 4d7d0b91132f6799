/**
 * Articulation points of a forward DAG in the sense of Chen et al. (2016) and Checkmate's "AP"
 * baselines: nodes through which every path to the loss passes, so that keeping one splits the graph
 * into an independent part before and after it. Computed as the dominators of the loss with a virtual
 * root in place of the sources, whose outgoing edges are ignored (sources are kept anyway), by Cooper,
 * Harvey & Kennedy's intersection on a DAG in topological order. O(n * depth + m).
 */
import { graphOf } from "../instance/graph.js";
import type { Instance } from "../instance/types.js";

/** Indices of the nodes on every source-to-loss path, in topological order (sources only if unique). */
export function articulationPoints(instance: Instance): number[] {
  const g = graphOf(instance);
  const root = g.size; // virtual node above every source
  const idom = new Int32Array(g.size + 1).fill(-1);
  const depth = new Int32Array(g.size + 1);
  idom[root] = root;
  const intersect = (a: number, b: number): number => {
    let x = a;
    let y = b;
    while (x !== y) {
      while ((depth[x] as number) > (depth[y] as number)) x = idom[x] as number;
      while ((depth[y] as number) > (depth[x] as number)) y = idom[y] as number;
      if (x !== y) {
        x = idom[x] as number;
        y = idom[y] as number;
      }
    }
    return x;
  };
  for (let v = 0; v < g.size; v++) {
    // Sources are never recomputed (they stay resident until their last reader), so an edge out of a
    // source does not join two segments: a label input read only by the loss must not hide every split.
    const inputs = (g.inputs[v] as number[]).filter((u) => g.isSource[u] === 0);
    let dominator = inputs.length === 0 ? root : (inputs[0] as number);
    for (const u of inputs.slice(1)) dominator = intersect(dominator, u);
    idom[v] = dominator;
    depth[v] = (depth[dominator] as number) + 1;
  }
  const points: number[] = [];
  for (let v = g.loss; v !== root; v = idom[v] as number) points.push(v);
  return points.reverse();
}
