/**
 * Causal self-attention on a fused qkv input `[N, T, 3D]`: per head, softmax(q k^T / sqrt(D / heads) +
 * causal mask) v, giving `[N, T, D]`. The scores are a temporary; the backward reads the input and
 * recomputes them (as the zoo's `bwdTemp` says), differentiating the same expression.
 */
import type { ZooOp } from "../../zoo/types.js";
import type { Tensor, Tf } from "../tf.js";
import { inputsOf, NO_PARAMS, numberAttr, type OpKernel, vjp } from "./types.js";

/** Added to masked scores: exp(-1e9) is 0 in float32, and unlike -Infinity it never makes NaN. */
const MASKED_SCORE = -1e9;

function attend(tf: Tf, op: ZooOp, qkv: Tensor): Tensor {
  const [n, t, threeD] = qkv.shape as [number, number, number];
  const d = threeD / 3;
  const heads = numberAttr(op, "heads");
  const dh = d / heads;
  const split = (part: Tensor) => tf.transpose(tf.reshape(part, [n, t, heads, dh]), [0, 2, 1, 3]);
  const [q, k, v] = tf.split(qkv, 3, -1).map(split) as [Tensor, Tensor, Tensor];
  const lower = tf.linalg.bandPart(tf.ones([t, t]), -1, 0);
  const mask = tf.mul(tf.sub(1, lower), MASKED_SCORE);
  const scores = tf.add(tf.div(tf.matMul(q, k, false, true), Math.sqrt(dh)), mask);
  const out = tf.matMul(tf.softmax(scores), v);
  return tf.reshape(tf.transpose(out, [0, 2, 1, 3]), [n, t, d]);
}

export const causalAttention: OpKernel = {
  reads: "inputs",
  forward: (tf, op, [qkv]) => attend(tf, op, qkv as Tensor),
  backward: (tf, op, _shapes, args) => {
    const [qkv] = inputsOf(args, op);
    return { inputs: vjp(tf, (x) => attend(tf, op, x), [qkv as Tensor], args.dy), params: NO_PARAMS };
  },
};
