/**
 * What each op type's backward reads and which workspace it needs: the instance-side facts of an op
 * (DESIGN.md, "The cost model": `needs`, `fwdTemp`, `bwdTemp`, `recomputable`). Parameters are always
 * resident (in `fixedBytes`), so only activations count here. With `y = f(x)` and incoming gradient `g`:
 *
 * | op | backward | needs |
 * | --- | --- | --- |
 * | conv2d, conv2d-transpose, dense | `dx = g * W^T`, `dW = x^T * g` | inputs |
 * | batchnorm, layernorm | `dx` from `x_hat = (x - mean) / std` and `g`; mean and std recomputed from `x` | inputs |
 * | gelu | `dx = g * gelu'(x)` | inputs |
 * | embedding | `dW[ids] += g` (ids get no gradient) | inputs |
 * | relu, relu6 | `dx = g * [0 < y (< 6)]` | output |
 * | sigmoid | `dx = g * y * (1 - y)` | output |
 * | add, concat, flatten | `dx_i = g` (or its slice, or reshaped) | none |
 * | avgpool, global-avgpool | `dx = g` spread evenly over each window (shapes only) | none |
 * | position-embedding | `dx = g`, `dP = sum over the batch of g` | none |
 * | maxpool | `g` routed to the argmax of each window, found by comparing `x` with `y` | inputs, output |
 * | causal-attention | scores recomputed from `q, k` (inputs); `dP` uses `y`: `rowsum(dO * O)` | inputs, output |
 * | softmax-cross-entropy | `dlogits = (softmax(logits) - onehot(labels)) / count` | inputs |
 * | mean-square | `dx = g * x / count` (of `sum(x^2) / (2 * count)`) | inputs |
 * | input | a source: no backward | none |
 */
import type { NeedsWord } from "../../instance/types.js";
import type { OpType, ZooOp } from "../types.js";
import { BYTES_PER_ELEMENT, tensorBytes } from "./shape.js";

/** What the backward of an op of `type` reads besides its incoming gradient (see the table above). */
export function needsOf(type: OpType): readonly NeedsWord[] {
  switch (type) {
    case "conv2d":
    case "conv2d-transpose":
    case "dense":
    case "batchnorm":
    case "layernorm":
    case "gelu":
    case "embedding":
    case "softmax-cross-entropy":
    case "mean-square":
      return ["inputs"];
    case "relu":
    case "relu6":
    case "sigmoid":
      return ["output"];
    case "maxpool":
    case "causal-attention":
      return ["inputs", "output"];
    case "input":
    case "add":
    case "concat":
    case "flatten":
    case "avgpool":
    case "global-avgpool":
    case "position-embedding":
      return [];
  }
}

/** Whether the forward of an op may be run again: every op but a data source. */
export function isRecomputable(type: OpType): boolean {
  return type !== "input";
}

/** Workspace of one op, bytes, live only while its forward (`fwdTemp`) or backward (`bwdTemp`) runs. */
export interface Temporaries {
  readonly fwdTemp: number;
  readonly bwdTemp: number;
}

/**
 * Temporaries of an op: causal attention materialises its scores `[N, heads, T, T]` in the forward
 * (softmax in place) and, recomputed, in the backward together with `dP` (`dS` in place of `dP`), so
 * `fwdTemp` = 1 and `bwdTemp` = 2 score tensors; the cross-entropy loss holds the softmax of its logits
 * while its forward runs (its backward writes `softmax - onehot` straight into the logits' gradient); the
 * mean-square loss needs none (it reduces `x^2` as it reads `x`, and writes `x * g / count` straight
 * into `dx`). Every other op is taken to need no workspace (convolution workspaces depend on the
 * library's algorithm choice and are not modelled).
 *
 * @param inputs the op's inputs, in argument order
 */
export function temporariesOf(op: ZooOp, inputs: readonly ZooOp[]): Temporaries {
  if (op.type === "causal-attention") {
    const scores = attentionScoreBytes(op);
    return { fwdTemp: scores, bwdTemp: 2 * scores };
  }
  if (op.type === "softmax-cross-entropy")
    return { fwdTemp: tensorBytes(inputs[0]?.shape ?? []), bwdTemp: 0 };
  return { fwdTemp: 0, bwdTemp: 0 };
}

/** Bytes of causal attention's scores `[N, heads, T, T]`; 0 for every other op. */
export function attentionScoreBytes(op: ZooOp): number {
  if (op.type !== "causal-attention") return 0;
  const [n = 0, t = 0] = op.shape;
  return n * (op.attrs.heads as number) * t * t * BYTES_PER_ELEMENT;
}
