/**
 * Issue 16 item 2: an imported ONNX model whose every node has a kernel runs on the simulator with the
 * file's own initializers. Zoo networks are written to ONNX WITH the weights of a seeded network, imported
 * and simulated: the parameters the simulator builds are the file's (bit for bit), the loss equals the
 * one the zoo network computes with the same weights, gradients match plain backprop and the memory
 * timeline the evaluator's; a file with other weights gives another loss.
 */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { smallCnn } from "../../bench/onnx-examples.js";
import { parseInstance } from "../../src/instance/parse.js";
import type { Instance } from "../../src/instance/types.js";
import { encodeModel } from "../../src/onnx/encode.js";
import { importOnnx } from "../../src/onnx/import.js";
import { onnxNetwork } from "../../src/onnx/weights.js";
import { zooToOnnx } from "../../src/onnx/write.js";
import { checkpointSchedule } from "../../src/schedule/checkpoint-schedule.js";
import { buildNetwork, disposeNetwork } from "../../src/simulate/network.js";
import { simulate } from "../../src/simulate/simulate.js";
import { loadTf } from "../../src/simulate/tf.js";
import { toInstance } from "../../src/zoo/level.js";
import type { ZooGraph } from "../../src/zoo/types.js";
import { cli, ROOT, tempFolder } from "../cli/run.js";
import { tinyMlp } from "./fixtures.js";

/** The parameters of `graph` as the simulator initialises them from `seed`, copied to host. */
async function seededWeights(graph: ZooGraph, seed: number): Promise<Map<string, Float32Array>> {
  const tf = await loadTf("cpu", "test");
  const network = buildNetwork(tf, graph, seed);
  const weights = new Map(
    [...network.params].map(([key, t]) => [key, Float32Array.from(t.dataSync())] as const),
  );
  disposeNetwork(network);
  return weights;
}

const lossOf = (graph: ZooGraph) =>
  graph.ops[graph.ops.length - 1]?.type === "mean-square" ? "mean-square" : "cross-entropy";

/** The imported instance of `bytes`, with the model block `remat import` writes. */
function imported(bytes: Uint8Array, loss: "mean-square" | "cross-entropy"): Instance {
  const { document, kernels } = importOnnx(bytes, { loss });
  expect(kernels.runnable ? [] : kernels.missing).toEqual([]);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  return parseInstance({ ...document, model: { onnx: { file: "model.onnx", sha256, loss } } });
}

/** A checkpointing schedule that keeps about every sqrt(n)-th node (as the zoo simulator tests do). */
function recomputing(instance: Instance) {
  const every = Math.ceil(Math.sqrt(instance.nodes.length));
  const keep = instance.nodes.flatMap((_, i) => (i % every === 0 ? [i] : []));
  return checkpointSchedule(instance, keep, { policy: "segments", tapeKept: false, forwardPhase: true });
}

const NETWORKS: readonly [string, () => ZooGraph][] = [
  ["an MLP (Gemm, Relu)", tinyMlp],
  [
    "a small CNN (Conv, BatchNormalization, depthwise Conv, Clip, Add, pools, ConvTranspose, Concat)",
    smallCnn,
  ],
];

describe("an ONNX model with its weights runs on the simulator with the file's initializers", () => {
  for (const [name, build] of NETWORKS) {
    it(`${name}: same parameters and loss as the zoo network with those weights; gradients and memory match`, async () => {
      const graph = build();
      const weights = await seededWeights(graph, 7);
      const bytes = encodeModel(zooToOnnx(graph, { weights }));
      const instance = imported(bytes, lossOf(graph));
      const network = onnxNetwork(bytes, { loss: lossOf(graph) });
      expect([...network.weights.keys()].sort()).toEqual([...weights.keys()].sort());
      for (const [key, values] of weights) expect(network.weights.get(key), key).toEqual(values);

      const fromFile = await simulate(instance, recomputing(instance), { onnx: bytes });
      expect(fromFile.gradientsMatch).toBe(true);
      expect(fromFile.maxGradDiff).toBe(0);
      expect(fromFile.firstDivergence).toBeNull();
      expect(fromFile.measuredPeakBytes).toBe(fromFile.predictedResidentPeakBytes);
      const zoo = toInstance(graph);
      const direct = await simulate(zoo, recomputing(zoo), { graph, weights });
      expect(fromFile.loss).toBe(direct.loss);

      const other = encodeModel(zooToOnnx(graph, { weights: await seededWeights(graph, 8) }));
      const otherRun = await simulate(imported(other, lossOf(graph)), recomputing(instance), { onnx: other });
      expect(otherRun.loss).not.toBe(fromFile.loss);
    });
  }
});

describe("the README's loop on instances/onnx/small-cnn.onnx", () => {
  it("imports, solves at 80%, exports a plan and simulates with the file's weights through the CLI", async () => {
    const folder = tempFolder();
    const instance = join(folder, "cnn.json");
    const result = join(folder, "result.json");
    const model = join(ROOT, "instances", "onnx", "small-cnn.onnx");
    expect((await cli("import", model, "--loss", "cross-entropy", "--out", instance)).code).toBe(0);
    const solved = await cli("solve", instance, "--solver", "graph-mincut", "--budget", "80%", "--json");
    expect(JSON.parse(solved.out).status).toBe("optimal");
    writeFileSync(result, solved.out);
    const plan = join(folder, "plan.json");
    expect(
      (await cli("export", result, "--instance", instance, "--format", "plan", "--out", plan)).code,
    ).toBe(0);
    const run = await cli("simulate", instance, result);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/gradients {2}match plain backprop/);
    expect(run.out).toMatch(/memory {5}matches the evaluator/);
  });
});
