/** Constants of an imported graph: Constant nodes' values, and the values of nodes folded from constants alone. */
import type { OnnxNode } from "./model.js";
import { INT64, known, type Value } from "./values.js";

/** The value of a Constant node (a tensor, or an int / float scalar or list), or undefined when it has none. */
export function constantValue(node: OnnxNode): Value | undefined {
  const tensor = node.attributes.find((attribute) => attribute.name === "value")?.t;
  const scalar = node.attributes.find((attribute) => attribute.name.startsWith("value_"));
  if (tensor !== undefined) return { shape: tensor.dims, dtype: tensor.dataType, ...known(tensor) };
  if (scalar?.ints !== undefined || scalar?.i !== undefined) {
    const data = scalar.ints ?? [scalar.i as number];
    return { shape: scalar.ints === undefined ? [] : [data.length], dtype: INT64, data };
  }
  if (scalar?.floats !== undefined || scalar?.f !== undefined) {
    const data = scalar.floats ?? [scalar.f as number];
    return { shape: scalar.floats === undefined ? [] : [data.length], dtype: 1, data };
  }
  return undefined;
}

/** Ops whose output holds the same values as their first input (only the shape changes). */
const VALUE_PRESERVING = new Set(["Identity", "Cast", "Reshape", "Squeeze", "Unsqueeze", "Flatten"]);

/**
 * The values of a folded node's output when cheap to know: value-preserving ops, Concat of known 1-D
 * values, Gather of known values at known indices (the shape arithmetic of dynamic-shape exports).
 */
export function foldedData(
  node: OnnxNode,
  inputs: readonly (Value | undefined)[],
): readonly number[] | undefined {
  const first = inputs[0]?.data;
  if (VALUE_PRESERVING.has(node.opType)) return first;
  if (
    node.opType === "Concat" &&
    inputs.every((value) => value?.data !== undefined && value.shape.length <= 1)
  )
    return inputs.flatMap((value) => [...(value?.data ?? [])]);
  const indices = inputs[1]?.data;
  if (
    node.opType === "Gather" &&
    first !== undefined &&
    indices !== undefined &&
    inputs[0]?.shape.length === 1
  )
    return indices.map((index) => first[index < 0 ? index + first.length : index] as number);
  return undefined;
}
