/**
 * Pooling kernels: `maxpool` (backward reads the input), `avgpool` ("same" counts only real cells, as TF;
 * backward reads nothing but shapes), `global-avgpool` (mean over H and W).
 */
import type { ZooOp } from "../../zoo/types.js";
import type { Tensor, Tf } from "../tf.js";
import { inputsOf, NO_PARAMS, type OpKernel, pairAttr, vjp } from "./types.js";

function poolPad(op: ZooOp): "same" | "valid" {
  const pad = op.attrs.pad ?? "valid";
  if (pad !== "same" && pad !== "valid") throw new Error(`op ${op.id}: pool pad must be "same" or "valid"`);
  return pad;
}

function maxPoolOf(tf: Tf, op: ZooOp, x: Tensor): Tensor {
  return tf.maxPool(
    x as Parameters<Tf["maxPool"]>[0],
    pairAttr(op, "kernel"),
    pairAttr(op, "strides"),
    poolPad(op),
  );
}

function avgPoolOf(tf: Tf, op: ZooOp, x: Tensor): Tensor {
  return tf.avgPool(
    x as Parameters<Tf["avgPool"]>[0],
    pairAttr(op, "kernel"),
    pairAttr(op, "strides"),
    poolPad(op),
  );
}

export const maxpool: OpKernel = {
  reads: "inputs",
  forward: (tf, op, [x]) => maxPoolOf(tf, op, x as Tensor),
  backward: (tf, op, _shapes, args) => {
    const [x] = inputsOf(args, op);
    return { inputs: vjp(tf, (t) => maxPoolOf(tf, op, t), [x as Tensor], args.dy), params: NO_PARAMS };
  },
};

export const avgpool: OpKernel = {
  reads: "nothing",
  forward: (tf, op, [x]) => avgPoolOf(tf, op, x as Tensor),
  // the average's gradient does not depend on the input's values: differentiate at zeros of its shape
  backward: (tf, op, [shape], args) => ({
    inputs: vjp(tf, (t) => avgPoolOf(tf, op, t), [tf.zeros([...(shape as number[])])], args.dy),
    params: NO_PARAMS,
  }),
};

export const globalAvgpool: OpKernel = {
  reads: "nothing",
  forward: (tf, _op, [x]) => tf.mean(x as Tensor, [1, 2]),
  backward: (tf, _op, [shape], args) => {
    const [n, h, w, c] = shape as [number, number, number, number];
    const spread = tf.div(tf.reshape(args.dy, [n, 1, 1, c]), h * w);
    return { inputs: [tf.broadcastTo(spread, [n, h, w, c])], params: NO_PARAMS };
  },
};
