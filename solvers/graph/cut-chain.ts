/**
 * The block chain of a DAG at its cut points (src/graph/cut-points.ts): one lower set per cut point c
 * before the loss, L_c = every node up to c, so block i holds the nodes between two consecutive cuts (a
 * residual, inception or dense block) and chain-dp on the block chain (coarse-chain.ts) checkpoints
 * whole blocks. The pipeline's stage menu (solvers/pipeline/stage-menu.ts) uses it for the stages of an
 * op-level graph. Undefined when the route does not apply (a node with a tape, fewer than two cuts, or
 * sizes beyond the parser's). O(n + m) per lower set.
 */
import { cutPoints } from "../../src/graph/cut-points.js";
import { graphOf, type InstanceGraph } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";
import { type BlockChain, blockChainApplies, blockChainOf } from "./coarse-chain.js";
import type { LowerSet } from "./lower-sets.js";

const cache = new WeakMap<Instance, BlockChain | null>();

/** The cut-point block chain of `instance` (cached), or undefined when it does not apply. */
export function cutPointChain(instance: Instance): BlockChain | undefined {
  const known = cache.get(instance);
  if (known !== undefined) return known ?? undefined;
  const g = graphOf(instance);
  const cuts = cutPoints(g).filter((c) => c !== g.loss);
  const chain =
    blockChainApplies(g) && cuts.length >= 1
      ? blockChainOf(
          instance,
          g,
          cuts.map((c) => lowerSetUpTo(g, c)),
        )
      : undefined;
  cache.set(instance, chain ?? null);
  return chain;
}

/** L_c: every node with index at most c (closed under inputs: nodes are in topological order). */
function lowerSetUpTo(g: InstanceGraph, c: number): LowerSet {
  const members = new Uint8Array(g.size);
  let bytes = 0;
  const boundary: number[] = [];
  for (let v = 0; v <= c; v++) {
    members[v] = 1;
    bytes += g.bytes[v] as number;
    if ((g.consumers[v] as readonly number[]).some((w) => w > c)) boundary.push(v);
  }
  const cutValue = boundary.reduce((sum, v) => sum + (g.bytes[v] as number), 0);
  return { members, bytes, boundary, cutValue };
}
