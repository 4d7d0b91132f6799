/**
 * FLOPs and bytes moved by each op's forward and backward, the inputs of the roofline time model
 * (src/zoo/roofline.ts). A multiply-add counts 2 FLOPs.
 *
 * - conv2d, conv2d-transpose, dense: forward `2 * MACs`; backward twice the forward (`dx` and `dW`).
 * - causal-attention: forward `4 N T^2 D` (`q k^T` and `P v`, full square: a plain kernel does not skip the
 *   masked half) plus 5 FLOPs per score for the softmax; backward `10 N T^2 D` (scores recomputed,
 *   `dV`, `dP`, `dQ`, `dK`) plus 8 per score. Its scores are written and read in global memory:
 *   4 score tensors moved forward, 6 backward.
 * - every other op is elementwise-like, with the per-element FLOP counts in {@link ELEMENTWISE_FLOPS}
 *   (memory-bound on any current device, so these constants barely matter).
 *
 * Bytes moved, forward: every input, the output and the parameters. Backward: the incoming gradient,
 * what `needs` names, the gradient of every input that is not a data source, and the parameters read
 * and their gradients written.
 */
import type { OpType, ZooOp } from "../types.js";
import { attentionScoreBytes, needsOf } from "./backward.js";
import { BYTES_PER_ELEMENT, elementCount, tensorBytes } from "./shape.js";

/** FLOPs and bytes moved by one op. */
export interface OpCost {
  readonly fwdFlops: number;
  readonly fwdBytes: number;
  readonly bwdFlops: number;
  readonly bwdBytes: number;
}

/**
 * FLOPs per element (of the output; of the input for reductions) for ops that are not matmuls:
 * `[forward, backward]`. Normalisations: mean, variance, normalise, scale and shift forward; the
 * three-term `dx` formula plus `dgamma`, `dbeta` backward. GELU (tanh form): about 8 forward, 12 backward.
 * Mean square, per input element: square and add forward; scale and multiply backward.
 */
export const ELEMENTWISE_FLOPS: Readonly<Partial<Record<OpType, readonly [number, number]>>> = {
  batchnorm: [8, 12],
  layernorm: [8, 12],
  relu: [1, 1],
  relu6: [2, 2],
  gelu: [8, 12],
  sigmoid: [4, 3],
  "global-avgpool": [1, 1],
  "position-embedding": [1, 1],
  "softmax-cross-entropy": [5, 3],
  "mean-square": [2, 2],
};

/** The FLOPs and bytes moved of `op`, whose inputs are the ops `inputs` (in argument order). */
export function opCost(op: ZooOp, inputs: readonly ZooOp[]): OpCost {
  if (op.type === "input") return { fwdFlops: 0, fwdBytes: 0, bwdFlops: 0, bwdBytes: 0 };
  const outBytes = tensorBytes(op.shape);
  const inBytes = inputs.reduce((sum, input) => sum + tensorBytes(input.shape), 0);
  const gradInBytes = inputs
    .filter((input) => input.type !== "input")
    .reduce((sum, input) => sum + tensorBytes(input.shape), 0);
  const paramBytes = op.params.reduce((sum, param) => sum + tensorBytes(param.shape), 0);
  const needs = needsOf(op.type);
  const neededBytes = (needs.includes("inputs") ? inBytes : 0) + (needs.includes("output") ? outBytes : 0);
  const scoreBytes = attentionScoreBytes(op);
  const [fwdFlops, bwdFlops] = flops(op, inputs);
  return {
    fwdFlops,
    fwdBytes: inBytes + outBytes + paramBytes + 4 * scoreBytes,
    bwdFlops,
    bwdBytes: outBytes + neededBytes + gradInBytes + 2 * paramBytes + 6 * scoreBytes,
  };
}

function flops(op: ZooOp, inputs: readonly ZooOp[]): [number, number] {
  const x = inputs[0]?.shape ?? [];
  const out = elementCount(op.shape);
  const channelsIn = x[x.length - 1] ?? 1;
  const kernel = op.attrs.kernel as readonly number[] | undefined;
  const window = kernel === undefined ? 1 : (kernel[0] ?? 1) * (kernel[1] ?? 1);
  switch (op.type) {
    case "conv2d": {
      const perOutput = op.attrs.groups === channelsIn && channelsIn > 1 ? window : window * channelsIn;
      return matmul(out * perOutput);
    }
    case "conv2d-transpose":
      return matmul(elementCount(x) * window * (op.shape[op.shape.length - 1] ?? 1));
    case "dense":
      return matmul(out * channelsIn);
    case "causal-attention": {
      const [n = 0, t = 0, d = 0] = op.shape;
      const scores = attentionScoreBytes(op) / BYTES_PER_ELEMENT;
      return [4 * n * t * t * d + 5 * scores, 10 * n * t * t * d + 8 * scores];
    }
    case "maxpool":
    case "avgpool":
      return [out * window, out * window];
    case "add":
      return [out * (inputs.length - 1), 0];
    case "global-avgpool":
    case "softmax-cross-entropy":
    case "mean-square": {
      const [f, b] = ELEMENTWISE_FLOPS[op.type] ?? [0, 0];
      return [f * elementCount(x), b * elementCount(x)];
    }
    default: {
      const [f, b] = ELEMENTWISE_FLOPS[op.type] ?? [0, 0];
      return [f * out, b * out];
    }
  }
}

/** A matmul-like op of `macs` multiply-adds: forward 2 FLOPs each, backward twice that (`dx`, `dW`). */
function matmul(macs: number): [number, number] {
  return [2 * macs, 4 * macs];
}
