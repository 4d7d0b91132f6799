/**
 * Values flowing through an imported ONNX graph: a tensor's shape and element type, whether it is an
 * activation (the output of a node that becomes an instance node, or a graph input) or a constant (an
 * initializer, a Constant, or anything computed from constants only), and for small integer
 * constants their values (Reshape's shape, Slice's starts, ...).
 */

import type { OnnxTensor } from "./model.js";

/** One tensor of the graph. */
export interface Value {
  readonly shape: readonly number[];
  /** TensorProto.DataType. */
  readonly dtype: number;
  /** The instance node that produces it, for activations; undefined for constants. */
  readonly node?: string;
  /** Known values of an integer constant (int64, int32). */
  readonly data?: readonly number[];
  /** The initializer it is, when it is one (parameters count in fixedBytes). */
  readonly initializer?: string;
}

/** TensorProto.DataType -> bytes per element, for every type with a fixed width. */
export const DTYPE_BYTES: Readonly<Record<number, number>> = {
  1: 4, // float
  2: 1, // uint8
  3: 1, // int8
  4: 2, // uint16
  5: 2, // int16
  6: 4, // int32
  7: 8, // int64
  9: 1, // bool
  10: 2, // float16
  11: 8, // double
  12: 4, // uint32
  13: 8, // uint64
  16: 2, // bfloat16
  17: 1, // float8e4m3fn
  18: 1, // float8e4m3fnuz
  19: 1, // float8e5m2
  20: 1, // float8e5m2fnuz
};

/** The floating types, whose initializers are learned parameters. */
export const FLOAT_TYPES: ReadonlySet<number> = new Set([1, 10, 11, 16]);

export const FLOAT = 1;
export const INT32 = 6;
export const INT64 = 7;
export const BOOL = 9;

/** Elements of a tensor of `shape` (1 for a scalar). */
export function count(shape: readonly number[]): number {
  return shape.reduce((product, size) => product * size, 1);
}

/** Exact bytes of a value. */
export function valueBytes(value: Pick<Value, "shape" | "dtype">): number {
  return count(value.shape) * (DTYPE_BYTES[value.dtype] ?? 4);
}

/** Numpy-style broadcast of shapes, or undefined when they do not broadcast. */
export function broadcast(shapes: readonly (readonly number[])[]): number[] | undefined {
  const rank = Math.max(0, ...shapes.map((shape) => shape.length));
  const out: number[] = [];
  for (let axis = 0; axis < rank; axis++) {
    let size = 1;
    for (const shape of shapes) {
      const dim = shape[shape.length - rank + axis] ?? 1;
      if (dim === 1) continue;
      if (size !== 1 && size !== dim) return undefined;
      size = dim;
    }
    out.push(size);
  }
  return out;
}

/** `{ data }` for a small tensor whose values are readable, else `{}`. */
export function known(tensor: OnnxTensor): { data?: readonly number[] } {
  const data = count(tensor.dims) <= 64 ? smallValues(tensor) : undefined;
  return data === undefined ? {} : { data };
}

/**
 * The values of a small int64, int32 or float32 tensor (raw little-endian data or the typed fields);
 * undefined for other types or when the data is elsewhere.
 */
function smallValues(tensor: OnnxTensor): number[] | undefined {
  if (tensor.intData !== undefined) return [...tensor.intData];
  if (tensor.floatData !== undefined) return [...tensor.floatData];
  const raw = tensor.raw;
  const width = tensor.dataType === INT64 ? 8 : tensor.dataType === INT32 || tensor.dataType === 1 ? 4 : 0;
  if (raw === undefined || width === 0 || raw.length !== width * count(tensor.dims)) return undefined;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const values: number[] = [];
  for (let at = 0; at + width <= raw.length; at += width)
    values.push(
      width === 8
        ? Number(view.getBigInt64(at, true))
        : tensor.dataType === 1
          ? view.getFloat32(at, true)
          : view.getInt32(at, true),
    );
  return values;
}
