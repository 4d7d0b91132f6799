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
import type { OnnxNode } from "./model.js";
import { type Handler, zooOf } from "./op-reading.js";
import { add, BINARY, binary, cast, clip, compare, simple, UNARY, unary, where } from "./ops-elementwise.js";
import { attention, conv, gather, gemm, matmul, normalization, pool, reduce } from "./ops-layers.js";
import { concat, flatten, reshape, slice, split, squeeze, transpose } from "./ops-shape.js";

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
