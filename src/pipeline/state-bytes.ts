/**
 * Per-node state bytes (parameters, their gradients, optimizer state) for a pipeline problem: which
 * device holds which part of `fixedBytes` (proofs/pipeline-model.md, "State").
 */
import { describeValue, InputError, type InputIssue } from "../errors.js";
import type { Instance } from "../instance/types.js";

/**
 * The state bytes of each node of `instance`, indexed as its nodes, summing to `fixedBytes` exactly.
 * Given per node id (`given`, ids absent count 0), they must sum to `fixedBytes`. Without them the
 * instance does not say where its parameters live, so `fixedBytes` is split over the nodes in
 * proportion to their forward + backward time (a dense layer's time and its parameter count grow
 * together; the rounding remainder goes to the node with the most time); the result records which.
 * @throws InputError (path `stateBytes[ID]`) for unknown ids, negative or non-integer bytes, or a sum
 *   other than `fixedBytes`
 */
export function stateBytesOf(instance: Instance, given?: Readonly<Record<string, number>>): number[] {
  return given === undefined ? proportional(instance) : fromGiven(instance, given);
}

function fromGiven(instance: Instance, given: Readonly<Record<string, number>>): number[] {
  const issues: InputIssue[] = [];
  const index = new Map(instance.nodes.map((node, i) => [node.id, i] as const));
  const bytes = instance.nodes.map(() => 0);
  for (const [id, value] of Object.entries(given)) {
    const at = index.get(id);
    if (at === undefined)
      issues.push({
        code: "unknown-id",
        path: `stateBytes[${id}]`,
        expected: "a node id of the instance",
        received: describeValue(id),
      });
    else if (!Number.isSafeInteger(value) || value < 0)
      issues.push({
        code: "bad-value",
        path: `stateBytes[${id}]`,
        expected: "a non-negative integer (bytes)",
        received: describeValue(value),
      });
    else bytes[at] = value;
  }
  const sum = bytes.reduce((a, b) => a + b, 0);
  if (issues.length === 0 && sum !== instance.fixedBytes)
    issues.push({
      code: "bad-value",
      path: "stateBytes",
      expected: `bytes summing to fixedBytes = ${instance.fixedBytes}`,
      received: String(sum),
    });
  if (issues.length > 0) throw new InputError("stateBytesOf", issues, instance.name);
  return bytes;
}

function proportional(instance: Instance): number[] {
  const work = instance.nodes.map((node) => node.fwd + node.bwd);
  const total = work.reduce((a, b) => a + b, 0);
  const n = instance.nodes.length;
  if (total === 0) {
    const bytes = instance.nodes.map(() => 0);
    bytes[n - 1] = instance.fixedBytes;
    return bytes;
  }
  const bytes = work.map((w) => Math.floor((instance.fixedBytes * w) / total));
  let heaviest = 0;
  for (let v = 1; v < n; v++) if ((work[v] as number) > (work[heaviest] as number)) heaviest = v;
  bytes[heaviest] = (bytes[heaviest] as number) + instance.fixedBytes - bytes.reduce((a, b) => a + b, 0);
  return bytes;
}
