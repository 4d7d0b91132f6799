/**
 * The depthwise convolution (groups = in channels = filters, weight `[kh, kw, C, 1]`) and its gradients,
 * written with forward depthwise convolutions only, since wasm has no depthwise backprop kernels:
 * - dW: x padded and laid out as one image of `C * N` channels, convolved with dy as a `[OH, OW, C * N]`
 *   filter dilated by the stride, cropped to the window and summed over N;
 * - dx: dy dilated by the stride (zeros between rows and columns), padded to a full correlation and
 *   convolved with the window flipped.
 */
import type { Tensor4D } from "@tensorflow/tfjs";
import type { ZooOp } from "../../zoo/types.js";
import type { Tensor, Tf } from "../tf.js";
import { leadingBlock, padAmounts, padOf, padOrCrop } from "./conv-geometry.js";
import { pairAttr } from "./types.js";

type Shape4 = [number, number, number, number];

/** The depthwise forward. */
export function depthwiseForward(tf: Tf, op: ZooOp, x: Tensor, weight: Tensor): Tensor {
  return tf.depthwiseConv2d(x as Tensor4D, weight as Tensor4D, pairAttr(op, "strides"), padOf(op));
}

/** dy with `s - 1` zero rows (columns) between its rows (columns): `[N, (OH-1)*sh+1, (OW-1)*sw+1, C]`. */
function dilate(tf: Tf, dy: Tensor, [sh, sw]: [number, number]): Tensor {
  if (sh === 1 && sw === 1) return dy;
  const [n, oh, ow, c] = dy.shape as Shape4;
  const spread = tf.pad(tf.reshape(dy, [n, oh, 1, ow, 1, c]), [
    [0, 0],
    [0, 0],
    [0, sh - 1],
    [0, 0],
    [0, sw - 1],
    [0, 0],
  ]);
  return tf.slice(
    tf.reshape(spread, [n, oh * sh, ow * sw, c]),
    [0, 0, 0, 0],
    [n, (oh - 1) * sh + 1, (ow - 1) * sw + 1, c],
  );
}

/** The gradients of the depthwise conv: dx (when wanted) and dW. */
export function depthwiseGradients(
  tf: Tf,
  op: ZooOp,
  x: Tensor,
  weight: Tensor,
  dy: Tensor,
  wantInput: boolean,
) {
  const [kh, kw] = pairAttr(op, "kernel");
  const strides = pairAttr(op, "strides");
  const [n, h, w, c] = x.shape as Shape4;
  const [, oh, ow] = dy.shape as Shape4;
  const amounts = padAmounts(padOf(op), [h, w], op);
  const padded = padOrCrop(tf, x, amounts);
  const [, hp, wp] = padded.shape as Shape4;
  const image = tf.reshape(tf.transpose(padded, [1, 2, 3, 0]), [1, hp, wp, c * n]) as Tensor4D;
  const filter = tf.reshape(tf.transpose(dy, [1, 2, 3, 0]), [oh, ow, c * n, 1]) as Tensor4D;
  const full = tf.depthwiseConv2d(image, filter, 1, "valid", "NHWC", strides);
  const window = tf.reshape(leadingBlock(tf, full, [1, kh, kw, c * n]), [kh, kw, c, n]);
  const dWeight = tf.reshape(tf.sum(window, 3), [kh, kw, c, 1]);
  if (!wantInput) return { dx: undefined, dWeight };
  const dilated = dilate(tf, dy, strides);
  const [, lh, lw] = dilated.shape as Shape4;
  const [top, , left] = amounts;
  const before = [kh - 1 - top, kw - 1 - left] as const;
  const spread = padOrCrop(tf, dilated, [
    before[0],
    h + kh - 1 - lh - before[0],
    before[1],
    w + kw - 1 - lw - before[1],
  ]);
  const dx = tf.depthwiseConv2d(spread as Tensor4D, tf.reverse(weight, [0, 1]) as Tensor4D, 1, "valid");
  return { dx, dWeight };
}
