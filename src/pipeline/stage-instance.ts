/**
 * The sub-instance a pipeline stage runs (proofs/pipeline-model.md, "Stages"): the nodes of the units
 * `first..last` (units.ts; on a chain, nodes `first..last`), with what crosses the stage's boundaries
 * made explicit so that the single-device evaluator counts it.
 * - Stage 0 holds the graph's own input (node 0). A later stage starts with a source `pipe.src`
 *   (0 bytes) and `pipe.recv`, the activation received from the previous stage (the bytes and gradient
 *   bytes of node `first - 1`, a cut point, not recomputable, backward reads nothing): every reader of
 *   node `first - 1` reads `pipe.recv` instead; `F pipe.recv` allocates it, the stage's first backward
 *   adds into its gradient, and `B pipe.recv` (0 ms) is when that gradient is sent back and freed.
 * - The stage's own sources (the input, labels read by the loss) come next, then its other nodes in
 *   the graph's order.
 * - A stage that does not end at the loss ends with a sink `pipe.sink` (0 bytes, reads node `last`,
 *   backward reads nothing): `B pipe.sink` is when the gradient of node `last` arrives from the next
 *   stage (it allocates it); the stage's schedule starts its backward part there.
 * The stage's `fixedBytes` is its state (the sum of `stateBytes` over its nodes). O(n).
 */
import { InputError } from "../errors.js";
import type { InstanceDocument, NodeDocument } from "../instance/document.js";
import { parseInstance } from "../instance/parse.js";
import type { Instance, InstanceNode } from "../instance/types.js";
import { pipelineUnits, stageMembers, unitStartingAt } from "./units.js";

/** Id of the zero-byte source before a received activation. */
export const STAGE_SOURCE_ID = "pipe.src";
/** Id of the received activation at the head of a stage after the first. */
export const STAGE_RECEIVE_ID = "pipe.recv";
/** Id of the zero-byte sink at the tail of a stage before the last. */
export const STAGE_SINK_ID = "pipe.sink";

const cache = new WeakMap<Instance, Map<string, Instance>>();

/**
 * The sub-instance of the stage holding the units `first..last` of `instance`, with `stateBytes` as its
 * fixedBytes. Cached per (instance, first, last, stateBytes).
 * @throws InputError (code `option`, path `stage`) when the range is not within nodes 1..L or does not
 *   start after and end at cut points, or a node id collides with the boundary nodes' ids
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
  checkRange(instance, first, last);
  const reserved = new Set([STAGE_SOURCE_ID, STAGE_RECEIVE_ID, STAGE_SINK_ID]);
  const clash = instance.nodes.find((node) => reserved.has(node.id));
  if (clash !== undefined)
    throw new InputError(
      "stageInstance",
      [{ code: "bad-value", path: "nodes", expected: "no node id starting with pipe.", received: clash.id }],
      instance.name,
    );
  const received = first === 1 ? undefined : (instance.nodes[first - 1] as InstanceNode);
  const nodes: NodeDocument[] = received === undefined ? [] : head(received);
  const members = stageMembers(instance, first, last).map((v) => instance.nodes[v] as InstanceNode);
  const sources = members.filter((node) => node.inputs.length === 0);
  for (const node of [...sources, ...members.filter((node) => node.inputs.length > 0)])
    nodes.push(nodeDocument(node, received?.id));
  const n = instance.nodes.length;
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

/** Refuses a range that is not whole units within nodes 1..L. */
function checkRange(instance: Instance, first: number, last: number): void {
  const n = instance.nodes.length;
  const units = pipelineUnits(instance);
  const within = Number.isInteger(first) && Number.isInteger(last) && first >= 1 && last >= first && last < n;
  if (within && unitStartingAt(units, first) !== 0 && (units.endingAt[last] ?? 0) !== 0) return;
  throw new InputError("stageInstance", [
    {
      code: "option",
      path: "stage",
      expected: `node indices 1 <= first <= last <= ${n - 1}, first right after a cut point (or 1) and last a cut point`,
      received: `first ${first}, last ${last}`,
    },
  ]);
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

/** `node` as a document, its reads of node `received` (the previous stage's output) turned into `pipe.recv`. */
function nodeDocument(node: InstanceNode, received: string | undefined): NodeDocument {
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
  if (node.inputs.length > 0)
    document.inputs = node.inputs.map((id) => (id === received ? STAGE_RECEIVE_ID : id));
  if (Object.keys(node.storage).length > 0) document.storage = { ...node.storage };
  return document;
}
