/**
 * Inception-v3 (Szegedy, Vanhoucke, Ioffe, Shlens, Wojna, "Rethinking the Inception Architecture for
 * Computer Vision", CVPR 2016), in torchvision's `inception_v3` layout **without the auxiliary
 * classifier** (`aux_logits=False`): the stem (3x3/2, 3x3, 3x3 padded, 3x3/2 max pool, 1x1, 3x3, 3x3/2
 * max pool), Mixed_5b-5d (InceptionA), Mixed_6a (InceptionB), Mixed_6b-6e (InceptionC, factorised 7x7),
 * Mixed_7a (InceptionD), Mixed_7b-7c (InceptionE), global average pooling and a fully connected layer
 * (dropout left out). Every convolution is torchvision's BasicConv2d: no bias, batch norm (epsilon
 * 0.001), ReLU. Default input 299x299. The 3x3/1 average pooling of the pool branches is padded
 * `"same"` and, as the zoo contract says, averages real cells only, where torchvision counts the zero
 * padding (same shapes, slightly different border values). Each stem convolution, each stem pooling
 * and each Inception module is one block of the chain view.
 */
import { GraphBuilder } from "../builder.js";
import type { ZooGraph } from "../types.js";
import type { ImageConfig } from "./layers.js";
import { type ConvSpec, classifierLoss, convBnAct, imageInputs, pool } from "./layers.js";

/** Batch-norm epsilon of torchvision's BasicConv2d. */
const EPSILON = 0.001;

/** A BasicConv2d: convolution, batch norm and ReLU named `name` on `x`; returns its output. */
type BasicConv = (name: string, x: string, spec: ConvSpec) => string;

/** Branches of one module: each a list of convolutions, or a pooling followed by convolutions. */
type Branch = { readonly pool?: "avg" | "max"; readonly convs: readonly ConvSpec[] };

const c1 = (filters: number): ConvSpec => ({ filters, kernel: 1 });
const c3 = (filters: number): ConvSpec => ({ filters, kernel: 3, pad: 1 });
const c3s2 = (filters: number): ConvSpec => ({ filters, kernel: 3, stride: 2 });
const c1x7 = (filters: number): ConvSpec => ({ filters, kernel: [1, 7], pad: [0, 3] });
const c7x1 = (filters: number): ConvSpec => ({ filters, kernel: [7, 1], pad: [3, 0] });

/** Builds Inception-v3 (no auxiliary classifier) for `config`. */
export function inceptionV3(config: ImageConfig): ZooGraph {
  const b = new GraphBuilder("inception-v3", config);
  const basic: BasicConv = (name, x, spec) => convBnAct(b, name, x, spec, "relu", EPSILON);
  const { x: image, labels } = imageInputs(b, config);
  let x = stem(b, basic, image);
  for (const [name, poolFeatures] of [
    ["Mixed_5b", 32],
    ["Mixed_5c", 64],
    ["Mixed_5d", 64],
  ] as const) {
    x = inceptionModule(b, basic, name, x, {
      branch1x1: { convs: [c1(64)] },
      branch5x5: { convs: [c1(48), { filters: 64, kernel: 5, pad: 2 }] },
      branch3x3dbl: { convs: [c1(64), c3(96), c3(96)] },
      branch_pool: { pool: "avg", convs: [c1(poolFeatures)] },
    });
  }
  x = inceptionModule(b, basic, "Mixed_6a", x, {
    branch3x3: { convs: [c3s2(384)] },
    branch3x3dbl: { convs: [c1(64), c3(96), c3s2(96)] },
    branch_pool: { pool: "max", convs: [] },
  });
  for (const [name, c7] of [
    ["Mixed_6b", 128],
    ["Mixed_6c", 160],
    ["Mixed_6d", 160],
    ["Mixed_6e", 192],
  ] as const) {
    x = inceptionModule(b, basic, name, x, {
      branch1x1: { convs: [c1(192)] },
      branch7x7: { convs: [c1(c7), c1x7(c7), c7x1(192)] },
      branch7x7dbl: { convs: [c1(c7), c7x1(c7), c1x7(c7), c7x1(c7), c1x7(192)] },
      branch_pool: { pool: "avg", convs: [c1(192)] },
    });
  }
  x = inceptionModule(b, basic, "Mixed_7a", x, {
    branch3x3: { convs: [c1(192), c3s2(320)] },
    branch7x7x3: { convs: [c1(192), c1x7(192), c7x1(192), c3s2(192)] },
    branch_pool: { pool: "max", convs: [] },
  });
  x = inceptionE(b, basic, "Mixed_7b", x);
  x = inceptionE(b, basic, "Mixed_7c", x);
  b.block("head");
  classifierLoss(b, b.op("global-avgpool", "avgpool", [x]), config.classes, labels);
  return b.build();
}

/** The stem: five convolutions and two 3x3/2 max poolings, each its own block; returns its output. */
function stem(b: GraphBuilder, basic: BasicConv, image: string): string {
  const stemConv = (name: string, x: string, spec: ConvSpec) => {
    b.block(name);
    return basic(name, x, spec);
  };
  const stemPool = (name: string, x: string) => {
    b.block(name);
    return pool(b, "maxpool", name, x, 3, 2, "valid");
  };
  let x = image;
  x = stemConv("Conv2d_1a_3x3", x, { filters: 32, kernel: 3, stride: 2 });
  x = stemConv("Conv2d_2a_3x3", x, { filters: 32, kernel: 3 });
  x = stemConv("Conv2d_2b_3x3", x, { filters: 64, kernel: 3, pad: 1 });
  x = stemPool("maxpool1", x);
  x = stemConv("Conv2d_3b_1x1", x, { filters: 80, kernel: 1 });
  x = stemConv("Conv2d_4a_3x3", x, { filters: 192, kernel: 3 });
  return stemPool("maxpool2", x);
}

/**
 * One Inception module (InceptionA to InceptionD) as a block: its branches, in order, run on `input`
 * and are concatenated; returns the concatenation.
 */
function inceptionModule(
  b: GraphBuilder,
  basic: BasicConv,
  name: string,
  input: string,
  branches: Record<string, Branch>,
): string {
  b.block(name);
  const outputs = Object.entries(branches).map(([branch, { pool: kind, convs }]) => {
    let y = input;
    if (kind === "avg") y = pool(b, "avgpool", `${name}.${branch}.pool`, y, 3, 1, "same");
    if (kind === "max") y = pool(b, "maxpool", `${name}.${branch}.pool`, y, 3, 2, "valid");
    convs.forEach((spec, index) => {
      y = basic(`${name}.${branch}_${index + 1}`, y, spec);
    });
    return y;
  });
  return b.op("concat", `${name}.concat`, outputs);
}

/** InceptionE: branches that split into parallel 1x3 and 3x1 convolutions (torchvision's layout). */
function inceptionE(b: GraphBuilder, basic: BasicConv, name: string, x: string): string {
  b.block(name);
  const split = (prefix: string, y: string) => [
    basic(`${prefix}a`, y, { filters: 384, kernel: [1, 3], pad: [0, 1] }),
    basic(`${prefix}b`, y, { filters: 384, kernel: [3, 1], pad: [1, 0] }),
  ];
  const branch1x1 = basic(`${name}.branch1x1`, x, { filters: 320, kernel: 1 });
  const branch3x3 = split(
    `${name}.branch3x3_2`,
    basic(`${name}.branch3x3_1`, x, { filters: 384, kernel: 1 }),
  );
  let dbl = basic(`${name}.branch3x3dbl_1`, x, { filters: 448, kernel: 1 });
  dbl = basic(`${name}.branch3x3dbl_2`, dbl, { filters: 384, kernel: 3, pad: 1 });
  const branch3x3dbl = split(`${name}.branch3x3dbl_3`, dbl);
  const pooled = pool(b, "avgpool", `${name}.branch_pool.pool`, x, 3, 1, "same");
  const branchPool = basic(`${name}.branch_pool_1`, pooled, { filters: 192, kernel: 1 });
  return b.op("concat", `${name}.concat`, [branch1x1, ...branch3x3, ...branch3x3dbl, branchPool]);
}
