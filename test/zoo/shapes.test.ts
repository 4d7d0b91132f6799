/** Output shapes of known layers of the zoo's networks, against their papers' layer tables. */
import { describe, expect, it } from "vitest";
import { zooModel } from "../../src/zoo/registry.js";
import type { ZooGraph } from "../../src/zoo/types.js";

function shapeOf(graph: ZooGraph, id: string): readonly number[] {
  const op = graph.ops.find((candidate) => candidate.id === id);
  if (op === undefined) throw new Error(`no op ${id} in ${graph.zoo}`);
  return op.shape;
}

describe("zoo shapes", () => {
  it("ResNet-50 at 224x224 follows Table 1 of He et al.: 112, 56, 28, 14, 7", () => {
    const g = zooModel("resnet-50").build();
    expect(shapeOf(g, "stem.relu")).toEqual([32, 112, 112, 64]);
    expect(shapeOf(g, "stem.maxpool")).toEqual([32, 56, 56, 64]);
    expect(shapeOf(g, "layer1.2.relu")).toEqual([32, 56, 56, 256]);
    expect(shapeOf(g, "layer2.3.relu")).toEqual([32, 28, 28, 512]);
    expect(shapeOf(g, "layer3.5.relu")).toEqual([32, 14, 14, 1024]);
    expect(shapeOf(g, "layer4.2.relu")).toEqual([32, 7, 7, 2048]);
    expect(shapeOf(g, "fc")).toEqual([32, 1000]);
  });

  it("ResNet-18 at 32x32 (the simulator's size) ends its stages at 8, 4, 2, 1", () => {
    const g = zooModel("resnet-18").build({ batch: 4, inputSize: 32, classes: 10 });
    expect(shapeOf(g, "layer1.1.relu")).toEqual([4, 8, 8, 64]);
    expect(shapeOf(g, "layer4.1.relu")).toEqual([4, 1, 1, 512]);
    expect(shapeOf(g, "fc")).toEqual([4, 10]);
  });

  it("VGG-16 ends its convolutions at 7x7x512 and flattens 25088 features", () => {
    const g = zooModel("vgg-16").build();
    expect(shapeOf(g, "pool5")).toEqual([32, 7, 7, 512]);
    expect(shapeOf(g, "flatten")).toEqual([32, 25088]);
  });

  it("MobileNetV2 follows Table 2 of Sandler et al.", () => {
    const g = zooModel("mobilenet-v2").build();
    expect(shapeOf(g, "features.0.relu6")).toEqual([32, 112, 112, 32]);
    expect(shapeOf(g, "features.3.add")).toEqual([32, 56, 56, 24]);
    expect(shapeOf(g, "features.17.project.bn")).toEqual([32, 7, 7, 320]);
    expect(shapeOf(g, "features.18.relu6")).toEqual([32, 7, 7, 1280]);
  });

  it("DenseNet-121 grows by 32 channels per layer and halves at each transition", () => {
    const g = zooModel("densenet-121").build();
    expect(shapeOf(g, "denseblock1.layer6.concat")).toEqual([32, 56, 56, 256]);
    expect(shapeOf(g, "transition1.pool")).toEqual([32, 28, 28, 128]);
    expect(shapeOf(g, "denseblock2.layer12.concat")).toEqual([32, 28, 28, 512]);
    expect(shapeOf(g, "denseblock3.layer24.concat")).toEqual([32, 14, 14, 1024]);
    expect(shapeOf(g, "denseblock4.layer16.concat")).toEqual([32, 7, 7, 1024]);
  });

  it("Inception-v3 at 299x299 reaches 35x35x288, 17x17x768 and 8x8x2048", () => {
    const g = zooModel("inception-v3").build();
    expect(shapeOf(g, "maxpool2")).toEqual([32, 35, 35, 192]);
    expect(shapeOf(g, "Mixed_5b.concat")).toEqual([32, 35, 35, 256]);
    expect(shapeOf(g, "Mixed_5d.concat")).toEqual([32, 35, 35, 288]);
    expect(shapeOf(g, "Mixed_6e.concat")).toEqual([32, 17, 17, 768]);
    expect(shapeOf(g, "Mixed_7a.concat")).toEqual([32, 8, 8, 1280]);
    expect(shapeOf(g, "Mixed_7c.concat")).toEqual([32, 8, 8, 2048]);
  });

  it("U-Net with 'same' padding keeps the input size at the output, with 1024 channels at the bottom", () => {
    const g = zooModel("unet").build();
    expect(shapeOf(g, "bottom.relu2")).toEqual([4, 32, 32, 1024]);
    expect(shapeOf(g, "up1.concat")).toEqual([4, 512, 512, 128]);
    expect(shapeOf(g, "head.conv")).toEqual([4, 512, 512, 2]);
  });

  it("GPT-2 small keeps [batch, seq, 768] through its layers and ends in vocabulary logits", () => {
    const g = zooModel("gpt2-small").build();
    expect(shapeOf(g, "h.0.attn.c_attn")).toEqual([8, 1024, 2304]);
    expect(shapeOf(g, "h.0.attn.attention")).toEqual([8, 1024, 768]);
    expect(shapeOf(g, "h.11.mlp.c_fc")).toEqual([8, 1024, 3072]);
    expect(shapeOf(g, "lm_head")).toEqual([8, 1024, 50257]);
    expect(shapeOf(g, "loss")).toEqual([]);
  });

  it("WRN-28-2 keeps 32x32 through its first group and halves it twice, to 8x8x128", () => {
    const g = zooModel("wide-resnet").build();
    expect(shapeOf(g, "stem.conv")).toEqual([128, 32, 32, 16]);
    expect(shapeOf(g, "group1.3.add")).toEqual([128, 32, 32, 32]);
    expect(shapeOf(g, "group2.0.add")).toEqual([128, 16, 16, 64]);
    expect(shapeOf(g, "group3.3.add")).toEqual([128, 8, 8, 128]);
    expect(shapeOf(g, "fc")).toEqual([128, 10]);
  });

  it("every network starts with its data sources and ends with the loss", () => {
    for (const name of ["mlp", "resnet-18", "unet", "gpt2-small", "wide-resnet"]) {
      const g = zooModel(name).build();
      expect(g.ops.slice(0, 2).map((op) => op.type)).toEqual(["input", "input"]);
      expect(g.ops[g.ops.length - 1]?.type).toBe("softmax-cross-entropy");
    }
  });
});
