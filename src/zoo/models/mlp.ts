/**
 * Multilayer perceptrons: `layers` hidden dense layers of `hidden` units with ReLU, then a dense head.
 * Small by default (MNIST-sized) so the simulator runs them on a CPU; each hidden layer is one block of
 * the chain view.
 * - `mlp`: a classifier, the head gives `classes` logits for the softmax cross-entropy against labels
 *   (two sources, so its op graph is a DAG);
 * - `mlp-chain`: the same layers, the head gives `outputs` values for the label-free mean-square loss,
 *   so its op graph is a chain `x -> fc1.dense -> fc1.relu -> ... -> head.dense -> loss`, which the chain
 *   solvers accept and the simulator runs.
 */
import { GraphBuilder, INPUT_BLOCK } from "../builder.js";
import type { ZooGraph } from "../types.js";
import { classifierLoss } from "./layers.js";

export type MlpConfig = {
  readonly batch: number;
  /** Input features. */
  readonly inputSize: number;
  readonly hidden: number;
  readonly layers: number;
  readonly classes: number;
};

/** The configuration of `mlp-chain`: {@link MlpConfig} with `outputs` head units in place of classes. */
export type MlpChainConfig = Omit<MlpConfig, "classes"> & {
  /** Units of the head, the mean-square loss's input. */
  readonly outputs: number;
};

/** Builds the MLP classifier for `config`. */
export function mlp(config: MlpConfig): ZooGraph {
  const b = new GraphBuilder("mlp", config);
  b.block(INPUT_BLOCK);
  const x = b.input("x", [config.batch, config.inputSize]);
  const labels = b.input("labels", [config.batch], "int32");
  const hidden = hiddenLayers(b, x, config);
  b.block("head");
  classifierLoss(b, hidden, config.classes, labels);
  return b.build();
}

/** Builds the chain MLP for `config`: the hidden layers, a dense head and the mean-square loss. */
export function mlpChain(config: MlpChainConfig): ZooGraph {
  const b = new GraphBuilder("mlp-chain", config);
  b.block(INPUT_BLOCK);
  const x = b.input("x", [config.batch, config.inputSize]);
  const hidden = hiddenLayers(b, x, config);
  b.block("head");
  const head = b.op("dense", "head.dense", [hidden], { units: config.outputs, bias: true });
  b.op("mean-square", "loss", [head]);
  return b.build();
}

/** The hidden layers `fc1 .. fc<layers>` (dense then ReLU, one block each) on `x`; returns the last output. */
function hiddenLayers(
  b: GraphBuilder,
  x: string,
  config: { readonly hidden: number; readonly layers: number },
) {
  let y = x;
  for (let layer = 1; layer <= config.layers; layer++) {
    b.block(`fc${layer}`);
    y = b.op("dense", `fc${layer}.dense`, [y], { units: config.hidden, bias: true });
    y = b.op("relu", `fc${layer}.relu`, [y]);
  }
  return y;
}
