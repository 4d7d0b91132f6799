/**
 * The check behind a fit's search assumption (src/fit/fit.ts): every size of every node, and fixedBytes,
 * nondecreasing in the batch across the probed instances.
 */
import type { Instance } from "../instance/types.js";

const SIZE_FIELDS = ["bytes", "gradBytes", "tapeBytes", "fwdTemp", "bwdTemp"] as const;

/** Whether every size of every node, and fixedBytes, is nondecreasing along `instances` (same nodes). */
export function nondecreasing(instances: readonly Instance[]): boolean {
  for (let k = 1; k < instances.length; k++)
    if (!grows(instances[k - 1] as Instance, instances[k] as Instance)) return false;
  return true;
}

/** Whether `after` has the nodes of `before`, none of their sizes (nor fixedBytes) smaller. */
function grows(before: Instance, after: Instance): boolean {
  if (after.fixedBytes < before.fixedBytes || after.nodes.length !== before.nodes.length) return false;
  return after.nodes.every((node, i) => {
    const old = before.nodes[i];
    return old !== undefined && old.id === node.id && SIZE_FIELDS.every((field) => node[field] >= old[field]);
  });
}
