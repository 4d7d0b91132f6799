import { describe, expect, it } from "vitest";
import { encodeModel } from "../../src/onnx/encode.js";
import { importOnnx } from "../../src/onnx/import.js";
import { zooToOnnx } from "../../src/onnx/write.js";
import { zooModel, zooModels } from "../../src/zoo/registry.js";
import { toOpDocument } from "../../src/zoo/to-instance.js";

/** Small configs of every zoo network, so the files and instances stay small. */
const SMALL: Readonly<Record<string, Record<string, number>>> = {
  "resnet-18": { batch: 2, inputSize: 32, classes: 10 },
  "resnet-50": { batch: 2, inputSize: 32, classes: 10 },
  "vgg-16": { batch: 1, inputSize: 32, classes: 10 },
  "mobilenet-v2": { batch: 2, inputSize: 32, classes: 10 },
  "densenet-121": { batch: 1, inputSize: 32, classes: 10 },
  "inception-v3": { batch: 1, inputSize: 75, classes: 10 },
  unet: { batch: 1, inputSize: 64 },
  "gpt2-small": { batch: 2, seq: 16, layers: 2, heads: 2, dim: 32, vocab: 64 },
  "wide-resnet": { batch: 2, depth: 10 },
};

describe("every zoo network written as ONNX imports back as the zoo's own op-level instance", () => {
  for (const model of zooModels) {
    it(`${model.name}: same nodes, bytes, inputs, needs, temporaries and times per node`, () => {
      const graph = zooModel(model.name).build(SMALL[model.name] ?? {});
      const zoo = toOpDocument(graph);
      const loss = graph.ops[graph.ops.length - 1]?.type === "mean-square" ? "mean-square" : "cross-entropy";
      const bytes = encodeModel(zooToOnnx(graph, { externalWeights: true }));
      const { document, warnings } = importOnnx(bytes, { loss });
      expect(warnings).toEqual([]);
      const project = (nodes: typeof zoo.nodes) =>
        Object.fromEntries(
          nodes.map((node) => [
            node.id,
            {
              bytes: node.bytes,
              inputs: [...(node.inputs ?? [])].sort(),
              needs: node.needs,
              fwdTemp: node.fwdTemp ?? 0,
              bwdTemp: node.bwdTemp ?? 0,
              fwd: node.fwd,
              bwd: node.bwd,
              recomputable: node.recomputable ?? true,
            },
          ]),
        );
      expect(project(document.nodes)).toEqual(project(zoo.nodes));
      // fixedBytes: the zoo's parameters and gradients, plus BatchNormalization's running mean and
      // variance, which ONNX stores as initializers and the importer counts once, as buffers.
      const runningStats = graph.ops
        .filter((op) => op.type === "batchnorm")
        .reduce((sum, op) => sum + 2 * 4 * (op.shape[op.shape.length - 1] as number), 0);
      expect(document.fixedBytes).toBe(zoo.fixedBytes + runningStats);
    });
  }
});
