/**
 * The kernels' hand-written and per-op VJPs, chained op by op by the interpreter, agree with TensorFlow.js
 * autodiff over the whole network composed from the same forwards (measured: 0 on the MLP, 3e-6 on the
 * conv net, 1.1e-5 on the GPT, relative to 1e-3 + |g|).
 */
import { describe, expect, it } from "vitest";
import { checkpointSchedule } from "../../src/schedule/checkpoint-schedule.js";
import { runSchedule } from "../../src/simulate/interpreter.js";
import { KERNELS } from "../../src/simulate/kernels/index.js";
import { buildNetwork, disposeNetwork, type Network } from "../../src/simulate/network.js";
import { loadTf, type Tensor, type Tf } from "../../src/simulate/tf.js";
import { instanceOf, tinyConvNet, tinyGpt, tinyMlp } from "./fixtures.js";

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
