/**
 * The losses, each a scalar:
 * - `softmax-cross-entropy`: logits `[..., classes]` against int labels `[...]`, the mean over all
 *   positions; its backward reads the inputs (logits and labels);
 * - `mean-square`: `sum(x^2) / (2 * count)` of one input `x` of `count` elements; its backward reads
 *   `x`: `dx = x * (g / count)`, written out by hand (one scalar division, one multiply per element).
 */
import type { Tensor, Tf } from "../tf.js";
import { inputsOf, NO_PARAMS, type OpKernel, sizeOf, vjp } from "./types.js";

function crossEntropy(tf: Tf, logits: Tensor, labels: Tensor): Tensor {
  const classes = logits.shape[logits.shape.length - 1] as number;
  const rows = logits.size / classes;
  const logProbs = tf.logSoftmax(tf.reshape(logits, [rows, classes]));
  const hot = tf.oneHot(tf.reshape(labels, [rows]) as Parameters<Tf["oneHot"]>[0], classes);
  return tf.neg(tf.mean(tf.sum(tf.mul(logProbs, hot), -1)));
}

export const softmaxCrossEntropy: OpKernel = {
  reads: "inputs",
  forward: (tf, _op, [logits, labels]) => crossEntropy(tf, logits as Tensor, labels as Tensor),
  backward: (tf, op, _shapes, args) => {
    const [logits, labels] = inputsOf(args, op) as [Tensor, Tensor];
    const [dLogits] = vjp(tf, (x) => crossEntropy(tf, x, labels), [logits], args.dy);
    return { inputs: [args.wantInputs[0] === true ? dLogits : undefined, undefined], params: NO_PARAMS };
  },
};

export const meanSquare: OpKernel = {
  reads: "inputs",
  forward: (tf, _op, [x]) => {
    const t = x as Tensor;
    return tf.div(tf.sum(tf.square(t)), 2 * sizeOf(t.shape));
  },
  backward: (tf, op, [shape], args) => {
    const [x] = inputsOf(args, op) as [Tensor];
    const dx = args.wantInputs[0] === true ? tf.mul(x, tf.div(args.dy, sizeOf(shape ?? []))) : undefined;
    return { inputs: [dx], params: NO_PARAMS };
  },
};
