/**
 * Wide residual networks for 32x32 inputs (Zagoruyko & Komodakis, "Wide Residual Networks", BMVC 2016,
 * Table 1), WRN-d-k as in the authors' code: a 3x3 convolution to 16 channels, three groups of
 * (d - 4) / 6 pre-activation basic blocks of widths 16k, 32k, 64k (the second and third groups start
 * with stride 2), a final batch norm and ReLU, global average pooling and one fully connected layer.
 * A block is `o = relu(bn(x))`, `y = conv3x3(o, stride)`, `y = conv3x3(relu(bn(y)))`, plus `x` or,
 * where the shape changes, a 1x1 convolution (with the stride) of `o`. Convolutions carry no bias;
 * dropout is left out. WRN-28-2 (the default, Sohoni et al. 2019's network) has 1,467,610 parameters.
 * Each block is one block of the chain view.
 */
import { GraphBuilder } from "../builder.js";
import type { ZooGraph } from "../types.js";
import { bnRelu, classifierLoss, conv, type ImageConfig, imageInputs } from "./layers.js";

/** A wide ResNet's configuration: the image classifier's, plus depth d and widening factor k. */
export type WideResNetConfig = ImageConfig & { readonly depth: number; readonly width: number };

/** Builds WRN-depth-width for `config` (depth = 6n + 4). */
export function wideResnet(config: WideResNetConfig): ZooGraph {
  const b = new GraphBuilder("wide-resnet", config);
  const { x: image, labels } = imageInputs(b, config);
  b.block("stem");
  let x = conv(b, "stem.conv", image, { filters: 16, kernel: 3, pad: 1 });
  const blocks = (config.depth - 4) / 6;
  [16, 32, 64].forEach((base, group) => {
    for (let index = 0; index < blocks; index++) {
      const name = `group${group + 1}.${index}`;
      b.block(name);
      x = preActBlock(b, name, x, base * config.width, group > 0 && index === 0 ? 2 : 1);
    }
  });
  b.block("head");
  x = bnRelu(b, "head", x);
  x = b.op("global-avgpool", "global-avgpool", [x]);
  classifierLoss(b, x, config.classes, labels);
  return b.build();
}

/** One pre-activation basic block (Zagoruyko & Komodakis 2016, Figure 1(a) with BN-ReLU first). */
function preActBlock(b: GraphBuilder, name: string, x: string, width: number, stride: number): string {
  const o = bnRelu(b, `${name}.1`, x);
  let y = conv(b, `${name}.1.conv`, o, { filters: width, kernel: 3, stride, pad: 1 });
  y = bnRelu(b, `${name}.2`, y);
  y = conv(b, `${name}.2.conv`, y, { filters: width, kernel: 3, pad: 1 });
  const shortcut =
    stride === 1 && b.channels(x) === width
      ? x
      : conv(b, `${name}.shortcut`, o, { filters: width, kernel: 1, stride });
  return b.op("add", `${name}.add`, [y, shortcut]);
}
