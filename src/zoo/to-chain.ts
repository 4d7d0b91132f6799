/**
 * ZooGraph -> block-level chain instance: one node per block (residual block, dense layer, Transformer
 * layer, ...), in order, each reading the previous one (rotor's chain model, DESIGN.md "Chain view").
 *
 * Stage `i`'s activation is its **boundary**: every tensor made in blocks `<= i` and read by a block
 * `> i` (usually the block's output alone; U-Net's skip tensors and the labels are carried along, so
 * they count once per resident boundary, a pessimistic bound). Per stage:
 * - `bytes` = bytes of the boundary;
 * - `tapeBytes` = bytes of the block's other activations that its ops' backward passes read (their
 *   `needs`), the intermediates a forward with tape keeps;
 * - `fwd`, `bwd` = sums over the block's ops of the op-level times;
 * - `fwdTemp` = the peak of the block's forward over what stays allocated after it (found by running the
 *   block's ops in order, freeing each intermediate after its last reader), the larger of the two modes,
 *   without tape and with tape; safe for both, so with tape it may count part of the tape twice (one
 *   `fwdTemp` serves both modes in the cost model);
 * - `bwdTemp` = the peak of the gradients of the block's intermediates plus the running op's workspace,
 *   found by running the block's backward in reverse order;
 * - `needs` both (rotor's model); the data block (input and labels) is not recomputable.
 * The block-level instance carries no `model`: the simulator runs op-level graphs only.
 */
import { InternalError } from "../errors.js";
import { INPUT_BLOCK } from "./builder.js";
import {
  checked,
  fixedBytesOf,
  type InstanceDocument,
  memoryOf,
  type NodeDocument,
  provenance,
  type ZooInstanceOptions,
} from "./document.js";
import { needsOf } from "./ops/backward.js";
import { PCIE3_X16, roundMs } from "./roofline.js";
import { toOpDocument } from "./to-instance.js";
import type { ZooGraph, ZooOp } from "./types.js";

/** The block-level chain instance document of `graph` (validated with parseInstance). */
export function toBlockDocument(graph: ZooGraph, options: ZooInstanceOptions = {}): InstanceDocument {
  const opNodes = new Map(toOpDocument(graph, options).nodes.map((node) => [node.id, node]));
  const blocks = blocksOf(graph);
  const blockOf = new Map<string, number>();
  blocks.forEach((ops, index) => {
    for (const op of ops) blockOf.set(op.id, index);
  });
  const lastReader = new Map<string, number>();
  for (const op of graph.ops)
    for (const input of op.inputs)
      lastReader.set(input, Math.max(lastReader.get(input) ?? 0, blockOf.get(op.id) as number));
  const loss = graph.ops[graph.ops.length - 1] as ZooOp;
  const boundaryOf = (index: number): ZooOp[] =>
    index === blocks.length - 1
      ? [loss]
      : graph.ops.filter(
          (op) => (blockOf.get(op.id) as number) <= index && (lastReader.get(op.id) ?? -1) > index,
        );
  const node = (id: string) => opNodes.get(id) as NodeDocument;

  const nodes = blocks.map((ops, index): NodeDocument => {
    const name = ops[0]?.block as string;
    const boundary = boundaryOf(index);
    const bytes = boundary.reduce((sum, op) => sum + node(op.id).bytes, 0);
    if (index === 0)
      return { id: name, fwd: 0, bwd: 0, bytes, recomputable: false, meta: { ops: ops.length } };
    const outputs = new Set(boundary.filter((op) => blockOf.get(op.id) === index).map((op) => op.id));
    const tape = tapeOf(ops, outputs);
    const sum = (pick: (n: NodeDocument) => number) =>
      ops.reduce((total, op) => total + pick(node(op.id)), 0);
    const outputBytes = [...outputs].reduce((total, id) => total + node(id).bytes, 0);
    const tapeBytes = [...tape].reduce((total, id) => total + node(id).bytes, 0);
    const fwdTemp = Math.max(
      0,
      forwardPeak(ops, outputs, node) - outputBytes,
      forwardPeak(ops, new Set([...outputs, ...tape]), node) - outputBytes - tapeBytes,
    );
    const bwdTemp = backwardPeak(ops, outputs, node);
    return {
      id: name,
      fwd: roundMs(sum((n) => n.fwd)),
      bwd: roundMs(sum((n) => n.bwd)),
      bytes,
      inputs: [blocks[index - 1]?.[0]?.block as string],
      ...(tapeBytes > 0 ? { tapeBytes } : {}),
      ...(fwdTemp > 0 ? { fwdTemp } : {}),
      ...(bwdTemp > 0 ? { bwdTemp } : {}),
      meta: { ops: ops.length, outputs: boundary.map((op) => op.id) },
    };
  });
  return checked({
    format: "remat-instance/1",
    name: options.name ?? `${graph.zoo}-block`,
    source: provenance(
      graph,
      options,
      "Block level: a chain, one node per block; bytes = the block's boundary tensors, tapeBytes = its other activations its backward reads, fwd/bwd = sums of the op-level times, temporaries = peaks of the block's own forward and backward (src/zoo/to-chain.ts).",
    ),
    fixedBytes: fixedBytesOf(graph, options.optimizer ?? "sgd"),
    memory: memoryOf(graph, options.optimizer ?? "sgd"),
    hardware: PCIE3_X16,
    nodes,
  });
}

/** The graph's ops grouped by block, in order; the first block holds the data sources. */
function blocksOf(graph: ZooGraph): ZooOp[][] {
  const blocks: ZooOp[][] = [];
  const seen = new Set<string>();
  for (const op of graph.ops) {
    const current = blocks[blocks.length - 1];
    if (current !== undefined && current[0]?.block === op.block) current.push(op);
    else if (seen.has(op.block)) throw new InternalError(`${graph.zoo}: block ${op.block} is not contiguous`);
    else {
      seen.add(op.block);
      blocks.push([op]);
    }
  }
  if (blocks[0]?.[0]?.block !== INPUT_BLOCK || blocks[0].some((op) => op.type !== "input"))
    throw new InternalError(`${graph.zoo}: the first block must hold the data sources only`);
  return blocks;
}

/** The block's ops, other than its outputs, whose activation a backward in the block reads. */
function tapeOf(ops: readonly ZooOp[], outputs: ReadonlySet<string>): Set<string> {
  const inBlock = new Set(ops.map((op) => op.id));
  const tape = new Set<string>();
  for (const op of ops) {
    const needs = needsOf(op.type);
    if (needs.includes("output") && !outputs.has(op.id)) tape.add(op.id);
    if (needs.includes("inputs"))
      for (const input of op.inputs) if (inBlock.has(input) && !outputs.has(input)) tape.add(input);
  }
  return tape;
}

/** Peak bytes of the block's own activations while its forward runs, keeping `kept`, freeing the rest after their last reader. */
function forwardPeak(
  ops: readonly ZooOp[],
  kept: ReadonlySet<string>,
  node: (id: string) => NodeDocument,
): number {
  const readersLeft = readerCounts(ops);
  let live = 0;
  let peak = 0;
  for (const op of ops) {
    live += node(op.id).bytes;
    peak = Math.max(peak, live + (node(op.id).fwdTemp ?? 0));
    for (const input of op.inputs) {
      if (!readersLeft.has(input)) continue;
      const left = (readersLeft.get(input) as number) - 1;
      readersLeft.set(input, left);
      if (left === 0 && !kept.has(input)) live -= node(input).bytes;
    }
  }
  return peak;
}

/** For each op of the block, how many ops of the block read its output. */
function readerCounts(ops: readonly ZooOp[]): Map<string, number> {
  const readers = new Map<string, number>(ops.map((op) => [op.id, 0]));
  for (const op of ops)
    for (const input of op.inputs) if (readers.has(input)) readers.set(input, (readers.get(input) ?? 0) + 1);
  return readers;
}

/** Peak bytes of the gradients of the block's intermediates plus the running op's workspace, backward in reverse order. */
function backwardPeak(
  ops: readonly ZooOp[],
  outputs: ReadonlySet<string>,
  node: (id: string) => NodeDocument,
): number {
  const internal = new Set(ops.filter((op) => !outputs.has(op.id)).map((op) => op.id));
  const allocated = new Set<string>();
  let live = 0;
  let peak = 0;
  for (const op of [...ops].reverse()) {
    let fresh = 0;
    for (const input of op.inputs) {
      if (!internal.has(input) || allocated.has(input)) continue;
      allocated.add(input);
      fresh += node(input).bytes;
    }
    peak = Math.max(peak, live + fresh + (node(op.id).bwdTemp ?? 0));
    live += fresh;
    if (internal.has(op.id)) live -= node(op.id).bytes;
  }
  return peak;
}
