/**
 * Dense and embedding kernels: `dense` (`[..., K] -> [..., units]`, weight `[K, units]`, or the tied
 * op's `[units, K]` weight transposed when `tiedTo` is set), `embedding` (a gather of rows) and
 * `position-embedding` (adds a learned `[T, D]` table). Gradients are written out as matrix products
 * and sums, so the backward of `dense` reads the input only for the weight gradient.
 */
import type { ZooOp } from "../../zoo/types.js";
import type { Tensor, Tf } from "../tf.js";
import { inputsOf, type OpKernel, param, sizeOf } from "./types.js";

type Tensor2 = Parameters<Tf["matMul"]>[0];

function isTied(op: ZooOp): boolean {
  return typeof op.attrs.tiedTo === "string";
}

/** `t` as a matrix `[rows, last]`. */
function asMatrix(tf: Tf, t: Tensor): Tensor2 {
  const last = t.shape[t.shape.length - 1] as number;
  return tf.reshape(t, [t.size / last, last]) as Tensor2;
}

export const dense: OpKernel = {
  reads: "inputs",
  forward: (tf, op, [x], params) => {
    const weight = param(params, "weight", op) as Tensor2;
    const product = tf.matMul(asMatrix(tf, x as Tensor), weight, false, isTied(op));
    const y = op.attrs.bias === true ? tf.add(product, param(params, "bias", op)) : product;
    return tf.reshape(y, [...op.shape]);
  },
  backward: (tf, op, [shape], args) => {
    const [x] = inputsOf(args, op) as [Tensor];
    const weight = param(args.params, "weight", op) as Tensor2;
    const dy = asMatrix(tf, args.dy);
    const xm = asMatrix(tf, x);
    const dWeight = isTied(op) ? tf.matMul(dy, xm, true, false) : tf.matMul(xm, dy, true, false);
    const dx =
      args.wantInputs[0] === true
        ? tf.reshape(tf.matMul(dy, weight, false, !isTied(op)), [...(shape as number[])])
        : undefined;
    const grads = new Map<string, Tensor>([["weight", dWeight]]);
    if (op.attrs.bias === true) grads.set("bias", tf.sum(dy, 0));
    return { inputs: [dx], params: grads };
  },
};

export const embedding: OpKernel = {
  reads: "inputs",
  forward: (tf, op, [ids], params) => tf.gather(param(params, "weight", op), ids as Tensor),
  backward: (tf, op, _shapes, args) => {
    const [ids] = inputsOf(args, op) as [Tensor];
    const weight = param(args.params, "weight", op);
    // a scatter-add of dy's rows into the vocabulary's rows (wasm has no UnsortedSegmentSum)
    const rows = tf.reshape(ids, [sizeOf(ids.shape), 1]);
    const dWeight = tf.scatterND(rows, asMatrix(tf, args.dy), [...weight.shape]);
    return { inputs: [undefined], params: new Map([["weight", dWeight]]) };
  },
};

export const positionEmbedding: OpKernel = {
  reads: "nothing",
  forward: (tf, op, [x], params) => tf.add(x as Tensor, param(params, "weight", op)),
  backward: (tf, _op, _shapes, args) => ({
    inputs: [args.wantInputs[0] === true ? tf.clone(args.dy) : undefined],
    params: new Map([["weight", tf.sum(args.dy, 0)]]),
  }),
};
