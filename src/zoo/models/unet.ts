/**
 * U-Net (Ronneberger, Fischer, Brox, "U-Net: Convolutional Networks for Biomedical Image
 * Segmentation", MICCAI 2015, Fig. 1): a contracting path of four levels (two 3x3 convolutions with
 * bias and ReLU, then 2x2/2 max pooling) with 64, 128, 256, 512 channels, a bottom level of 1024, and an
 * expanding path of four levels (2x2/2 up-convolution halving the channels, concatenation with the
 * contracting path's feature map, two 3x3 convolutions with ReLU), then a 1x1 convolution to `classes`
 * per-pixel logits and a per-pixel cross-entropy loss. Unlike the paper (unpadded convolutions and
 * cropping, 572 -> 388), the convolutions here are padded `"same"` so the shapes line up without
 * cropping; the input size must be a multiple of 16. `width` scales the channels (64 in the paper).
 * Each double convolution, pooling and up-convolution-with-concatenation is one block of the chain view;
 * the skip tensors cross blocks, so the chain view carries them in its stage outputs.
 */
import { InputError } from "../../errors.js";
import { GraphBuilder, INPUT_BLOCK } from "../builder.js";
import type { ZooGraph } from "../types.js";
import { conv, pool } from "./layers.js";

export type UnetConfig = {
  readonly batch: number;
  /** Square input size, a multiple of 16. */
  readonly inputSize: number;
  /** Input channels (1 in the paper: grey-level microscopy). */
  readonly channels: number;
  readonly classes: number;
  /** Channels of the first level (64 in the paper). */
  readonly width: number;
};

const LEVELS = 4;

/**
 * Builds the U-Net for `config`.
 * @throws InputError (code `option`, path `inputSize`) when the input size is not a multiple of 16
 */
export function unet(config: UnetConfig): ZooGraph {
  if (config.inputSize % 2 ** LEVELS !== 0)
    throw new InputError("zoo unet", [
      { code: "option", path: "inputSize", expected: "a multiple of 16", received: String(config.inputSize) },
    ]);
  const b = new GraphBuilder("unet", config);
  b.block(INPUT_BLOCK);
  let x = b.input("x", [config.batch, config.inputSize, config.inputSize, config.channels]);
  const labels = b.input("labels", [config.batch, config.inputSize, config.inputSize], "int32");
  const doubleConv = (name: string, input: string, filters: number) => {
    b.block(name);
    const first = b.op("relu", `${name}.relu1`, [
      conv(b, `${name}.conv1`, input, { filters, kernel: 3, pad: "same", bias: true }),
    ]);
    return b.op("relu", `${name}.relu2`, [
      conv(b, `${name}.conv2`, first, { filters, kernel: 3, pad: "same", bias: true }),
    ]);
  };
  const skips: string[] = [];
  for (let level = 0; level < LEVELS; level++) {
    x = doubleConv(`down${level + 1}`, x, config.width * 2 ** level);
    skips.push(x);
    b.block(`pool${level + 1}`);
    x = pool(b, "maxpool", `pool${level + 1}`, x, 2, 2, "valid");
  }
  x = doubleConv("bottom", x, config.width * 2 ** LEVELS);
  for (let level = LEVELS - 1; level >= 0; level--) {
    const name = `up${level + 1}`;
    const filters = config.width * 2 ** level;
    b.block(`${name}.upconv`);
    const up = b.op("conv2d-transpose", `${name}.upconv`, [x], {
      filters,
      kernel: [2, 2],
      strides: [2, 2],
      pad: "same",
      bias: true,
    });
    x = b.op("concat", `${name}.concat`, [skips[level] as string, up]);
    x = doubleConv(name, x, filters);
  }
  b.block("head");
  const logits = conv(b, "head.conv", x, { filters: config.classes, kernel: 1, bias: true });
  b.op("softmax-cross-entropy", "loss", [logits, labels]);
  return b.build();
}
