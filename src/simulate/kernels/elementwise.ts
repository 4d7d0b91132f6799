/**
 * Elementwise and shape kernels: `relu`, `relu6`, `sigmoid` (backward from the input or the output, with
 * bit-identical results either way), `gelu` (tanh approximation, as GPT-2), `add`, `concat`, `flatten`.
 */
import type { ZooOp } from "../../zoo/types.js";
import type { Tensor, Tf } from "../tf.js";
import { type BackwardArgs, type Gradients, inputsOf, NO_PARAMS, type OpKernel, vjp } from "./types.js";

/** The input or the output, whichever the node keeps (the output when both). */
function inputOrOutput(
  args: BackwardArgs,
  op: ZooOp,
): { readonly tensor: Tensor; readonly isOutput: boolean } {
  if (args.output !== undefined) return { tensor: args.output, isOutput: true };
  return { tensor: inputsOf(args, op)[0] as Tensor, isOutput: false };
}

/** `dy * mask`, the mask computed on the input or the output (they agree on where it is 1). */
function maskedGradient(tf: Tf, args: BackwardArgs, mask: (t: Tensor) => Tensor, op: ZooOp): Gradients {
  const { tensor } = inputOrOutput(args, op);
  return { inputs: [tf.mul(args.dy, tf.cast(mask(tensor), "float32"))], params: NO_PARAMS };
}

export const relu: OpKernel = {
  reads: "inputs-or-output",
  forward: (tf, _op, [x]) => tf.relu(x as Tensor),
  backward: (tf, op, _shapes, args) => maskedGradient(tf, args, (t) => tf.greater(t, 0), op),
};

/** ReLU6: gradient 1 on the open interval (0, 6), where input and output coincide. */
const RELU6_CAP = 6;

export const relu6: OpKernel = {
  reads: "inputs-or-output",
  forward: (tf, _op, [x]) => tf.relu6(x as Tensor),
  backward: (tf, op, _shapes, args) =>
    maskedGradient(tf, args, (t) => tf.logicalAnd(tf.greater(t, 0), tf.less(t, RELU6_CAP)), op),
};

export const sigmoid: OpKernel = {
  reads: "inputs-or-output",
  forward: (tf, _op, [x]) => tf.sigmoid(x as Tensor),
  backward: (tf, op, _shapes, args) => {
    const { tensor, isOutput } = inputOrOutput(args, op);
    const s = isOutput ? tensor : tf.sigmoid(tensor);
    return { inputs: [tf.mul(args.dy, tf.mul(s, tf.sub(1, s)))], params: NO_PARAMS };
  },
};

/** sqrt(2 / pi), the tanh approximation's constant (Hendrycks and Gimpel 2016, as GPT-2). */
const GELU_C = Math.sqrt(2 / Math.PI);
/** The cubic coefficient of the tanh approximation. */
const GELU_A = 0.044715;

function geluOf(tf: Tf, x: Tensor): Tensor {
  const inner = tf.mul(GELU_C, tf.add(x, tf.mul(GELU_A, tf.pow(x, 3))));
  return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
}

export const gelu: OpKernel = {
  reads: "inputs",
  forward: (tf, _op, [x]) => geluOf(tf, x as Tensor),
  backward: (tf, op, _shapes, args) => {
    const [x] = inputsOf(args, op);
    return { inputs: vjp(tf, (t) => geluOf(tf, t), [x as Tensor], args.dy), params: NO_PARAMS };
  },
};

export const add: OpKernel = {
  reads: "nothing",
  forward: (tf, _op, inputs) =>
    inputs.length === 2 ? tf.add(inputs[0] as Tensor, inputs[1] as Tensor) : tf.addN([...inputs]),
  // each wanted input gets its own handle (a clone), so the simulator can free each gradient alone
  backward: (tf, _op, _shapes, args) => ({
    inputs: args.wantInputs.map((want) => (want ? tf.clone(args.dy) : undefined)),
    params: NO_PARAMS,
  }),
};

export const concat: OpKernel = {
  reads: "nothing",
  forward: (tf, _op, inputs) => tf.concat([...inputs], -1),
  backward: (tf, _op, shapes, args) => {
    const sizes = shapes.map((shape) => shape[shape.length - 1] as number);
    const parts = tf.split(args.dy, sizes, -1);
    return { inputs: parts.map((part, i) => (args.wantInputs[i] ? part : undefined)), params: NO_PARAMS };
  },
};

export const flatten: OpKernel = {
  reads: "nothing",
  forward: (tf, op, [x]) => tf.reshape(x as Tensor, [...op.shape]),
  backward: (tf, _op, [shape], args) => ({
    inputs: [tf.reshape(args.dy, [...(shape as number[])])],
    params: NO_PARAMS,
  }),
};
