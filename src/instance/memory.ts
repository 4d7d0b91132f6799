/**
 * Reading an instance's optional `memory` block: what `fixedBytes` is made of, as Sohoni et al. (2019)
 * split training memory: the weights, their gradients and the optimizer's state (momentum, Adam's two
 * moments). The three must add up to `fixedBytes` exactly; an instance without the block keeps its
 * meaning, and a breakdown of it says that the split of `fixedBytes` is unknown.
 */
import { type Checker, join } from "./checker.js";
import type { MemoryParts } from "./types.js";

/** The fields of the `memory` block, in the order they are written. */
export const MEMORY_FIELDS = ["weights", "gradients", "optimizer"] as const;

/**
 * Reads `memory` (absent: undefined): an object with `weights`, `gradients` and `optimizer`, each a
 * size in bytes and required, whose sum must equal `fixedBytes`.
 * Issues: `type` (not an object), `unknown-field`, `required` / `type` / `negative` / `not-integer` /
 * `too-large` for a part, `bad-value` at `memory` when the parts do not add up to `fixedBytes`.
 */
export function readMemory(check: Checker, value: unknown, fixedBytes: number): MemoryParts | undefined {
  if (value === undefined) return undefined;
  const record = check.object(value, "memory");
  if (record === undefined) return undefined;
  check.knownFields(record, "memory", MEMORY_FIELDS);
  const before = check.issues.length;
  const parts: MemoryParts = {
    weights: check.amount(record.weights, join("memory", "weights"), { kind: "bytes" }),
    gradients: check.amount(record.gradients, join("memory", "gradients"), { kind: "bytes" }),
    optimizer: check.amount(record.optimizer, join("memory", "optimizer"), { kind: "bytes" }),
  };
  if (check.issues.length > before) return undefined;
  const sum = parts.weights + parts.gradients + parts.optimizer;
  if (sum !== fixedBytes)
    check.add(
      "bad-value",
      "memory",
      `weights + gradients + optimizer equal to fixedBytes (${fixedBytes})`,
      sum,
    );
  return parts;
}
