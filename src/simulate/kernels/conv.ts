/**
 * Convolution kernels, NHWC, with optional bias: `conv2d` (dense; depthwise in depthwise.ts) and
 * `conv2d-transpose`. Every gradient is made of kernels that both backends have: forward convolutions
 * and `Conv2DBackpropInput` (conv-geometry.ts says why).
 */
import type { Tensor4D } from "@tensorflow/tfjs";
import type { ZooOp } from "../../zoo/types.js";
import type { Tensor, Tf } from "../tf.js";
import { denseWeightGradient, padAmounts, padOf } from "./conv-geometry.js";
import { depthwiseForward, depthwiseGradients } from "./depthwise.js";
import { type Gradients, inputsOf, type OpKernel, type ParamTensors, pairAttr, param } from "./types.js";

type Shape4 = [number, number, number, number];

function isDepthwise(op: ZooOp): boolean {
  return typeof op.attrs.groups === "number" && op.attrs.groups > 1;
}

function withBias(tf: Tf, op: ZooOp, y: Tensor, params: ParamTensors): Tensor {
  return op.attrs.bias === true ? tf.add(y, param(params, "bias", op)) : y;
}

/** The gradients with the bias's (the sum of dy over N, H, W) added when the op has a bias. */
function withBiasGradient(tf: Tf, op: ZooOp, dy: Tensor, dx: Tensor | undefined, dWeight: Tensor): Gradients {
  const params = new Map([["weight", dWeight]]);
  if (op.attrs.bias === true) params.set("bias", tf.sum(dy, [0, 1, 2]));
  return { inputs: [dx], params };
}

export const conv2d: OpKernel = {
  reads: "inputs",
  forward: (tf, op, [x], params) => {
    const weight = param(params, "weight", op) as Tensor4D;
    const y = isDepthwise(op)
      ? depthwiseForward(tf, op, x as Tensor, weight)
      : tf.conv2d(x as Tensor4D, weight, pairAttr(op, "strides"), padOf(op));
    return withBias(tf, op, y, params);
  },
  backward: (tf, op, [shape], args) => {
    const [x] = inputsOf(args, op) as [Tensor];
    const weight = param(args.params, "weight", op);
    const want = args.wantInputs[0] === true;
    if (isDepthwise(op)) {
      const { dx, dWeight } = depthwiseGradients(tf, op, x, weight, args.dy, want);
      return withBiasGradient(tf, op, args.dy, dx, dWeight);
    }
    const [, h, w] = shape as Shape4;
    const dx = want
      ? tf.conv2dTranspose(
          args.dy as Tensor4D,
          weight as Tensor4D,
          [...(shape as Shape4)],
          pairAttr(op, "strides"),
          padOf(op),
        )
      : undefined;
    return withBiasGradient(
      tf,
      op,
      args.dy,
      dx,
      denseWeightGradient(tf, op, x, args.dy, padAmounts(padOf(op), [h, w], op)),
    );
  },
};

/** The transpose conv's padding: only "same" or "valid" (src/zoo/types.ts). */
function transposePad(op: ZooOp): "same" | "valid" {
  const pad = padOf(op);
  if (pad !== "same" && pad !== "valid")
    throw new Error(`op ${op.id}: conv2d-transpose pad must be "same" or "valid"`);
  return pad;
}

/**
 * `y = conv2dTranspose(x, W)` is the input gradient of the convolution `x = conv(y, W)`, so its own
 * gradients are that convolution's forward (dx) and weight gradient with the roles of x and dy swapped.
 */
export const conv2dTranspose: OpKernel = {
  reads: "inputs",
  forward: (tf, op, [x], params) => {
    const y = tf.conv2dTranspose(
      x as Tensor4D,
      param(params, "weight", op) as Tensor4D,
      [...(op.shape as Shape4)],
      pairAttr(op, "strides"),
      transposePad(op),
    );
    return withBias(tf, op, y, params);
  },
  backward: (tf, op, _shapes, args) => {
    const [x] = inputsOf(args, op) as [Tensor];
    const weight = param(args.params, "weight", op) as Tensor4D;
    const pad = transposePad(op);
    const dx =
      args.wantInputs[0] === true
        ? tf.conv2d(args.dy as Tensor4D, weight, pairAttr(op, "strides"), pad)
        : undefined;
    const [, h, w] = op.shape as Shape4;
    return withBiasGradient(
      tf,
      op,
      args.dy,
      dx,
      denseWeightGradient(tf, op, args.dy, x, padAmounts(pad, [h, w], op)),
    );
  },
};
