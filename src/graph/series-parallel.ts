/**
 * Recognizes two-terminal series-parallel DAGs (Valdes, Tarjan & Lawler 1982): the graph reduces to a
 * single edge from the source terminal to the loss by repeatedly merging parallel edges and
 * contracting a vertex with one in-edge and one out-edge (series reduction). Every source of the
 * instance is merged into one source terminal, as the solvers treat sources alike (always resident).
 * O((n + m) log m) with hash sets.
 */
import { graphOf } from "../instance/graph.js";
import type { Instance } from "../instance/types.js";

/** True when the instance's DAG, with its sources merged into one terminal, is two-terminal series-parallel. */
export function isSeriesParallel(instance: Instance): boolean {
  const g = graphOf(instance);
  const terminal = g.size; // the merged source
  const out = Array.from({ length: g.size + 1 }, () => new Set<number>());
  const into = Array.from({ length: g.size + 1 }, () => new Set<number>());
  for (let w = 0; w < g.size; w++) {
    if (g.isSource[w] === 1) continue;
    for (const u of g.inputs[w] as number[]) {
      const from = g.isSource[u] === 1 ? terminal : u;
      out[from]?.add(w); // a set: parallel edges merge as they are added
      into[w]?.add(from);
    }
  }
  const alive = Uint8Array.from({ length: g.size + 1 }, (_, v) =>
    v < g.size && g.isSource[v] === 1 ? 0 : 1,
  );
  const queue = [...Array(g.size).keys()];
  while (queue.length > 0) {
    const v = queue.pop() as number;
    const ins = into[v] as Set<number>;
    const outs = out[v] as Set<number>;
    if (alive[v] === 0 || v === g.loss || v === terminal || ins.size !== 1 || outs.size !== 1) continue;
    const [u] = ins as unknown as [number];
    const [w] = outs as unknown as [number];
    alive[v] = 0;
    out[u]?.delete(v);
    into[w]?.delete(v);
    out[u]?.add(w);
    into[w]?.add(u);
    queue.push(u, w);
  }
  let remaining = 0;
  for (let v = 0; v <= g.size; v++) remaining += alive[v] as number;
  return (
    remaining === 2 && (out[terminal] as Set<number>).has(g.loss) && (out[terminal] as Set<number>).size === 1
  );
}
