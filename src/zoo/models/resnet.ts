/**
 * ResNet-18 and ResNet-50 (He, Zhang, Ren, Sun, "Deep Residual Learning for Image Recognition",
 * CVPR 2016, Table 1), in torchvision's layout: 7x7/2 stem with batch norm and 3x3/2 max pooling, four
 * stages of basic (18) or bottleneck (50) blocks with 64, 128, 256, 512 base channels, the stride on the
 * 3x3 convolution of a bottleneck ("ResNet v1.5"), 1x1 projection shortcuts with batch norm where the
 * shape changes, global average pooling and one fully connected layer. Convolutions carry no bias.
 * Each residual block is one block of the chain view.
 */
import { GraphBuilder } from "../builder.js";
import type { ZooGraph } from "../types.js";
import { classifierLoss, convBnAct, type ImageConfig, imageInputs, imagenetStem } from "./layers.js";

/** Blocks per stage and block kind of each depth (He et al. 2016, Table 1). */
const DEPTHS = {
  "resnet-18": { blocks: [2, 2, 2, 2], bottleneck: false },
  "resnet-50": { blocks: [3, 4, 6, 3], bottleneck: true },
} as const;

/** Builds ResNet-18 or ResNet-50 for `config`. */
export function resnet(zoo: keyof typeof DEPTHS, config: ImageConfig): ZooGraph {
  const { blocks, bottleneck } = DEPTHS[zoo];
  const b = new GraphBuilder(zoo, config);
  const { x: image, labels } = imageInputs(b, config);
  let x = imagenetStem(b, image);
  blocks.forEach((count, stage) => {
    const width = 64 * 2 ** stage;
    for (let index = 0; index < count; index++) {
      const name = `layer${stage + 1}.${index}`;
      const stride = stage > 0 && index === 0 ? 2 : 1;
      b.block(name);
      x = (bottleneck ? bottleneckBlock : basicBlock)(b, name, x, width, stride);
    }
  });
  b.block("head");
  x = b.op("global-avgpool", "avgpool", [x]);
  classifierLoss(b, x, config.classes, labels);
  return b.build();
}

/** Two 3x3 convolutions with a shortcut (ResNet-18/34). */
function basicBlock(b: GraphBuilder, name: string, x: string, width: number, stride: number): string {
  let y = convBnAct(b, `${name}.1`, x, { filters: width, kernel: 3, stride, pad: 1 }, "relu");
  y = convBnAct(b, `${name}.2`, y, { filters: width, kernel: 3, pad: 1 }, "none");
  return residual(b, name, x, y, width, stride);
}

/** 1x1 reduce, 3x3 (with the stride), 1x1 expand to 4x the width, with a shortcut (ResNet-50+). */
function bottleneckBlock(b: GraphBuilder, name: string, x: string, width: number, stride: number): string {
  let y = convBnAct(b, `${name}.1`, x, { filters: width, kernel: 1 }, "relu");
  y = convBnAct(b, `${name}.2`, y, { filters: width, kernel: 3, stride, pad: 1 }, "relu");
  y = convBnAct(b, `${name}.3`, y, { filters: 4 * width, kernel: 1 }, "none");
  return residual(b, name, x, y, 4 * width, stride);
}

/** `relu(y + shortcut(x))`, the shortcut a 1x1 projection with batch norm when the shape changes. */
function residual(b: GraphBuilder, name: string, x: string, y: string, out: number, stride: number): string {
  const shortcut =
    stride === 1 && b.channels(x) === out
      ? x
      : convBnAct(b, `${name}.downsample`, x, { filters: out, kernel: 1, stride }, "none");
  return b.op("relu", `${name}.relu`, [b.op("add", `${name}.add`, [y, shortcut])]);
}
