/**
 * Generated instance families for tests and benchmarks: random heterogeneous chains, random layered
 * DAGs and random series-parallel DAGs. Each instance records its generator and seed in `source`.
 */
import type { NodeDocument } from "../instance/document.js";
import { parseInstance } from "../instance/parse.js";
import type { Instance } from "../instance/types.js";
import { type Random, seededRandom } from "./random.js";

/** Ranges for the random costs of generated nodes. */
export interface CostRanges {
  /** Forward time range, ms (integers, so sums are exact). */
  readonly fwd: readonly [number, number];
  readonly bwd: readonly [number, number];
  /** Activation size range, bytes. */
  readonly bytes: readonly [number, number];
  /** Chance that a node has a nonzero tape (coarse stages). */
  readonly tapeChance: number;
  /** Chance that a node has nonzero temporaries. */
  readonly tempChance: number;
  /** Chance that a node's backward reads only its output (ReLU-like) or only its inputs (conv-like). */
  readonly partialNeedsChance: number;
}

export const DEFAULT_COSTS: CostRanges = {
  fwd: [1, 10],
  bwd: [1, 20],
  bytes: [1, 100],
  tapeChance: 0,
  tempChance: 0.3,
  partialNeedsChance: 0.3,
};

function randomNode(random: Random, id: string, inputs: string[], costs: CostRanges): NodeDocument {
  const node: NodeDocument = {
    id,
    fwd: random.integer(...costs.fwd),
    bwd: random.integer(...costs.bwd),
    bytes: random.integer(...costs.bytes),
    inputs,
  };
  if (random.next() < costs.tapeChance) node.tapeBytes = random.integer(...costs.bytes);
  if (random.next() < costs.tempChance) {
    node.fwdTemp = random.integer(0, costs.bytes[1]);
    node.bwdTemp = random.integer(0, costs.bytes[1]);
  }
  if (random.next() < costs.partialNeedsChance) node.needs = random.next() < 0.5 ? ["output"] : ["inputs"];
  return node;
}

function inputNode(random: Random, costs: CostRanges): NodeDocument {
  return { id: "x", fwd: 0, bwd: 0, bytes: random.integer(...costs.bytes), recomputable: false };
}

function finish(name: string, source: string, nodes: NodeDocument[]): Instance {
  return parseInstance({ format: "remat-instance/1", name, source, fixedBytes: 0, nodes });
}

/**
 * A random heterogeneous chain: input `x`, stages `s1..sL`, the last stage being the loss.
 * @param length number of stages L >= 1
 */
export function randomChain(seed: number, length: number, costs: CostRanges = DEFAULT_COSTS): Instance {
  const random = seededRandom(seed);
  const nodes: NodeDocument[] = [inputNode(random, costs)];
  for (let l = 1; l <= length; l++)
    nodes.push(randomNode(random, `s${l}`, [nodes[l - 1]?.id as string], costs));
  return finish(`chain-${length}-seed${seed}`, `randomChain(seed=${seed}, length=${length})`, nodes);
}

/**
 * A random layered DAG: `layers` layers of up to `width` nodes; each node reads 1..maxInputs nodes of
 * the previous `reach` layers (at least one of the layer just before), and every node without a
 * consumer feeds the loss, so there is exactly one sink.
 */
export function randomLayeredDag(
  seed: number,
  layers: number,
  width: number,
  options: { readonly reach?: number; readonly maxInputs?: number; readonly costs?: CostRanges } = {},
): Instance {
  const random = seededRandom(seed);
  const costs = options.costs ?? DEFAULT_COSTS;
  const reach = options.reach ?? 2;
  const maxInputs = options.maxInputs ?? 3;
  const nodes: NodeDocument[] = [inputNode(random, costs)];
  const byLayer: string[][] = [["x"]];
  for (let layer = 1; layer <= layers; layer++) {
    const count = random.integer(1, width);
    const ids: string[] = [];
    for (let k = 0; k < count; k++) {
      const pool = byLayer.slice(Math.max(0, layer - reach)).flat();
      const previous = byLayer[layer - 1] as string[];
      const inputs = new Set([previous[random.integer(0, previous.length - 1)] as string]);
      const extra = random.integer(0, maxInputs - 1);
      for (let e = 0; e < extra; e++) inputs.add(pool[random.integer(0, pool.length - 1)] as string);
      const id = `n${layer}_${k}`;
      nodes.push(randomNode(random, id, [...inputs], costs));
      ids.push(id);
    }
    byLayer.push(ids);
  }
  const consumed = new Set(nodes.flatMap((node) => node.inputs ?? []));
  const sinks = nodes.filter((node) => !consumed.has(node.id)).map((node) => node.id);
  nodes.push(randomNode(random, "loss", sinks, costs));
  return finish(
    `layered-${layers}x${width}-seed${seed}`,
    `randomLayeredDag(seed=${seed}, layers=${layers}, width=${width}, reach=${reach}, maxInputs=${maxInputs})`,
    nodes,
  );
}

/** A block to build: about `budget` nodes reading `from`. */
interface BlockCall {
  readonly from: string;
  readonly budget: number;
}

/** A pending step of {@link seriesParallelBlocks}: the rest of a series block, or a parallel block's branches. */
type BlockFrame =
  | { readonly kind: "series"; readonly rest: number }
  | {
      readonly kind: "parallel";
      readonly from: string;
      readonly share: number;
      readonly branches: number;
      readonly outputs: string[];
    };

/**
 * The block builder of {@link randomSeriesParallel}: `block(from, budget)` emits a block of about `budget`
 * nodes reading `from` and returns its output id. A block of one node is a fresh node; otherwise, by a coin
 * flip, two blocks in series (split at a random point) or 2-3 blocks in parallel joined by a fresh node.
 * Written with an explicit stack (series splits nest as deep as the size), drawing the random numbers in
 * the order the recursive definition does, so that a seed gives the same graph.
 */
function seriesParallelBlocks(
  random: ReturnType<typeof seededRandom>,
  fresh: (inputs: string[]) => string,
): (from: string, budget: number) => string {
  return (from, budget) => {
    const stack: BlockFrame[] = [];
    let result = "";
    // Starts block `next`: a leaf sets `result`; otherwise its frame is pushed and its first part returned.
    const open = (next: BlockCall): BlockCall | undefined => {
      if (next.budget <= 1) {
        result = fresh([next.from]);
        return undefined;
      }
      if (random.next() < 0.5) {
        const first = random.integer(1, next.budget - 1);
        stack.push({ kind: "series", rest: next.budget - first });
        return { from: next.from, budget: first };
      }
      const branches = random.integer(2, Math.min(3, next.budget));
      const share = Math.max(1, Math.floor((next.budget - 1) / branches));
      stack.push({ kind: "parallel", from: next.from, share, branches, outputs: [] });
      return { from: next.from, budget: share };
    };
    // A part of `frame` ended with `result`: the frame's next part, or none when the frame is done.
    const close = (frame: BlockFrame): BlockCall | undefined => {
      if (frame.kind === "series") return { from: result, budget: frame.rest };
      frame.outputs.push(result);
      if (frame.outputs.length < frame.branches) {
        stack.push(frame);
        return { from: frame.from, budget: frame.share };
      }
      result = fresh([...new Set(frame.outputs)]);
      return undefined;
    };
    let call: BlockCall | undefined = { from, budget };
    for (;;) {
      if (call !== undefined) {
        call = open(call);
        continue;
      }
      const frame = stack.pop();
      if (frame === undefined) return result;
      call = close(frame);
    }
  };
}

/**
 * A random series-parallel DAG with about `size` operation nodes: built by recursively composing
 * blocks in series or in parallel (branches that fork from one node and join at an add-like node),
 * the shape of residual, inception and multi-branch networks.
 */
export function randomSeriesParallel(
  seed: number,
  size: number,
  costs: CostRanges = DEFAULT_COSTS,
): Instance {
  const random = seededRandom(seed);
  const nodes: NodeDocument[] = [inputNode(random, costs)];
  let counter = 0;
  const fresh = (inputs: string[]): string => {
    counter++;
    const id = `v${counter}`;
    nodes.push(randomNode(random, id, inputs, costs));
    return id;
  };
  const block = seriesParallelBlocks(random, fresh);
  const out = block("x", Math.max(1, size - 1));
  nodes.push(randomNode(random, "loss", [out], costs));
  return finish(
    `series-parallel-${size}-seed${seed}`,
    `randomSeriesParallel(seed=${seed}, size=${size})`,
    nodes,
  );
}
