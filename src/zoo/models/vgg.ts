/**
 * VGG-16 (Simonyan, Zisserman, "Very Deep Convolutional Networks for Large-Scale Image Recognition",
 * ICLR 2015, configuration D), as torchvision's `vgg16`: thirteen 3x3 convolutions with bias and ReLU
 * in five groups (64, 128, 256, 512, 512 channels) each ending in 2x2/2 max pooling, then three fully
 * connected layers (4096, 4096, classes) with ReLU; no batch norm, dropout left out. torchvision's
 * adaptive average pooling to 7x7 is the identity at 224x224 and is omitted: the first fully connected
 * layer reads the flattened last feature map, whatever its size. Each convolution (with its ReLU), each
 * pooling and each fully connected layer is one block of the chain view.
 */
import { GraphBuilder } from "../builder.js";
import type { ZooGraph } from "../types.js";
import type { ImageConfig } from "./layers.js";
import { classifierLoss, conv, imageInputs, pool } from "./layers.js";

/** Convolutions per group and their channels (configuration D). */
const GROUPS = [
  [64, 64],
  [128, 128],
  [256, 256, 256],
  [512, 512, 512],
  [512, 512, 512],
] as const;

/** Builds VGG-16 for `config`. */
export function vgg16(config: ImageConfig): ZooGraph {
  const b = new GraphBuilder("vgg-16", config);
  const { x: image, labels } = imageInputs(b, config);
  let x = image;
  GROUPS.forEach((widths, group) => {
    widths.forEach((filters, index) => {
      const name = `conv${group + 1}_${index + 1}`;
      b.block(name);
      x = b.op("relu", `${name}.relu`, [conv(b, name, x, { filters, kernel: 3, pad: 1, bias: true })]);
    });
    b.block(`pool${group + 1}`);
    x = pool(b, "maxpool", `pool${group + 1}`, x, 2, 2, "valid");
  });
  b.block("fc6");
  x = b.op("flatten", "flatten", [x]);
  x = b.op("relu", "fc6.relu", [b.op("dense", "fc6", [x], { units: 4096, bias: true })]);
  b.block("fc7");
  x = b.op("relu", "fc7.relu", [b.op("dense", "fc7", [x], { units: 4096, bias: true })]);
  b.block("head");
  classifierLoss(b, x, config.classes, labels);
  return b.build();
}
