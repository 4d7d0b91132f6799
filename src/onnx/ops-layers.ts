/** Layer ops of the importer's table (src/onnx/ops.ts): convolutions, pools, reductions, products, gathers, normalizations, attention. */
import type { NeedsWord } from "../instance/types.js";
import { type OpContext, type OpReading, same, shapeOnly, zooOf } from "./op-reading.js";
import { axisOf, matmulShape, reduceShape, windowShape } from "./shapes.js";
import { count, INT64 } from "./values.js";

/** Conv / ConvTranspose on 4-D NCHW inputs: the zoo's conv2d / conv2d-transpose. */
export function conv({ inputs, attrs }: OpContext, transpose: boolean): OpReading | undefined {
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

/** MaxPool / AveragePool: the zoo's pools in 2-D, their own reading otherwise. */
export function pool({ inputs, attrs, node }: OpContext): OpReading | undefined {
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

/** ReduceMean / Sum / Max / Min; a mean over H and W of a 4-D input is the zoo's global-avgpool. */
export function reduce({ inputs, attrs, node }: OpContext): OpReading | undefined {
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

/** Gemm on 2-D inputs: the zoo's dense when B is a weight, a product of activations otherwise. */
export function gemm({ inputs, attrs }: OpContext): OpReading | undefined {
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

/** MatMul: the zoo's dense for an activation times a 2-D weight, a product of activations otherwise. */
export function matmul({ inputs }: OpContext): OpReading | undefined {
  const [a, b] = inputs;
  if (a === undefined || b === undefined) return undefined;
  const shape = matmulShape(a.shape, b.shape);
  if (shape === undefined) return undefined;
  if (b.node === undefined && b.shape.length === 2 && a.node !== undefined)
    return { outputs: [{ shape, dtype: a.dtype }], zoo: zooOf("dense", { units: b.shape[1] as number }) };
  const n = count(shape) * (a.shape[a.shape.length - 1] as number);
  return { outputs: [{ shape, dtype: a.dtype }], needs: ["inputs"], flops: [2 * n, 4 * n] };
}

/** Gather: the zoo's embedding for rows of a 2-D weight at 2-D ids, a shape-only op otherwise. */
export function gather({ inputs, attrs }: OpContext): OpReading | undefined {
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

/** BatchNormalization (running statistics are buffers) and LayerNormalization over the last axis: the zoo's. */
export function normalization({ inputs, attrs, node }: OpContext): OpReading | undefined {
  const x = inputs[0];
  if (x === undefined) return undefined;
  if (node.opType === "BatchNormalization")
    return { outputs: same(x), zoo: zooOf("batchnorm", {}, x.shape.length === 4), buffers: [3, 4] };
  const axis = axisOf(attrs.int("axis", -1), x.shape.length);
  if (axis === x.shape.length - 1) return { outputs: same(x), zoo: zooOf("layernorm") };
  const n = count(x.shape);
  return { outputs: same(x), needs: ["inputs"], flops: [8 * n, 12 * n] };
}

/** ai.remat:CausalAttention on a `[N, T, 3D]` input: the zoo's causal-attention. */
export function attention({ inputs, attrs }: OpContext): OpReading | undefined {
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
