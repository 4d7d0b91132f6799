/**
 * The ONNX op table of the importer: for each supported op, its output shapes and how it maps onto
 * remat's cost model. Ops that are the zoo's own (Conv -> conv2d, Gemm / MatMul with a weight -> dense,
 * BatchNormalization, LayerNormalization, Relu, Clip(0, 6) -> relu6, Gelu, Sigmoid, pools, Add, Concat,
 * Flatten, Gather of a weight -> embedding, ...) take `needs`, temporaries and FLOPs from the zoo's op
 * table (src/zoo/ops/); the rest carry their own `needs` below, from their backward:
 *
 * | op | backward | needs |
 * | --- | --- | --- |
 * | Tanh, Exp, Softmax, LogSoftmax, Sqrt, Reciprocal | from `y` (`1 - y^2`, `y`, `y (g - sum g y)`, ...) | output |
 * | Erf, Log, Pow, LeakyRelu, Elu, HardSwish, Softplus, Clip, Abs, Max, Min, Where, Mul, MatMul | from `x` (or the other operand) | inputs |
 * | Div | `da = g / b`, `db = -g y / b` | inputs, output |
 * | ReduceMax, MaxPool (non-2D) | `g` routed to the argmax | inputs, output |
 * | Sub, Neg, Sum, Transpose, Reshape, Squeeze, Unsqueeze, Slice, Split, Gather, Pad, Expand, Identity, Dropout (inference), Cast, ReduceMean, ReduceSum | shapes only | none |
 *
 * An op not in the table is read conservatively (needs inputs and output), its shape taken from the
 * file's value_info, and listed in the importer's warnings.
 */
import type { NeedsWord } from "../instance/types.js";
import type { AttrValue, OpType } from "../zoo/types.js";
import type { OnnxNode } from "./model.js";
import {
  type Attrs,
  axisOf,
  matmulShape,
  reduceShape,
  reshapeShape,
  sliceShape,
  windowShape,
} from "./shapes.js";
import { BOOL, broadcast, count, INT64, type Value } from "./values.js";

/** What the table says about one node. */
export interface OpReading {
  readonly outputs: readonly { readonly shape: readonly number[]; readonly dtype: number }[];
  /** The zoo op it is, with the attrs the zoo's cost model reads; shapes NHWC when `spatial`. */
  readonly zoo?: {
    readonly type: OpType;
    readonly attrs: Readonly<Record<string, AttrValue>>;
    readonly spatial?: boolean;
  };
  /** For ops that are not the zoo's: what the backward reads, and FLOPs [forward, backward]. */
  readonly needs?: readonly NeedsWord[];
  readonly flops?: readonly [number, number];
  /** Input slots holding buffers (running statistics), not learned parameters. */
  readonly buffers?: readonly number[];
}

/** What a handler sees: the node, its attributes, its input values (undefined for an empty name). */
export interface OpContext {
  readonly node: OnnxNode;
  readonly attrs: Attrs;
  readonly inputs: readonly (Value | undefined)[];
}

type Handler = (context: OpContext) => OpReading | undefined;

/** Unary elementwise ops not in the zoo: needs, FLOPs per element [forward, backward]. */
const UNARY: Readonly<Record<string, readonly [readonly NeedsWord[], number, number]>> = {
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
const BINARY: Readonly<Record<string, readonly [readonly NeedsWord[], number, number]>> = {
  Sub: [[], 1, 1],
  Mul: [["inputs"], 1, 2],
  Div: [["inputs", "output"], 1, 3],
  Pow: [["inputs"], 8, 8],
  Max: [["inputs"], 1, 1],
  Min: [["inputs"], 1, 1],
};

const same = (x: Value): OpReading["outputs"] => [{ shape: x.shape, dtype: x.dtype }];

function unary(op: string): Handler {
  const [needs, forward, backward] = UNARY[op] as readonly [readonly NeedsWord[], number, number];
  return ({ inputs }) => {
    const x = inputs[0];
    if (x === undefined) return undefined;
    const n = count(x.shape);
    return { outputs: same(x), needs, flops: [forward * n, backward * n] };
  };
}

function binary(op: string): Handler {
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

const zooOf = (type: OpType, attrs: Record<string, AttrValue> = {}, spatial = false) => ({
  type,
  attrs,
  spatial,
});

function conv({ inputs, attrs }: OpContext, transpose: boolean): OpReading | undefined {
  const [x, w] = inputs;
  if (x === undefined || w === undefined || x.shape.length !== 4 || w.shape.length !== 4) return undefined;
  const kernel = attrs.ints("kernel_shape") ?? w.shape.slice(2);
  const spatial = windowShape(x.shape, kernel, attrs, transpose);
  const group = attrs.int("group", 1);
  const filters = transpose ? (w.shape[1] as number) * group : (w.shape[0] as number);
  if (spatial === undefined) return undefined;
  return {
    outputs: [{ shape: [x.shape[0] as number, filters, ...spatial], dtype: x.dtype }],
    zoo: zooOf(
      transpose ? "conv2d-transpose" : "conv2d",
      { kernel: [...kernel], groups: group, filters },
      true,
    ),
  };
}

function pool({ inputs, attrs, node }: OpContext): OpReading | undefined {
  const x = inputs[0];
  const kernel = attrs.ints("kernel_shape");
  if (x === undefined || kernel === undefined || x.shape.length < 3) return undefined;
  const spatial = windowShape(x.shape, kernel, attrs);
  if (spatial === undefined) return undefined;
  const shape = [x.shape[0] as number, x.shape[1] as number, ...spatial];
  const outputs = [{ shape, dtype: x.dtype }, ...(node.outputs.length > 1 ? [{ shape, dtype: INT64 }] : [])];
  if (x.shape.length === 4)
    return {
      outputs,
      zoo: zooOf(node.opType === "MaxPool" ? "maxpool" : "avgpool", { kernel: [...kernel] }, true),
    };
  const n = count(shape) * count(kernel);
  return { outputs, needs: node.opType === "MaxPool" ? ["inputs", "output"] : [], flops: [n, n] };
}

function reduce({ inputs, attrs, node }: OpContext): OpReading | undefined {
  const x = inputs[0];
  if (x === undefined) return undefined;
  const axes = attrs.ints("axes") ?? inputs[1]?.data ?? [];
  const keep = attrs.int("keepdims", 1) === 1;
  const shape = reduceShape(x.shape, axes, keep);
  if (shape === undefined) return undefined;
  const resolved = axes.map((axis) => axisOf(axis, x.shape.length)).sort();
  if (node.opType === "ReduceMean" && x.shape.length === 4 && !keep && resolved.join() === "2,3")
    return { outputs: [{ shape, dtype: x.dtype }], zoo: zooOf("global-avgpool", {}, true) };
  const n = count(x.shape);
  const needs: readonly NeedsWord[] =
    node.opType === "ReduceMax" || node.opType === "ReduceMin" ? ["inputs", "output"] : [];
  return { outputs: [{ shape, dtype: x.dtype }], needs, flops: [n, n] };
}

function gemm({ inputs, attrs }: OpContext): OpReading | undefined {
  const [a, b] = inputs;
  if (a === undefined || b === undefined || a.shape.length !== 2 || b.shape.length !== 2) return undefined;
  const m = attrs.int("transA", 0) === 1 ? a.shape[1] : a.shape[0];
  const units = (attrs.int("transB", 0) === 1 ? b.shape[0] : b.shape[1]) as number;
  const k = (attrs.int("transA", 0) === 1 ? a.shape[0] : a.shape[1]) as number;
  if (k !== (attrs.int("transB", 0) === 1 ? b.shape[1] : b.shape[0])) return undefined;
  if (b.node === undefined)
    return { outputs: [{ shape: [m as number, units], dtype: a.dtype }], zoo: zooOf("dense", { units }) };
  const n = (m as number) * units * k;
  return {
    outputs: [{ shape: [m as number, units], dtype: a.dtype }],
    needs: ["inputs"],
    flops: [2 * n, 4 * n],
  };
}

function matmul({ inputs }: OpContext): OpReading | undefined {
  const [a, b] = inputs;
  if (a === undefined || b === undefined) return undefined;
  const shape = matmulShape(a.shape, b.shape);
  if (shape === undefined) return undefined;
  if (b.node === undefined && b.shape.length === 2 && a.node !== undefined)
    return { outputs: [{ shape, dtype: a.dtype }], zoo: zooOf("dense", { units: b.shape[1] as number }) };
  const n = count(shape) * (a.shape[a.shape.length - 1] as number);
  return { outputs: [{ shape, dtype: a.dtype }], needs: ["inputs"], flops: [2 * n, 4 * n] };
}

function add({ inputs, node }: OpContext): OpReading | undefined {
  const present = inputs.filter((value): value is Value => value !== undefined);
  const shape = broadcast(present.map((value) => value.shape));
  const first = present.find((value) => value.node !== undefined) ?? present[0];
  if (shape === undefined || first === undefined) return undefined;
  const outputs = [{ shape, dtype: first.dtype }];
  const activations = present.filter((value) => value.node !== undefined);
  if (activations.length === present.length && present.every((value) => value.shape.join() === shape.join()))
    return { outputs, zoo: zooOf("add") };
  if (
    activations.length === 1 &&
    present.length === 2 &&
    node.opType === "Add" &&
    activations[0]?.shape.join() === shape.join()
  )
    return { outputs, zoo: zooOf("position-embedding") };
  const n = count(shape);
  return { outputs, needs: [], flops: [n * (present.length - 1), 0] };
}

function clip(context: OpContext): OpReading | undefined {
  const x = context.inputs[0];
  if (x === undefined) return undefined;
  const low = context.attrs.has("min") ? context.attrs.float("min", 0) : context.inputs[1]?.data?.[0];
  const high = context.attrs.has("max") ? context.attrs.float("max", 0) : context.inputs[2]?.data?.[0];
  if (low === 0 && high === 6) return { outputs: same(x), zoo: zooOf("relu6") };
  const n = count(x.shape);
  return { outputs: same(x), needs: ["inputs"], flops: [2 * n, 2 * n] };
}

function concat({ inputs, attrs }: OpContext): OpReading | undefined {
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

function shapeOnly(outputs: OpReading["outputs"] | undefined): OpReading | undefined {
  return outputs === undefined ? undefined : { outputs, needs: [], flops: [0, 0] };
}

function reshape({ inputs, attrs }: OpContext): OpReading | undefined {
  const [x, target] = inputs;
  const data = target?.data;
  if (x === undefined || data === undefined) return undefined;
  const shape = reshapeShape(x.shape, data, attrs.int("allowzero", 0) === 1);
  return shapeOnly(shape === undefined ? undefined : [{ shape, dtype: x.dtype }]);
}

function flatten({ inputs, attrs }: OpContext): OpReading | undefined {
  const x = inputs[0];
  if (x === undefined) return undefined;
  const axis = attrs.int("axis", 1);
  const cut = axis < 0 ? axis + x.shape.length : axis;
  const shape = [count(x.shape.slice(0, cut)), count(x.shape.slice(cut))];
  if (cut === 1) return { outputs: [{ shape, dtype: x.dtype }], zoo: zooOf("flatten") };
  return shapeOnly([{ shape, dtype: x.dtype }]);
}

function transpose({ inputs, attrs }: OpContext): OpReading | undefined {
  const x = inputs[0];
  if (x === undefined) return undefined;
  const perm = attrs.ints("perm") ?? x.shape.map((_, axis) => x.shape.length - 1 - axis);
  if (perm.length !== x.shape.length || new Set(perm).size !== perm.length) return undefined;
  const shape = perm.map((axis) => x.shape[axis] as number);
  return shapeOnly(shape.some((size) => size === undefined) ? undefined : [{ shape, dtype: x.dtype }]);
}

function squeeze({ inputs, attrs, node }: OpContext): OpReading | undefined {
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

function slice({ inputs, attrs }: OpContext): OpReading | undefined {
  const x = inputs[0];
  if (x === undefined) return undefined;
  const starts = attrs.ints("starts") ?? inputs[1]?.data;
  const ends = attrs.ints("ends") ?? inputs[2]?.data;
  if (starts === undefined || ends === undefined) return undefined;
  const shape = sliceShape(x.shape, starts, ends, attrs.ints("axes") ?? inputs[3]?.data, inputs[4]?.data);
  return shapeOnly(shape === undefined ? undefined : [{ shape, dtype: x.dtype }]);
}

function split({ inputs, attrs, node }: OpContext): OpReading | undefined {
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

function gather({ inputs, attrs }: OpContext): OpReading | undefined {
  const [data, indices] = inputs;
  if (data === undefined || indices === undefined) return undefined;
  const axis = axisOf(attrs.int("axis", 0), data.shape.length);
  if (axis === undefined) return undefined;
  const shape = [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)];
  const outputs = [{ shape, dtype: data.dtype }];
  if (
    data.node === undefined &&
    data.initializer !== undefined &&
    axis === 0 &&
    data.shape.length === 2 &&
    indices.shape.length === 2
  )
    return {
      outputs,
      zoo: zooOf("embedding", { vocab: data.shape[0] as number, dim: data.shape[1] as number }),
    };
  return shapeOnly(outputs);
}

function normalization({ inputs, attrs, node }: OpContext): OpReading | undefined {
  const x = inputs[0];
  if (x === undefined) return undefined;
  if (node.opType === "BatchNormalization")
    return { outputs: same(x), zoo: zooOf("batchnorm", {}, x.shape.length === 4), buffers: [3, 4] };
  const axis = axisOf(attrs.int("axis", -1), x.shape.length);
  if (axis === x.shape.length - 1) return { outputs: same(x), zoo: zooOf("layernorm") };
  const n = count(x.shape);
  return { outputs: same(x), needs: ["inputs"], flops: [8 * n, 12 * n] };
}

function attention({ inputs, attrs }: OpContext): OpReading | undefined {
  const x = inputs[0];
  if (x === undefined || x.shape.length !== 3 || (x.shape[2] as number) % 3 !== 0) return undefined;
  const heads = attrs.int("heads", 1);
  return {
    outputs: [
      { shape: [x.shape[0] as number, x.shape[1] as number, (x.shape[2] as number) / 3], dtype: x.dtype },
    ],
    zoo: zooOf("causal-attention", { heads }),
  };
}

function cast({ inputs, attrs }: OpContext): OpReading | undefined {
  const x = inputs[0];
  return x === undefined ? undefined : shapeOnly([{ shape: x.shape, dtype: attrs.int("to", x.dtype) }]);
}

function where({ inputs }: OpContext): OpReading | undefined {
  const present = inputs.filter((value): value is Value => value !== undefined);
  const shape = broadcast(present.map((value) => value.shape));
  const value = inputs[1];
  if (shape === undefined || value === undefined) return undefined;
  return { outputs: [{ shape, dtype: value.dtype }], needs: ["inputs"], flops: [count(shape), count(shape)] };
}

function compare({ inputs }: OpContext): OpReading | undefined {
  const shape = broadcast(
    inputs.filter((value): value is Value => value !== undefined).map((value) => value.shape),
  );
  return shapeOnly(shape === undefined ? undefined : [{ shape, dtype: BOOL }]);
}

function simple(type: OpType): Handler {
  return ({ inputs }) => {
    const x = inputs[0];
    return x === undefined ? undefined : { outputs: same(x), zoo: zooOf(type) };
  };
}

/** The handlers, by `domain:op_type` (the default domain is written ""). */
export const OP_TABLE: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ...Object.keys(UNARY).map((op): [string, Handler] => [`:${op}`, unary(op)]),
  ...Object.keys(BINARY).map((op): [string, Handler] => [`:${op}`, binary(op)]),
  [":Conv", (context) => conv(context, false)],
  [":ConvTranspose", (context) => conv(context, true)],
  [":MaxPool", pool],
  [":AveragePool", pool],
  [
    ":GlobalAveragePool",
    ({ inputs }) => {
      const x = inputs[0];
      if (x === undefined || x.shape.length !== 4) return undefined;
      return {
        outputs: [{ shape: [x.shape[0] as number, x.shape[1] as number, 1, 1], dtype: x.dtype }],
        zoo: zooOf("global-avgpool", {}, true),
      };
    },
  ],
  [":ReduceMean", reduce],
  [":ReduceSum", reduce],
  [":ReduceMax", reduce],
  [":ReduceMin", reduce],
  [":Gemm", gemm],
  [":MatMul", matmul],
  [":Add", add],
  [":Sum", add],
  [":Relu", simple("relu")],
  [":Sigmoid", simple("sigmoid")],
  [":Gelu", simple("gelu")],
  [":Clip", clip],
  [":Concat", concat],
  [":Reshape", reshape],
  [":Flatten", flatten],
  [":Transpose", transpose],
  [":Squeeze", squeeze],
  [":Unsqueeze", squeeze],
  [":Slice", slice],
  [":Split", split],
  [":Gather", gather],
  [":Cast", cast],
  [":Where", where],
  [":Equal", compare],
  [":Less", compare],
  [":Greater", compare],
  [":BatchNormalization", normalization],
  [":LayerNormalization", normalization],
  ["ai.remat:CausalAttention", attention],
]);

/** The handler of `node`, or undefined for an op the table does not know. */
export function handlerOf(node: OnnxNode): Handler | undefined {
  const domain = node.domain === "ai.onnx" ? "" : node.domain;
  return OP_TABLE.get(`${domain}:${node.opType}`);
}
