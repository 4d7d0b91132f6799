/**
 * A lower bound on the peak of every checkpoint schedule (any kept set K) of an instance: the memory
 * objective's answer is compared with it, so the gap is known (proofs/graph-mincut.md, "Lower bound").
 *
 * Two families of instants that every such schedule contains, each with memory that does not depend
 * on K:
 * - forward phase, during F v: every u < v with a consumer >= v is still resident (the builder frees a
 *   forward value only after its last forward reader), plus a_v and fwdTemp(v);
 * - backward step B v (the builder runs backwards in descending index order, so the gradients
 *   resident are the same for every K): those gradients, the new ones B v allocates, bwdTemp, the tape,
 *   and the activations B v reads (set Needed_v); plus a vertex separator R between the roots (nodes
 *   that cannot be recomputed) and every activation some later backward reads: a value whose every
 *   root path misses the resident set can never be rebuilt. The least such |R| in bytes, with Needed_v
 *   free, is a minimum cut (split vertices, capacity = bytes).
 * O(n + m) for the first family and one max-flow per backward step for the second; steps are tried in
 * decreasing order of their cut-free part and skipped when even the largest cut cannot raise the bound.
 */
import type { InstanceGraph } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";
import { FlowNetwork, maxFlow } from "./maxflow.js";

export interface MemoryBound {
  /** The bound, bytes (fixedBytes included). */
  readonly bytes: number;
  /** Max-flows solved. */
  readonly cuts: number;
}

/** Forward-phase bound: max over v of the live forward frontier during F v. O(n + m). */
function forwardBound(instance: Instance, g: InstanceGraph): number {
  const releaseAt: number[][] = Array.from({ length: g.size }, () => []);
  for (let u = 0; u < g.size; u++) {
    const consumers = g.consumers[u] as readonly number[];
    if (consumers.length > 0) releaseAt[consumers[consumers.length - 1] as number]?.push(u);
  }
  let live = 0;
  let best = 0;
  for (let v = 0; v < g.size; v++) {
    best = Math.max(best, live + (g.bytes[v] as number) + (g.fwdTemp[v] as number));
    live += g.bytes[v] as number;
    for (const u of releaseAt[v] as number[]) live -= g.bytes[u] as number;
  }
  return instance.fixedBytes + best;
}

/** Activations B v reads. */
function needed(g: InstanceGraph, v: number): number[] {
  const list = g.needsInputs[v] === 1 ? [...(g.inputs[v] as readonly number[])] : [];
  if (g.needsOutput[v] === 1) list.push(v);
  return [...new Set(list)];
}

/** Minimum bytes of a separator between the roots and `targets`, with `free` nodes at no cost. */
function separatorBytes(g: InstanceGraph, targets: Uint8Array, free: Uint8Array): number {
  const n = g.size;
  const network = new FlowNetwork(2 * n + 2);
  const source = 2 * n;
  const sink = 2 * n + 1;
  for (let u = 0; u < n; u++) {
    network.addEdge(2 * u, 2 * u + 1, free[u] === 1 ? 0 : (g.bytes[u] as number));
    for (const w of g.consumers[u] as readonly number[])
      network.addEdge(2 * u + 1, 2 * w, Number.POSITIVE_INFINITY);
    if (g.recomputable[u] === 0) network.addEdge(source, 2 * u, Number.POSITIVE_INFINITY);
    if (targets[u] === 1) network.addEdge(2 * u + 1, sink, Number.POSITIVE_INFINITY);
  }
  return maxFlow(network, source, sink).value;
}

/**
 * The lower bound on the peak of any checkpoint schedule of `instance`.
 * @param maxCuts most max-flows to solve (any subset of steps gives a valid bound)
 */
export function memoryLowerBound(instance: Instance, g: InstanceGraph, maxCuts: number): MemoryBound {
  let bound = forwardBound(instance, g);
  // Gradients during each B v, replaying the descending backward order (independent of K).
  const allocated = new Uint8Array(g.size);
  let gradients = 0;
  const steps: { v: number; cutFree: number }[] = [];
  for (let v = g.loss; v >= 0; v--) {
    if (g.isSource[v] === 1) continue;
    let fresh = 0;
    for (const u of g.inputs[v] as readonly number[]) {
      if (g.isSource[u] === 0 && allocated[u] === 0) fresh += g.gradBytes[u] as number;
    }
    const reads = needed(g, v).reduce((sum, u) => sum + (g.bytes[u] as number), 0);
    const cutFree =
      instance.fixedBytes + gradients + fresh + (g.bwdTemp[v] as number) + (g.tapeBytes[v] as number) + reads;
    steps.push({ v, cutFree });
    for (const u of g.inputs[v] as readonly number[]) {
      if (g.isSource[u] === 0 && allocated[u] === 0) {
        allocated[u] = 1;
        gradients += g.gradBytes[u] as number;
      }
    }
    if (allocated[v] === 1) gradients -= g.gradBytes[v] as number;
  }
  // Later reads: targets for step v are what the steps w < v read (or must rebuild, for a tape).
  const laterTargets = new Map<number, Uint8Array>();
  const targets = new Uint8Array(g.size);
  let rootBytes = 0;
  for (let u = 0; u < g.size; u++) if (g.recomputable[u] === 0) rootBytes += g.bytes[u] as number;
  for (let v = 0; v < g.size; v++) {
    if (g.isSource[v] === 1) continue;
    laterTargets.set(v, Uint8Array.from(targets));
    for (const u of needed(g, v)) targets[u] = 1;
    if ((g.tapeBytes[v] as number) > 0) for (const u of g.inputs[v] as readonly number[]) targets[u] = 1;
  }
  let cuts = 0;
  steps.sort((a, b) => b.cutFree - a.cutFree);
  for (const { v, cutFree } of steps) {
    bound = Math.max(bound, cutFree);
    if (cuts >= maxCuts || cutFree + rootBytes <= bound) continue;
    const free = new Uint8Array(g.size);
    for (const u of needed(g, v)) free[u] = 1;
    bound = Math.max(bound, cutFree + separatorBytes(g, laterTargets.get(v) as Uint8Array, free));
    cuts++;
  }
  return { bytes: bound, cuts };
}
