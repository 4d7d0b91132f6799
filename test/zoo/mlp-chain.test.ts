/** The chain MLP: one source, a mean-square loss, and an op graph the chain solvers accept at both levels. */
import { describe, expect, it } from "vitest";
import { chainRejection } from "../../solvers/chain/chain-view.js";
import { toInstance } from "../../src/zoo/level.js";
import { zooModel } from "../../src/zoo/registry.js";

describe("the zoo's mlp-chain", () => {
  it("has one data source and ends in the mean-square loss of its head", () => {
    const g = zooModel("mlp-chain").build({ layers: 2 });
    expect(g.ops.map((op) => [op.id, op.type])).toEqual([
      ["x", "input"],
      ["fc1.dense", "dense"],
      ["fc1.relu", "relu"],
      ["fc2.dense", "dense"],
      ["fc2.relu", "relu"],
      ["head.dense", "dense"],
      ["loss", "mean-square"],
    ]);
    expect(g.ops.find((op) => op.id === "head.dense")?.shape).toEqual([32, 10]);
  });

  it("makes an op-level instance that is a chain, with its model, and a block-level chain", () => {
    const graph = zooModel("mlp-chain").build({ batch: 4, inputSize: 8, hidden: 16, layers: 4, outputs: 5 });
    const op = toInstance(graph);
    expect(chainRejection(op)).toBeUndefined();
    expect(op.nodes).toHaveLength(1 + 2 * 4 + 2);
    expect(op.model?.zoo).toBe("mlp-chain");
    expect(chainRejection(toInstance(graph, { level: "block" }))).toBeUndefined();
  });

  it("has the same layers and parameters as the mlp classifier but for its head", () => {
    const chain = zooModel("mlp-chain").build({ outputs: 10 });
    const classifier = zooModel("mlp").build({ classes: 10 });
    const hidden = (ops: typeof chain.ops) =>
      ops.filter((op) => op.block.startsWith("fc")).map((op) => [op.id, op.shape, op.params]);
    expect(hidden(chain.ops)).toEqual(hidden(classifier.ops));
  });

  it("is not a chain in its classifier form (the labels are a second source)", () => {
    expect(chainRejection(toInstance(zooModel("mlp").build()))).toBeDefined();
  });
});
