/**
 * DenseNet-121 (Huang, Liu, van der Maaten, Weinberger, "Densely Connected Convolutional Networks",
 * CVPR 2017, Table 1, DenseNet-BC), as torchvision's `densenet121`: a 7x7/2 stem (conv, batch norm,
 * ReLU, 3x3/2 max pooling), four dense blocks of 6, 12, 24, 16 layers with growth rate k = 32, each layer
 * BN-ReLU-Conv1x1 (4k channels, the bottleneck) then BN-ReLU-Conv3x3 (k channels), transitions
 * BN-ReLU-Conv1x1 with compression 0.5 and 2x2/2 average pooling, a final batch norm and ReLU, global
 * average pooling and a fully connected classifier. Convolutions carry no bias.
 *
 * A dense layer is written `x_out = concat(x_in, new features)`: the running concatenation, which is the
 * tensor torchvision builds (`torch.cat(inputs)`) at the start of every layer, so the bytes are the same,
 * and each dense layer is one block of the chain view.
 */
import { GraphBuilder } from "../builder.js";
import type { ZooGraph } from "../types.js";
import type { ImageConfig } from "./layers.js";
import { bnRelu, classifierLoss, conv, imageInputs, imagenetStem, pool } from "./layers.js";

const GROWTH = 32;
const BOTTLENECK_FACTOR = 4;
const LAYERS_PER_BLOCK = [6, 12, 24, 16] as const;

/** Builds DenseNet-121 for `config`. */
export function densenet121(config: ImageConfig): ZooGraph {
  const b = new GraphBuilder("densenet-121", config);
  const { x: image, labels } = imageInputs(b, config);
  let x = imagenetStem(b, image);
  LAYERS_PER_BLOCK.forEach((layers, blockIndex) => {
    for (let layer = 1; layer <= layers; layer++) {
      const name = `denseblock${blockIndex + 1}.layer${layer}`;
      b.block(name);
      let y = conv(b, `${name}.conv1`, bnRelu(b, `${name}.1`, x), {
        filters: BOTTLENECK_FACTOR * GROWTH,
        kernel: 1,
      });
      y = conv(b, `${name}.conv2`, bnRelu(b, `${name}.2`, y), { filters: GROWTH, kernel: 3, pad: 1 });
      x = b.op("concat", `${name}.concat`, [x, y]);
    }
    if (blockIndex < LAYERS_PER_BLOCK.length - 1) {
      const name = `transition${blockIndex + 1}`;
      b.block(name);
      x = conv(b, `${name}.conv`, bnRelu(b, name, x), { filters: b.channels(x) / 2, kernel: 1 });
      x = pool(b, "avgpool", `${name}.pool`, x, 2, 2, "valid");
    }
  });
  b.block("head");
  x = b.op("global-avgpool", "avgpool", [bnRelu(b, "norm5", x)]);
  classifierLoss(b, x, config.classes, labels);
  return b.build();
}
