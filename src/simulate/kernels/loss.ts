/**
 * The loss: softmax cross-entropy of logits `[..., classes]` against int labels `[...]`, the mean over
 * all positions, a scalar. Its backward reads the inputs (logits and labels).
 */
import type { Tensor, Tf } from "../tf.js";
import { inputsOf, NO_PARAMS, type OpKernel, vjp } from "./types.js";

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
