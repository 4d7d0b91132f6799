/**
 * An indexed view of an instance for algorithms: node positions instead of ids, adjacency lists both
 * ways, and the cost fields as typed arrays. Built once per instance and cached.
 */
import type { Instance } from "./types.js";

/** Index-based view of an instance; node `i` is `instance.nodes[i]`, so indices follow the topological order. */
export interface InstanceGraph {
  readonly size: number;
  readonly ids: readonly string[];
  readonly indexOf: ReadonlyMap<string, number>;
  /** `inputs[v]`: indices of the nodes `v` reads, in argument order. */
  readonly inputs: readonly (readonly number[])[];
  /** `consumers[v]`: indices of the nodes that read `v`, ascending. */
  readonly consumers: readonly (readonly number[])[];
  readonly fwd: Float64Array;
  readonly bwd: Float64Array;
  readonly bytes: Float64Array;
  readonly gradBytes: Float64Array;
  readonly tapeBytes: Float64Array;
  readonly fwdTemp: Float64Array;
  readonly bwdTemp: Float64Array;
  /** 1 where the backward reads the node's inputs. */
  readonly needsInputs: Uint8Array;
  /** 1 where the backward reads the node's own output. */
  readonly needsOutput: Uint8Array;
  readonly recomputable: Uint8Array;
  readonly offloadable: Uint8Array;
  /** 1 for nodes without inputs: they get no gradient and have no backward. */
  readonly isSource: Uint8Array;
  /** Index of the loss, the one node without consumers (listed last). */
  readonly loss: number;
}

const cache = new WeakMap<Instance, InstanceGraph>();

/** The indexed view of `instance` (cached; the instance is frozen, so the view never goes stale). */
export function graphOf(instance: Instance): InstanceGraph {
  const cached = cache.get(instance);
  if (cached !== undefined) return cached;
  const graph = buildGraph(instance);
  cache.set(instance, graph);
  return graph;
}

function buildGraph(instance: Instance): InstanceGraph {
  const { nodes } = instance;
  const size = nodes.length;
  const ids = nodes.map((node) => node.id);
  const indexOf = new Map(ids.map((id, index) => [id, index] as const));
  const inputs = nodes.map((node) => node.inputs.map((id) => indexOf.get(id) ?? -1));
  const consumers: number[][] = nodes.map(() => []);
  inputs.forEach((list, v) => {
    for (const u of list) consumers[u]?.push(v);
  });
  const column = (pick: (index: number) => number) => Float64Array.from({ length: size }, (_, i) => pick(i));
  const flag = (pick: (index: number) => boolean) =>
    Uint8Array.from({ length: size }, (_, i) => (pick(i) ? 1 : 0));
  const node = (i: number) => nodes[i] as Instance["nodes"][number];
  return {
    size,
    ids,
    indexOf,
    inputs,
    consumers,
    fwd: column((i) => node(i).fwd),
    bwd: column((i) => node(i).bwd),
    bytes: column((i) => node(i).bytes),
    gradBytes: column((i) => node(i).gradBytes),
    tapeBytes: column((i) => node(i).tapeBytes),
    fwdTemp: column((i) => node(i).fwdTemp),
    bwdTemp: column((i) => node(i).bwdTemp),
    needsInputs: flag((i) => node(i).needs.includes("inputs")),
    needsOutput: flag((i) => node(i).needs.includes("output")),
    recomputable: flag((i) => node(i).recomputable),
    offloadable: flag((i) => node(i).offloadable),
    isSource: flag((i) => node(i).inputs.length === 0),
    loss: size - 1,
  };
}
