/** Elementwise ops of the importer's table (src/onnx/ops.ts): unary and binary maps, sums, clips, casts, comparisons. */
import type { NeedsWord } from "../instance/types.js";
import type { OpType } from "../zoo/types.js";
import { type Handler, type OpContext, type OpReading, same, shapeOnly, zooOf } from "./op-reading.js";
import { BOOL, broadcast, count, type Value } from "./values.js";

/** Unary elementwise ops not in the zoo: needs, FLOPs per element [forward, backward]. */
export const UNARY: Readonly<Record<string, readonly [readonly NeedsWord[], number, number]>> = {
  Tanh: [["output"], 4, 2],
  Exp: [["output"], 4, 1],
  Sqrt: [["output"], 4, 2],
  Reciprocal: [["output"], 1, 2],
  Softmax: [["output"], 5, 3],
  LogSoftmax: [["output"], 5, 3],
  Erf: [["inputs"], 8, 6],
  Log: [["inputs"], 4, 1],
  LeakyRelu: [["inputs"], 2, 2],
  Elu: [["inputs"], 4, 2],
  Selu: [["inputs"], 4, 2],
  HardSigmoid: [["inputs"], 2, 2],
  HardSwish: [["inputs"], 3, 3],
  Softplus: [["inputs"], 4, 4],
  Mish: [["inputs"], 8, 8],
  Abs: [["inputs"], 1, 1],
  Neg: [[], 1, 1],
  Identity: [[], 0, 0],
  Dropout: [[], 0, 0],
};

/** Binary (broadcasting) ops not mapped to the zoo: needs, FLOPs per output element. */
export const BINARY: Readonly<Record<string, readonly [readonly NeedsWord[], number, number]>> = {
  Sub: [[], 1, 1],
  Mul: [["inputs"], 1, 2],
  Div: [["inputs", "output"], 1, 3],
  Pow: [["inputs"], 8, 8],
  Max: [["inputs"], 1, 1],
  Min: [["inputs"], 1, 1],
};

/** A unary elementwise op of {@link UNARY}: same shape, FLOPs per element. */
export function unary(op: string): Handler {
  const [needs, forward, backward] = UNARY[op] as readonly [readonly NeedsWord[], number, number];
  return ({ inputs }) => {
    const x = inputs[0];
    if (x === undefined) return undefined;
    const n = count(x.shape);
    return { outputs: same(x), needs, flops: [forward * n, backward * n] };
  };
}

/** A broadcasting binary op of {@link BINARY}; a product with a fixed constant needs nothing. */
export function binary(op: string): Handler {
  const [needs, forward, backward] = BINARY[op] as readonly [readonly NeedsWord[], number, number];
  return ({ inputs }) => {
    const present = inputs.filter((value): value is Value => value !== undefined);
    const shape = broadcast(present.map((value) => value.shape));
    const first = present[0];
    if (shape === undefined || first === undefined) return undefined;
    const n = count(shape);
    // A product with a constant that is not learned needs nothing: dx = g * c.
    const constantFactor =
      op === "Mul" && present.some((value) => value.node === undefined && value.initializer === undefined);
    return {
      outputs: [{ shape, dtype: first.dtype }],
      needs: constantFactor ? [] : needs,
      flops: [forward * n, backward * n],
    };
  };
}

/** Add / Sum: the zoo's `add` for same-shape activations, `position-embedding` for an activation plus an initializer of its shape without the batch axis (a learned table), else a broadcast sum that needs nothing. */
export function add({ inputs, node }: OpContext): OpReading | undefined {
  const present = inputs.filter((value): value is Value => value !== undefined);
  const shape = broadcast(present.map((value) => value.shape));
  const first = present.find((value) => value.node !== undefined) ?? present[0];
  if (shape === undefined || first === undefined) return undefined;
  const outputs = [{ shape, dtype: first.dtype }];
  const activations = present.filter((value) => value.node !== undefined);
  if (activations.length === present.length && present.every((value) => value.shape.join() === shape.join()))
    return { outputs, zoo: zooOf("add") };
  const table = present.find((value) => value.node === undefined);
  if (
    activations.length === 1 &&
    present.length === 2 &&
    node.opType === "Add" &&
    activations[0]?.shape.join() === shape.join() &&
    table?.initializer !== undefined &&
    table.shape.join() === shape.slice(1).join()
  )
    return { outputs, zoo: zooOf("position-embedding") };
  const n = count(shape);
  return { outputs, needs: [], flops: [n * (present.length - 1), 0] };
}

/** Clip: the zoo's `relu6` for bounds 0 and 6, else an elementwise op that reads its input. */
export function clip(context: OpContext): OpReading | undefined {
  const x = context.inputs[0];
  if (x === undefined) return undefined;
  const low = context.attrs.has("min") ? context.attrs.float("min", 0) : context.inputs[1]?.data?.[0];
  const high = context.attrs.has("max") ? context.attrs.float("max", 0) : context.inputs[2]?.data?.[0];
  if (low === 0 && high === 6) return { outputs: same(x), zoo: zooOf("relu6") };
  const n = count(x.shape);
  return { outputs: same(x), needs: ["inputs"], flops: [2 * n, 2 * n] };
}

/** Cast: a shape-only op to the `to` element type. */
export function cast({ inputs, attrs }: OpContext): OpReading | undefined {
  const x = inputs[0];
  return x === undefined ? undefined : shapeOnly([{ shape: x.shape, dtype: attrs.int("to", x.dtype) }]);
}

/** Where: reads its inputs (the condition routes the gradient). */
export function where({ inputs }: OpContext): OpReading | undefined {
  const present = inputs.filter((value): value is Value => value !== undefined);
  const shape = broadcast(present.map((value) => value.shape));
  const value = inputs[1];
  if (shape === undefined || value === undefined) return undefined;
  return { outputs: [{ shape, dtype: value.dtype }], needs: ["inputs"], flops: [count(shape), count(shape)] };
}

/** Equal / Less / Greater: boolean outputs, no gradient. */
export function compare({ inputs }: OpContext): OpReading | undefined {
  const shape = broadcast(
    inputs.filter((value): value is Value => value !== undefined).map((value) => value.shape),
  );
  return shapeOnly(shape === undefined ? undefined : [{ shape, dtype: BOOL }]);
}

/** An op that is the zoo's `type` and keeps its input's shape. */
export function simple(type: OpType): Handler {
  return ({ inputs }) => {
    const x = inputs[0];
    return x === undefined ? undefined : { outputs: same(x), zoo: zooOf(type) };
  };
}
