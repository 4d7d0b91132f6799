/**
 * The kernels' hand-written and per-op VJPs, chained op by op by the interpreter, agree with TensorFlow.js
 * autodiff over the whole network composed from the same forwards (measured: 0 on the MLP, 3e-6 on the
 * conv net, 1.1e-5 on the GPT, relative to 1e-3 + |g|); the mean-square loss's hand-written backward
 * equals a hand computation and a central finite difference of its forward.
 */
import { describe, expect, it } from "vitest";
import { checkpointSchedule } from "../../src/schedule/checkpoint-schedule.js";
import { runSchedule } from "../../src/simulate/interpreter.js";
import { KERNELS } from "../../src/simulate/kernels/index.js";
import { buildNetwork, disposeNetwork, type Network } from "../../src/simulate/network.js";
import { loadTf, type Tensor, type Tf } from "../../src/simulate/tf.js";
import { GraphBuilder } from "../../src/zoo/builder.js";
import type { ZooOp } from "../../src/zoo/types.js";
import { instanceOf, tinyConvNet, tinyGpt, tinyMlp, tinyMlpChain } from "./fixtures.js";

/** The loss of `network` as one function of its parameters, in the order of `keys`. */
function composedLoss(tf: Tf, network: Network, keys: readonly string[]) {
  return (...values: Tensor[]): Tensor => {
    const byKey = new Map(keys.map((key, i) => [key, values[i] as Tensor] as const));
    const out = new Map<string, Tensor>();
    for (const op of network.graph.ops) {
      const data = network.inputs.get(op.id);
      if (data !== undefined) {
        out.set(op.id, tf.tensor(data.values, [...op.shape], data.dtype));
        continue;
      }
      const params = new Map(
        [...(network.paramKeysOf.get(op.id) ?? [])].map(
          ([name, key]) => [name, byKey.get(key) as Tensor] as const,
        ),
      );
      const kernel = KERNELS[op.type as Exclude<typeof op.type, "input">];
      out.set(
        op.id,
        kernel.forward(
          tf,
          op,
          op.inputs.map((u) => out.get(u) as Tensor),
          params,
        ),
      );
    }
    return out.get(network.graph.ops[network.graph.ops.length - 1]?.id ?? "") as Tensor;
  };
}

describe("kernel VJPs", () => {
  for (const [name, make] of [
    ["mlp", tinyMlp],
    ["mlp chain", tinyMlpChain],
    ["conv net", tinyConvNet],
    ["gpt", tinyGpt],
  ] as const) {
    it(`chained op by op equal autodiff of the whole ${name} within a relative 1e-4`, async () => {
      const tf = await loadTf("cpu");
      const graph = make();
      const instance = instanceOf(graph);
      const network = buildNetwork(tf, graph, 7);
      try {
        const plain = checkpointSchedule(
          instance,
          instance.nodes.map((_, i) => i),
          { policy: "segments", tapeKept: true, forwardPhase: true },
        );
        const run = runSchedule(tf, network, instance, plain);
        const keys = [...network.params.keys()];
        const grads = tf.tidy(() =>
          tf
            .grads(composedLoss(tf, network, keys))(keys.map((key) => network.params.get(key) as Tensor))
            .map((g) => g.dataSync().slice()),
        );
        let worst = 0;
        keys.forEach((key, i) => {
          const mine = run.paramGrads.get(key) as Float32Array;
          const theirs = grads[i] as Float32Array;
          expect(mine.length).toBe(theirs.length);
          theirs.forEach((value, j) => {
            worst = Math.max(worst, Math.abs(value - (mine[j] as number)) / (1e-3 + Math.abs(value)));
          });
        });
        expect(worst).toBeLessThan(1e-4);
      } finally {
        disposeNetwork(network);
      }
    });
  }
});

/** A lone mean-square loss op on an input of `shape`. */
function meanSquareOp(shape: readonly number[]): ZooOp {
  const b = new GraphBuilder("test", {});
  b.input("x", shape);
  b.op("mean-square", "loss", ["x"]);
  return b.build().ops[1] as ZooOp;
}

/** The mean-square kernel's loss of `values` (shape `shape`) and its gradient under the seed `dy`. */
function meanSquareOf(tf: Tf, shape: readonly number[], values: readonly number[], dy: number, want = true) {
  const op = meanSquareOp(shape);
  const kernel = KERNELS["mean-square"];
  return tf.tidy(() => {
    const x = tf.tensor(values, [...shape]);
    const loss = kernel.forward(tf, op, [x], new Map()).dataSync()[0] as number;
    const grads = kernel.backward(tf, op, [shape], {
      dy: tf.scalar(dy),
      inputs: [x],
      params: new Map(),
      wantInputs: [want],
    });
    return { loss, dx: grads.inputs[0]?.dataSync().slice(), params: grads.params.size };
  });
}

describe("the mean-square loss kernel", () => {
  it("gives sum(x^2) / (2 * count) and dx = dy * x / count, exactly, on a hand-computed input", async () => {
    const tf = await loadTf("cpu");
    // (1 + 4 + 9 + 0.25) / (2 * 4) = 1.78125; dx = 2 * x / 4 = x / 2: every value exact in float32
    const { loss, dx, params } = meanSquareOf(tf, [2, 2], [1, 2, -3, 0.5], 2);
    expect(loss).toBe(1.78125);
    expect([...(dx ?? [])]).toEqual([0.5, 1, -1.5, 0.25]);
    expect(params).toBe(0);
  });

  it("has the gradient of a central finite difference of its forward within a relative 1e-3", async () => {
    const tf = await loadTf("cpu");
    const shape = [3, 5];
    const values = Array.from({ length: 15 }, (_, i) => Math.sin(1.7 * i + 0.3));
    const { dx } = meanSquareOf(tf, shape, values, 1);
    const step = 1e-2;
    values.forEach((value, i) => {
      const shifted = (delta: number) =>
        meanSquareOf(tf, shape, values.with(i, value + delta), 1, false).loss;
      const difference = (shifted(step) - shifted(-step)) / (2 * step);
      const mine = dx?.[i] as number;
      expect(Math.abs(difference - mine) / (1e-3 + Math.abs(mine))).toBeLessThan(1e-3);
    });
  });

  it("gives no input gradient where none is wanted (the input is a source)", async () => {
    const tf = await loadTf("cpu");
    expect(meanSquareOf(tf, [2], [1, 2], 1, false).dx).toBeUndefined();
  });
});
