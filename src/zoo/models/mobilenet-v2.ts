/**
 * MobileNetV2 (Sandler, Howard, Zhu, Zhmoginov, Chen, "MobileNetV2: Inverted Residuals and Linear
 * Bottlenecks", CVPR 2018, Table 2), width multiplier 1.0, as torchvision's `mobilenet_v2`: a 3x3/2 stem
 * of 32 channels, seventeen inverted residual blocks (1x1 expansion by t, 3x3 depthwise with the stride,
 * linear 1x1 projection; a residual when stride is 1 and channels match), a 1x1 convolution to 1280
 * channels, global average pooling and a fully connected classifier (dropout left out). Every
 * convolution is followed by batch norm, and by ReLU6 except the projections. Each inverted residual
 * block is one block of the chain view.
 */
import { GraphBuilder } from "../builder.js";
import type { ZooGraph } from "../types.js";
import type { ImageConfig } from "./layers.js";
import { classifierLoss, convBnAct, imageInputs } from "./layers.js";

/** Rows of Table 2: expansion t, output channels c, repeats n, first stride s. */
const BOTTLENECKS = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
] as const;

/** Builds MobileNetV2 (width 1.0) for `config`. */
export function mobilenetV2(config: ImageConfig): ZooGraph {
  const b = new GraphBuilder("mobilenet-v2", config);
  const { x: image, labels } = imageInputs(b, config);
  let x = image;
  b.block("features.0");
  x = convBnAct(b, "features.0", x, { filters: 32, kernel: 3, stride: 2, pad: 1 }, "relu6");
  let index = 1;
  for (const [t, c, n, s] of BOTTLENECKS) {
    for (let repeat = 0; repeat < n; repeat++) {
      const name = `features.${index++}`;
      b.block(name);
      x = invertedResidual(b, name, x, t, c, repeat === 0 ? s : 1);
    }
  }
  b.block(`features.${index}`);
  x = convBnAct(b, `features.${index}`, x, { filters: 1280, kernel: 1 }, "relu6");
  b.block("head");
  classifierLoss(b, b.op("global-avgpool", "avgpool", [x]), config.classes, labels);
  return b.build();
}

/** Expand (1x1, by `t`), depthwise 3x3 (with the stride), project (1x1, linear), residual if shapes match. */
function invertedResidual(b: GraphBuilder, name: string, x: string, t: number, out: number, stride: number) {
  const expanded = b.channels(x) * t;
  let y = t === 1 ? x : convBnAct(b, `${name}.expand`, x, { filters: expanded, kernel: 1 }, "relu6");
  y = convBnAct(
    b,
    `${name}.depthwise`,
    y,
    { filters: expanded, kernel: 3, stride, pad: 1, depthwise: true },
    "relu6",
  );
  y = convBnAct(b, `${name}.project`, y, { filters: out, kernel: 1 }, "none");
  return stride === 1 && b.channels(x) === out ? b.op("add", `${name}.add`, [x, y]) : y;
}
