/** Data-movement ops of the importer's table (src/onnx/ops.ts): concatenation, reshapes, transposes, slices, splits. */
import { type OpContext, type OpReading, shapeOnly, zooOf } from "./op-reading.js";
import { axisOf, reshapeShape, sliceShape } from "./shapes.js";
import { count, type Value } from "./values.js";

/** Concat: the zoo's concat of same-rank inputs. */
export function concat({ inputs, attrs }: OpContext): OpReading | undefined {
  const present = inputs.filter((value): value is Value => value !== undefined);
  const first = present[0];
  if (first === undefined) return undefined;
  const axis = axisOf(attrs.int("axis", 0), first.shape.length);
  if (axis === undefined) return undefined;
  const shape = [...first.shape];
  shape[axis] = 0;
  for (const value of present) {
    if (value.shape.length !== first.shape.length) return undefined;
    if (value.shape.some((size, index) => index !== axis && size !== first.shape[index])) return undefined;
    shape[axis] = (shape[axis] as number) + (value.shape[axis] as number);
  }
  return { outputs: [{ shape, dtype: first.dtype }], zoo: zooOf("concat") };
}

/** Reshape to a known target shape. */
export function reshape({ inputs, attrs }: OpContext): OpReading | undefined {
  const [x, target] = inputs;
  const data = target?.data;
  if (x === undefined || data === undefined) return undefined;
  const shape = reshapeShape(x.shape, data, attrs.int("allowzero", 0) === 1);
  return shapeOnly(shape === undefined ? undefined : [{ shape, dtype: x.dtype }]);
}

/** Flatten: the zoo's flatten at axis 1, a shape-only op at other axes. */
export function flatten({ inputs, attrs }: OpContext): OpReading | undefined {
  const x = inputs[0];
  if (x === undefined) return undefined;
  const axis = attrs.int("axis", 1);
  const cut = axis < 0 ? axis + x.shape.length : axis;
  const shape = [count(x.shape.slice(0, cut)), count(x.shape.slice(cut))];
  if (cut === 1) return { outputs: [{ shape, dtype: x.dtype }], zoo: zooOf("flatten") };
  return shapeOnly([{ shape, dtype: x.dtype }]);
}

/** Transpose by `perm` (default: reversed axes). */
export function transpose({ inputs, attrs }: OpContext): OpReading | undefined {
  const x = inputs[0];
  if (x === undefined) return undefined;
  const perm = attrs.ints("perm") ?? x.shape.map((_, axis) => x.shape.length - 1 - axis);
  if (perm.length !== x.shape.length || new Set(perm).size !== perm.length) return undefined;
  const shape = perm.map((axis) => x.shape[axis] as number);
  return shapeOnly(shape.some((size) => size === undefined) ? undefined : [{ shape, dtype: x.dtype }]);
}

/** Squeeze / Unsqueeze by attribute or input axes. */
export function squeeze({ inputs, attrs, node }: OpContext): OpReading | undefined {
  const x = inputs[0];
  if (x === undefined) return undefined;
  const axes = attrs.ints("axes") ?? inputs[1]?.data;
  if (node.opType === "Unsqueeze") {
    if (axes === undefined) return undefined;
    const rank = x.shape.length + axes.length;
    const inserted = new Set(axes.map((axis) => axisOf(axis, rank)));
    const rest = [...x.shape];
    const shape = Array.from({ length: rank }, (_, axis) =>
      inserted.has(axis) ? 1 : (rest.shift() as number),
    );
    return shapeOnly([{ shape, dtype: x.dtype }]);
  }
  const drop = new Set(
    (axes ?? x.shape.flatMap((size, axis) => (size === 1 ? [axis] : []))).map((axis) =>
      axisOf(axis, x.shape.length),
    ),
  );
  return shapeOnly([{ shape: x.shape.filter((_, axis) => !drop.has(axis)), dtype: x.dtype }]);
}

/** Slice by attribute or input starts, ends, axes and steps. */
export function slice({ inputs, attrs }: OpContext): OpReading | undefined {
  const x = inputs[0];
  if (x === undefined) return undefined;
  const starts = attrs.ints("starts") ?? inputs[1]?.data;
  const ends = attrs.ints("ends") ?? inputs[2]?.data;
  if (starts === undefined || ends === undefined) return undefined;
  const shape = sliceShape(x.shape, starts, ends, attrs.ints("axes") ?? inputs[3]?.data, inputs[4]?.data);
  return shapeOnly(shape === undefined ? undefined : [{ shape, dtype: x.dtype }]);
}

/** Split into the given (or equal) parts along `axis`. */
export function split({ inputs, attrs, node }: OpContext): OpReading | undefined {
  const x = inputs[0];
  if (x === undefined) return undefined;
  const axis = axisOf(attrs.int("axis", 0), x.shape.length);
  if (axis === undefined) return undefined;
  const size = x.shape[axis] as number;
  const parts = node.outputs.length;
  const sizes =
    attrs.ints("split") ??
    inputs[1]?.data ??
    Array.from({ length: parts }, (_, index) =>
      Math.min(Math.ceil(size / parts), size - index * Math.ceil(size / parts)),
    );
  if (sizes.length !== parts || sizes.reduce((sum, part) => sum + part, 0) !== size) return undefined;
  return shapeOnly(
    sizes.map((part) => ({
      shape: x.shape.map((dim, index) => (index === axis ? part : dim)),
      dtype: x.dtype,
    })),
  );
}
