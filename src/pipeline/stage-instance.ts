/**
 * The sub-instance a pipeline stage runs (proofs/pipeline-model.md, "Stages"): nodes `first..last` of a
 * chain, with what crosses the stage's boundaries made explicit so that the single-device evaluator
 * counts it.
 * - Stage 0 starts at the chain's own input (node 0). A later stage starts with a source `pipe.src`
 *   (0 bytes) and `pipe.recv`, the activation received from the previous stage (the bytes and gradient
 *   bytes of node `first - 1`, not recomputable, backward reads nothing): `F pipe.recv` allocates it,
 *   the stage's first backward adds into its gradient, and `B pipe.recv` (0 ms) is when that gradient
 *   is sent back and freed.
 * - A stage that does not end at the loss ends with a sink `pipe.sink` (0 bytes, reads node `last`,
 *   backward reads nothing): `B pipe.sink` is when the gradient of node `last` arrives from the next
 *   stage (it allocates it); the stage's schedule starts its backward part there.
 * The stage's `fixedBytes` is its state (the sum of `stateBytes` over its nodes). O(last - first).
 */
import { InputError } from "../errors.js";
import type { InstanceDocument, NodeDocument } from "../instance/document.js";
import { parseInstance } from "../instance/parse.js";
import type { Instance, InstanceNode } from "../instance/types.js";

/** Id of the zero-byte source before a received activation. */
export const STAGE_SOURCE_ID = "pipe.src";
/** Id of the received activation at the head of a stage after the first. */
export const STAGE_RECEIVE_ID = "pipe.recv";
/** Id of the zero-byte sink at the tail of a stage before the last. */
export const STAGE_SINK_ID = "pipe.sink";

const cache = new WeakMap<Instance, Map<string, Instance>>();

/**
 * The sub-instance of the stage holding nodes `first..last` of `instance` (a chain), with `stateBytes`
 * as its fixedBytes. Cached per (instance, first, last, stateBytes).
 * @throws InputError (code `option`, path `stage`) when the range is not within the chain's nodes 1..L
 *   or a node id collides with the boundary nodes' ids
 */
export function stageInstance(instance: Instance, first: number, last: number, stateBytes: number): Instance {
  const key = `${first}:${last}:${stateBytes}`;
  const known = cache.get(instance)?.get(key);
  if (known !== undefined) return known;
  const built = buildStage(instance, first, last, stateBytes);
  const map = cache.get(instance) ?? new Map<string, Instance>();
  map.set(key, built);
  cache.set(instance, map);
  return built;
}

function buildStage(instance: Instance, first: number, last: number, stateBytes: number): Instance {
  const n = instance.nodes.length;
  if (!Number.isInteger(first) || !Number.isInteger(last) || first < 1 || last < first || last > n - 1)
    throw new InputError("stageInstance", [
      {
        code: "option",
        path: "stage",
        expected: `node indices 1 <= first <= last <= ${n - 1}`,
        received: `first ${first}, last ${last}`,
      },
    ]);
  const reserved = new Set([STAGE_SOURCE_ID, STAGE_RECEIVE_ID, STAGE_SINK_ID]);
  const clash = instance.nodes.find((node) => reserved.has(node.id));
  if (clash !== undefined)
    throw new InputError(
      "stageInstance",
      [{ code: "bad-value", path: "nodes", expected: "no node id starting with pipe.", received: clash.id }],
      instance.name,
    );
  const nodes: NodeDocument[] =
    first === 1
      ? [nodeDocument(instance.nodes[0] as InstanceNode, undefined)]
      : head(instance.nodes[first - 1] as InstanceNode);
  for (let v = first; v <= last; v++) {
    const node = instance.nodes[v] as InstanceNode;
    nodes.push(nodeDocument(node, nodes[nodes.length - 1]?.id));
  }
  if (last < n - 1) {
    const tail = instance.nodes[last] as InstanceNode;
    nodes.push({ id: STAGE_SINK_ID, fwd: 0, bwd: 0, bytes: 0, inputs: [tail.id], needs: [] });
  }
  const document: InstanceDocument = {
    format: "remat-instance/1",
    name: `${instance.name}[${first}..${last}]`,
    source: `stage ${first}..${last} of ${instance.name} (src/pipeline/stage-instance.ts)`,
    fixedBytes: stateBytes,
    nodes,
  };
  if (instance.hardware !== undefined) document.hardware = { ...instance.hardware };
  return parseInstance(document);
}

/** The source and received activation that open a stage after the first. */
function head(previous: InstanceNode): NodeDocument[] {
  return [
    { id: STAGE_SOURCE_ID, fwd: 0, bwd: 0, bytes: 0, recomputable: false },
    {
      id: STAGE_RECEIVE_ID,
      fwd: 0,
      bwd: 0,
      bytes: previous.bytes,
      gradBytes: previous.gradBytes,
      inputs: [STAGE_SOURCE_ID],
      needs: [],
      recomputable: false,
      offloadable: previous.offloadable,
    },
  ];
}

/** `node` as a document reading `input` (none for the chain's own input). */
function nodeDocument(node: InstanceNode, input: string | undefined): NodeDocument {
  const document: NodeDocument = {
    id: node.id,
    fwd: node.fwd,
    bwd: node.bwd,
    bytes: node.bytes,
    gradBytes: node.gradBytes,
    needs: [...node.needs],
    tapeBytes: node.tapeBytes,
    fwdTemp: node.fwdTemp,
    bwdTemp: node.bwdTemp,
    recomputable: node.recomputable,
    offloadable: node.offloadable,
    elementBytes: node.elementBytes,
    density: node.density,
  };
  if (input !== undefined) document.inputs = [input];
  if (Object.keys(node.storage).length > 0) document.storage = { ...node.storage };
  return document;
}
