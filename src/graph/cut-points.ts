/**
 * Cut points of a forward DAG (proofs/graph-mincut.md, "Decomposition at cut points"): the nodes at
 * which a kept activation splits every checkpoint schedule into independent spans. A cut point is a
 * non-source node c such that no non-source before c is read after c, and no source is read both up to
 * c and after it. On a chain every node is one; on the zoo's op graphs they are the nodes between
 * residual, inception or dense blocks; pipeline stages may end only at them (src/pipeline/units.ts). O(n + m).
 */
import type { InstanceGraph } from "../instance/graph.js";

/** Cut points in increasing order. O(n + m). */
export function cutPoints(g: InstanceGraph): number[] {
  const blocked = new Int32Array(g.size + 1); // difference array of positions a source blocks
  for (let u = 0; u < g.size; u++) {
    const readers = g.consumers[u] as readonly number[];
    if (g.isSource[u] === 0 || readers.length === 0) continue;
    let first = g.size;
    let last = -1;
    for (const w of readers) {
      first = Math.min(first, w);
      last = Math.max(last, w);
    }
    blocked[first] = (blocked[first] as number) + 1; // positions first .. last - 1 are blocked
    blocked[last] = (blocked[last] as number) - 1;
  }
  const cuts: number[] = [];
  let reach = -1; // the furthest reader of a non-source seen so far
  let blocking = 0;
  for (let c = 0; c < g.size; c++) {
    blocking += blocked[c] as number;
    if (g.isSource[c] === 0 && reach <= c && blocking === 0) cuts.push(c);
    if (g.isSource[c] === 0) for (const w of g.consumers[c] as readonly number[]) reach = Math.max(reach, w);
  }
  return cuts;
}

/** 1 at each of `cuts`. */
export function cutMarks(g: InstanceGraph, cuts: readonly number[]): Uint8Array {
  const isCut = new Uint8Array(g.size);
  for (const c of cuts) isCut[c] = 1;
  return isCut;
}
