/**
 * The zoo registry: every network by name, with a one-line description naming its paper, its default
 * configuration (the common training setting) and its builder. One explicit list, looked up by name.
 */
import { InputError, type InputIssue } from "../errors.js";
import { readConfig, type ZooConfig } from "./config.js";
import { densenet121 } from "./models/densenet.js";
import { gpt2 } from "./models/gpt2.js";
import { inceptionV3 } from "./models/inception-v3.js";
import type { ImageConfig } from "./models/layers.js";
import { mlp, mlpChain } from "./models/mlp.js";
import { mobilenetV2 } from "./models/mobilenet-v2.js";
import { resnet } from "./models/resnet.js";
import { unet } from "./models/unet.js";
import { vgg16 } from "./models/vgg.js";
import { type WideResNetConfig, wideResnet } from "./models/wide-resnet.js";
import type { ZooGraph } from "./types.js";

/** One network of the zoo. */
export interface ZooModel {
  readonly name: string;
  /** The architecture, its paper and layout, in one line. */
  readonly description: string;
  /** The default configuration: the common training setting (batch, input size or sequence, ...). */
  readonly defaults: ZooConfig;
  /**
   * Builds the network; keys missing from `config` take their defaults.
   * @throws InputError (code `option`, path the key) for an unknown key or a bad value
   */
  readonly build: (config?: Readonly<Record<string, unknown>>) => ZooGraph;
}

const IMAGENET = { batch: 32, inputSize: 224, classes: 1000 } as const;

/** A zoo entry from its typed builder; `check` returns an issue for a config it rejects. */
function defineModel<C extends ZooConfig>(
  name: string,
  description: string,
  defaults: C,
  build: (config: C) => ZooGraph,
  check: (config: C) => InputIssue | undefined = () => undefined,
): ZooModel {
  return {
    name,
    description,
    defaults: Object.freeze({ ...defaults }),
    build: (config = {}) => build(readConfig(`zoo ${name}`, defaults, config, check)),
  };
}

/** Rejects inputs smaller than `min` pixels (where the downsampling would leave nothing). */
function minInputSize(min: number) {
  return (config: ImageConfig): InputIssue | undefined =>
    config.inputSize >= min
      ? undefined
      : {
          code: "option",
          path: "inputSize",
          expected: `at least ${min}`,
          received: String(config.inputSize),
        };
}

/** Every network of the zoo, in the order `remat zoo` lists them. */
export const zooModels: readonly ZooModel[] = Object.freeze([
  defineModel(
    "mlp",
    "MLP: hidden dense layers with ReLU (small, for the simulator)",
    { batch: 32, inputSize: 784, hidden: 256, layers: 3, classes: 10 },
    mlp,
  ),
  defineModel(
    "mlp-chain",
    "MLP ending in a label-free mean-square loss: an op-level chain (for the chain solvers and the simulator)",
    { batch: 32, inputSize: 784, hidden: 256, layers: 3, outputs: 10 },
    mlpChain,
  ),
  defineModel("resnet-18", "ResNet-18 (He et al. 2016), torchvision layout", IMAGENET, (c: ImageConfig) =>
    resnet("resnet-18", c),
  ),
  defineModel(
    "resnet-50",
    "ResNet-50 (He et al. 2016), torchvision layout (v1.5)",
    IMAGENET,
    (c: ImageConfig) => resnet("resnet-50", c),
  ),
  defineModel(
    "vgg-16",
    "VGG-16 (Simonyan & Zisserman 2015, configuration D), torchvision layout",
    IMAGENET,
    vgg16,
    minInputSize(32),
  ),
  defineModel(
    "mobilenet-v2",
    "MobileNetV2 1.0 (Sandler et al. 2018), torchvision layout",
    IMAGENET,
    mobilenetV2,
  ),
  defineModel(
    "densenet-121",
    "DenseNet-121 (Huang et al. 2017, BC, k=32), torchvision layout",
    IMAGENET,
    densenet121,
    minInputSize(32),
  ),
  defineModel(
    "inception-v3",
    "Inception-v3 (Szegedy et al. 2016), torchvision layout without the auxiliary classifier",
    { ...IMAGENET, inputSize: 299 },
    inceptionV3,
    minInputSize(75),
  ),
  defineModel(
    "unet",
    "U-Net (Ronneberger et al. 2015) with 'same'-padded convolutions",
    { batch: 4, inputSize: 512, channels: 1, classes: 2, width: 64 },
    unet,
  ),
  defineModel(
    "gpt2-small",
    "GPT-2 (Radford et al. 2019), pre-norm Transformer stack with tied head; defaults: GPT-2 small",
    { batch: 8, seq: 1024, layers: 12, heads: 12, dim: 768, vocab: 50257 },
    gpt2,
    (c) =>
      c.dim % c.heads === 0
        ? undefined
        : { code: "option", path: "dim", expected: "a multiple of heads", received: String(c.dim) },
  ),
  defineModel(
    "wide-resnet",
    "Wide ResNet (Zagoruyko & Komodakis 2016), pre-activation, for 32x32 inputs; defaults: WRN-28-2 on CIFAR-10",
    { batch: 128, inputSize: 32, classes: 10, depth: 28, width: 2 },
    wideResnet,
    (c: WideResNetConfig) =>
      c.depth >= 10 && (c.depth - 4) % 6 === 0
        ? minInputSize(4)(c)
        : {
            code: "option",
            path: "depth",
            expected: "6n + 4 with n >= 1 (10, 16, 22, 28, ...)",
            received: String(c.depth),
          },
  ),
]);

/**
 * The zoo network called `name`.
 * @throws InputError (code `option`, path `model`) when there is none
 */
export function zooModel(name: string): ZooModel {
  const model = zooModels.find((candidate) => candidate.name === name);
  if (model === undefined)
    throw new InputError("zoo", [
      {
        code: "option",
        path: "model",
        expected: `one of ${zooModels.map((m) => m.name).join(", ")}`,
        received: JSON.stringify(name),
      },
    ]);
  return model;
}
