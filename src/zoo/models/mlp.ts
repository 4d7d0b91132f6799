/**
 * A multilayer perceptron: `layers` hidden dense layers of `hidden` units with ReLU, then a dense layer
 * to `classes` logits and the loss. Small by default (an MNIST-sized classifier) so the simulator runs it
 * on a CPU; each hidden layer is one block of the chain view.
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

/** Builds the MLP for `config`. */
export function mlp(config: MlpConfig): ZooGraph {
  const b = new GraphBuilder("mlp", config);
  b.block(INPUT_BLOCK);
  let x = b.input("x", [config.batch, config.inputSize]);
  const labels = b.input("labels", [config.batch], "int32");
  for (let layer = 1; layer <= config.layers; layer++) {
    b.block(`fc${layer}`);
    x = b.op("dense", `fc${layer}.dense`, [x], { units: config.hidden, bias: true });
    x = b.op("relu", `fc${layer}.relu`, [x]);
  }
  b.block("head");
  classifierLoss(b, x, config.classes, labels);
  return b.build();
}
