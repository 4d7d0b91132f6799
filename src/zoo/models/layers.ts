/**
 * Layer helpers shared by the model files: convolutions with their normalisation and activation, in
 * the groupings the papers use, and the classifier head ending in the loss.
 */
import { type GraphBuilder, INPUT_BLOCK } from "../builder.js";
import type { Padding } from "../ops/shape.js";

/** An image classifier's configuration: batch, square input size (pixels) and classes. */
export type ImageConfig = {
  readonly batch: number;
  readonly inputSize: number;
  readonly classes: number;
};

/** A 2-D convolution's settings; `pad` a number means PyTorch's symmetric padding of that many cells. */
export interface ConvSpec {
  readonly filters: number;
  readonly kernel: number | readonly [number, number];
  readonly stride?: number;
  readonly pad?: number | readonly [number, number] | "same" | "valid";
  readonly bias?: boolean;
  /** Depthwise convolution (groups = in channels = filters). */
  readonly depthwise?: boolean;
}

/** A convolution `id` on `x`; returns its id. */
export function conv(b: GraphBuilder, id: string, x: string, spec: ConvSpec): string {
  const kernel = typeof spec.kernel === "number" ? [spec.kernel, spec.kernel] : spec.kernel;
  const stride = spec.stride ?? 1;
  return b.op("conv2d", id, [x], {
    filters: spec.filters,
    kernel,
    strides: [stride, stride],
    pad: torchPadding(spec.pad ?? 0),
    groups: spec.depthwise === true ? b.channels(x) : 1,
    bias: spec.bias ?? false,
  });
}

/** PyTorch's `padding=p` (or `(ph, pw)`) as explicit `[[top, bottom], [left, right]]`. */
function torchPadding(pad: NonNullable<ConvSpec["pad"]>): Padding {
  if (pad === "same" || pad === "valid") return pad;
  const [ph, pw] = typeof pad === "number" ? [pad, pad] : pad;
  return [
    [ph, ph],
    [pw, pw],
  ];
}

/** Convolution (no bias), batch norm and an optional activation, named `{prefix}.conv` and so on. */
export function convBnAct(
  b: GraphBuilder,
  prefix: string,
  x: string,
  spec: ConvSpec,
  activation: "relu" | "relu6" | "none",
  epsilon = 1e-5,
): string {
  const c = conv(b, `${prefix}.conv`, x, spec);
  const n = b.op("batchnorm", `${prefix}.bn`, [c], { epsilon });
  return activation === "none" ? n : b.op(activation, `${prefix}.${activation}`, [n]);
}

/** Batch norm then ReLU (DenseNet's pre-activation order), named `{prefix}.bn`, `{prefix}.relu`. */
export function bnRelu(b: GraphBuilder, prefix: string, x: string): string {
  return b.op("relu", `${prefix}.relu`, [b.op("batchnorm", `${prefix}.bn`, [x], { epsilon: 1e-5 })]);
}

/** A pooling op with a square window; `pad` "same" or "valid". */
export function pool(
  b: GraphBuilder,
  type: "maxpool" | "avgpool",
  id: string,
  x: string,
  kernel: number,
  stride: number,
  pad: "same" | "valid",
): string {
  return b.op(type, id, [x], { kernel: [kernel, kernel], strides: [stride, stride], pad });
}

/** The classifier: a dense layer to `classes` logits on `x`, then the loss against `labels`. */
export function classifierLoss(b: GraphBuilder, x: string, classes: number, labels: string): string {
  const logits = b.op("dense", "fc", [x], { units: classes, bias: true });
  return b.op("softmax-cross-entropy", "loss", [logits, labels]);
}

/** The two sources of an image classifier, in the input block: images `[N, H, W, 3]` and int labels `[N]`. */
export function imageInputs(
  b: GraphBuilder,
  config: ImageConfig,
): { readonly x: string; readonly labels: string } {
  b.block(INPUT_BLOCK);
  const x = b.input("x", [config.batch, config.inputSize, config.inputSize, 3]);
  const labels = b.input("labels", [config.batch], "int32");
  return { x, labels };
}

/** The ImageNet stem of ResNet and DenseNet (torchvision): 7x7/2 convolution, batch norm, ReLU, 3x3/2 max pool. */
export function imagenetStem(b: GraphBuilder, x: string): string {
  b.block("stem");
  const y = convBnAct(b, "stem", x, { filters: 64, kernel: 7, stride: 2, pad: 3 }, "relu");
  return pool(b, "maxpool", "stem.maxpool", y, 3, 2, "same");
}
