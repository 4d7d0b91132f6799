/**
 * Convolution geometry shared by the conv kernels: the op's padding in tfjs form, the padding amounts
 * it applies (TF's "same" rule), and the weight gradient of a dense convolution computed as a *forward*
 * convolution, because the cpu kernel `Conv2DBackpropFilter` is a pathologically slow loop and wasm has
 * none (tfjs-backend-wasm 4.x registers no Conv2DBackpropFilter kernel).
 */
import type { Tensor4D } from "@tensorflow/tfjs";
import type { ZooOp } from "../../zoo/types.js";
import type { Tensor, Tf } from "../tf.js";
import { pairAttr } from "./types.js";

/** tfjs padding: "same", "valid" or explicit NHWC pairs. */
export type Pad = "same" | "valid" | [[0, 0], [number, number], [number, number], [0, 0]];

/** Padding amounts `[top, bottom, left, right]`. */
export type PadAmounts = readonly [number, number, number, number];

/** The op's padding in tfjs form. */
export function padOf(op: ZooOp): Pad {
  const pad = op.attrs.pad ?? "valid";
  if (pad === "same" || pad === "valid") return pad;
  if (Array.isArray(pad) && pad.length === 2) {
    const [top, bottom] = pad[0] as readonly number[];
    const [left, right] = pad[1] as readonly number[];
    return [
      [0, 0],
      [top as number, bottom as number],
      [left as number, right as number],
      [0, 0],
    ];
  }
  throw new Error(`op ${op.id}: pad must be "same", "valid" or [[top, bottom], [left, right]]`);
}

/** Padding amounts `pad` applies to an `h` x `w` input of a `k` window with stride `s`. */
export function padAmounts(pad: Pad, [h, w]: readonly [number, number], op: ZooOp): PadAmounts {
  if (pad === "valid") return [0, 0, 0, 0];
  if (pad !== "same") return [pad[1][0], pad[1][1], pad[2][0], pad[2][1]];
  const [kh, kw] = pairAttr(op, "kernel");
  const [sh, sw] = pairAttr(op, "strides");
  const total = (size: number, k: number, s: number) => Math.max((Math.ceil(size / s) - 1) * s + k - size, 0);
  const th = total(h, kh, sh);
  const tw = total(w, kw, sw);
  return [Math.floor(th / 2), th - Math.floor(th / 2), Math.floor(tw / 2), tw - Math.floor(tw / 2)];
}

/**
 * `t` zero-padded (or cropped, for negative amounts) on its two spatial axes; `t` itself when the
 * amounts are all 0 (so the caller must not return the result from a kernel unchanged).
 */
export function padOrCrop(tf: Tf, t: Tensor, [top, bottom, left, right]: PadAmounts): Tensor {
  const grow = [Math.max(top, 0), Math.max(bottom, 0), Math.max(left, 0), Math.max(right, 0)] as const;
  const padded = grow.every((amount) => amount === 0)
    ? t
    : tf.pad(t, [
        [0, 0],
        [grow[0], grow[1]],
        [grow[2], grow[3]],
        [0, 0],
      ]);
  const [n, h, w, c] = padded.shape as [number, number, number, number];
  const cropTop = Math.max(-top, 0);
  const cropLeft = Math.max(-left, 0);
  const size = [n, h - cropTop - Math.max(-bottom, 0), w - cropLeft - Math.max(-right, 0), c];
  return cropTop === 0 && cropLeft === 0 && size[1] === h && size[2] === w
    ? padded
    : tf.slice(padded, [0, cropTop, cropLeft, 0], size);
}

/**
 * The leading `size` block of `t`, or `t` itself when that is all of it. A slice that would copy the
 * whole tensor is skipped because it is not free on wasm: tfjs-backend-wasm's Slice reads its whole
 * input back into a new JavaScript array (`readSync`), and for a large weight gradient that garbage
 * makes V8 collect in the middle of a later kernel (a 512 x 512 x 3 x 3 gradient's whole-tensor slice
 * measured 1.7 ms or 30-35 ms, bimodally, on this machine). The caller must not return the result
 * from a kernel unchanged.
 */
export function leadingBlock(tf: Tf, t: Tensor, size: readonly number[]): Tensor {
  if (size.every((extent, axis) => extent === t.shape[axis])) return t;
  return tf.slice(
    t,
    size.map(() => 0),
    [...size],
  );
}

/**
 * dW of the dense convolution `y = conv(x, W)` (window `op.kernel`, stride `op.strides`, padding
 * `amounts`) as one forward convolution: x padded and transposed to `[Cin, H, W, N]`, convolved with dy
 * transposed to `[OH, OW, N, Cout]` as a filter dilated by the stride, cropped to the window:
 * `dW[a, b, ci, co] = sum over n, oh, ow of xpad[n, oh*sh + a, ow*sw + b, ci] * dy[n, oh, ow, co]`.
 */
export function denseWeightGradient(tf: Tf, op: ZooOp, x: Tensor, dy: Tensor, amounts: PadAmounts): Tensor {
  const [kh, kw] = pairAttr(op, "kernel");
  const [sh, sw] = pairAttr(op, "strides");
  const xt = tf.transpose(padOrCrop(tf, x, amounts), [3, 1, 2, 0]) as Tensor4D;
  const filter = tf.transpose(dy, [1, 2, 0, 3]) as Tensor4D;
  const full = tf.conv2d(xt, filter, 1, "valid", "NHWC", [sh, sw]);
  const [cin, , , cout] = full.shape;
  return tf.transpose(leadingBlock(tf, full, [cin, kh, kw, cout]), [1, 2, 0, 3]);
}
