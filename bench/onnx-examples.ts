/**
 * Writes instances/onnx/small-cnn.onnx: a small CNN of the ops whose ONNX form remat runs on real kernels
 * (src/onnx/runnable.ts), written by remat's own ONNX writer (src/onnx/write.ts) WITH the weights of a
 * network initialised from seed 1 (src/simulate/network.ts), so that `remat import` makes a runnable
 * instance and `remat simulate` runs it with the file's weights (the README's "Plan your own model").
 * Run: `npx tsx bench/onnx-examples.ts` (the file is the same bytes on every machine: no clock, no randomness but the seed).
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { encodeModel } from "../src/onnx/encode.js";
import { zooToOnnx } from "../src/onnx/write.js";
import { buildNetwork, disposeNetwork } from "../src/simulate/network.js";
import { loadTf } from "../src/simulate/tf.js";
import { GraphBuilder } from "../src/zoo/builder.js";
import type { AttrValue, ZooGraph } from "../src/zoo/types.js";

/**
 * A small CNN at batch `batch` on `size` x `size` RGB images, `width` channels, 3 classes: Conv with TF "same" pads and with
 * explicit ones, BatchNormalization, Relu, a depthwise Conv with bias (stride 2), Clip 0..6, Add,
 * MaxPool "same", ConvTranspose "valid", AveragePool, Sigmoid, Concat on channels, GlobalAveragePool,
 * Gemm with bias, and a cross-entropy loss.
 */
export function smallCnn(batch = 2, size = 8, width = 4): ZooGraph {
  const b = new GraphBuilder("small-cnn", { batch, size, width });
  const x = b.input("x", [batch, size, size, 3]);
  const labels = b.input("labels", [batch], "int32");
  const conv = (id: string, input: string, attrs: Record<string, AttrValue>) =>
    b.op("conv2d", id, [input], { kernel: [3, 3], strides: [1, 1], bias: false, ...attrs });
  const c1 = conv("c1", x, { filters: width, pad: "same" });
  const r1 = b.op("relu", "r1", [b.op("batchnorm", "bn1", [c1])]);
  const dw = conv("dw", r1, { filters: width, groups: width, strides: [2, 2], pad: "same", bias: true });
  const r6 = b.op("relu6", "r6", [dw]);
  const c2 = conv("c2", r6, {
    filters: width,
    pad: [
      [1, 1],
      [1, 1],
    ],
  });
  const sum = b.op("add", "sum", [r6, c2]);
  const pooled = b.op("maxpool", "max", [sum], { kernel: [3, 3], strides: [2, 2], pad: "same" });
  const up = b.op("conv2d-transpose", "up", [pooled], {
    filters: width,
    kernel: [2, 2],
    strides: [2, 2],
    pad: "valid",
    bias: true,
  });
  const avg = b.op("avgpool", "avg", [up], { kernel: [2, 2], strides: [2, 2], pad: "valid" });
  const gate = b.op("sigmoid", "gate", [avg]);
  const both = b.op("concat", "cat", [avg, gate]);
  const gap = b.op("global-avgpool", "gap", [both]);
  const logits = b.op("dense", "fc", [gap], { units: 3, bias: true });
  b.op("softmax-cross-entropy", "loss", [logits, labels]);
  return b.build();
}

/** The ONNX bytes of `graph` with the weights the simulator initialises from `seed`. */
export async function onnxWithSeededWeights(graph: ZooGraph, seed: number): Promise<Uint8Array> {
  const tf = await loadTf("cpu", "onnx-examples");
  const network = buildNetwork(tf, graph, seed);
  const weights = new Map(
    [...network.params].map(([key, t]) => [key, Float32Array.from(t.dataSync())] as const),
  );
  disposeNetwork(network);
  return encodeModel(zooToOnnx(graph, { weights }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const target = new URL("../instances/onnx/small-cnn.onnx", import.meta.url);
  writeFileSync(target, await onnxWithSeededWeights(smallCnn(16, 32, 16), 1));
  process.stdout.write(`wrote ${fileURLToPath(target)}\n`);
}
