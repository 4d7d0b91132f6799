/**
 * Normalisation kernels: `batchnorm` in training mode (statistics over N, H, W, biased variance) and
 * `layernorm` over the last axis, both `(x - mean) / sqrt(var + epsilon) * gamma + beta`. Their backward
 * reads the input and differentiates the same expression, so a recomputed forward agrees bit for bit.
 */
import type { ZooOp } from "../../zoo/types.js";
import type { Tensor, Tf } from "../tf.js";
import { inputsOf, numberAttr, type OpKernel, type ParamTensors, param, vjp } from "./types.js";

/** Default epsilon of both norms (src/zoo/types.ts). */
const DEFAULT_EPSILON = 1e-5;

function normalise(tf: Tf, x: Tensor, axes: number[], epsilon: number, gamma: Tensor, beta: Tensor): Tensor {
  const mean = tf.mean(x, axes, true);
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centred), axes, true);
  return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, epsilon))), gamma), beta);
}

/** A norm kernel over the axes `axesOf(rank)`. */
function normKernel(axesOf: (rank: number) => number[]): OpKernel {
  const run = (tf: Tf, op: ZooOp, x: Tensor, gamma: Tensor, beta: Tensor) =>
    normalise(tf, x, axesOf(x.rank), numberAttr(op, "epsilon", DEFAULT_EPSILON), gamma, beta);
  return {
    reads: "inputs",
    forward: (tf, op, [x], params: ParamTensors) =>
      run(tf, op, x as Tensor, param(params, "gamma", op), param(params, "beta", op)),
    backward: (tf, op, _shapes, args) => {
      const [x] = inputsOf(args, op);
      const gamma = param(args.params, "gamma", op);
      const beta = param(args.params, "beta", op);
      if (args.wantInputs[0] === true) {
        const [dx, dGamma, dBeta] = vjp(
          tf,
          (t, g, b) => run(tf, op, t, g, b),
          [x as Tensor, gamma, beta],
          args.dy,
        );
        return {
          inputs: [dx],
          params: new Map([
            ["gamma", dGamma as Tensor],
            ["beta", dBeta as Tensor],
          ]),
        };
      }
      const [dGamma, dBeta] = vjp(tf, (g, b) => run(tf, op, x as Tensor, g, b), [gamma, beta], args.dy);
      return {
        inputs: [undefined],
        params: new Map([
          ["gamma", dGamma as Tensor],
          ["beta", dBeta as Tensor],
        ]),
      };
    },
  };
}

export const batchnorm: OpKernel = normKernel((rank) => Array.from({ length: rank - 1 }, (_, axis) => axis));
export const layernorm: OpKernel = normKernel((rank) => [rank - 1]);
