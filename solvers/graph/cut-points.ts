/**
 * Which nodes a span of a checkpoint schedule may keep or drop (proofs/graph-mincut.md, "Decomposition at
 * cut points"); the cut points themselves are computed in src/graph/cut-points.ts.
 */
import type { InstanceGraph } from "../../src/instance/graph.js";

/** Whether node v may be kept or not inside a span: a free node that is not a cut point. */
export function isChoice(g: InstanceGraph, isCut: Uint8Array, v: number): boolean {
  return isCut[v] === 0 && g.isSource[v] === 0 && g.recomputable[v] === 1;
}
