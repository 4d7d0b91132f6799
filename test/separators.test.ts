/** Articulation points (Chen's and Checkmate's segment boundaries) on small hand-made graphs. */
import { describe, expect, it } from "vitest";
import { articulationPoints } from "../src/graph/separators.js";
import { parseInstance } from "../src/instance/parse.js";
import { example } from "./helpers.js";

const ids = (instance: ReturnType<typeof example>) =>
  articulationPoints(instance).map((v) => instance.nodes[v]?.id);

describe("articulationPoints", () => {
  it("skips a node bypassed by a skip connection", () => {
    expect(ids(example("skip-dag"))).toEqual(["c1", "r1", "add", "loss"]);
  });

  it("is not hidden by a label input that only the loss reads", () => {
    const instance = parseInstance({
      format: "remat-instance/1",
      name: "labels",
      nodes: [
        { id: "x", fwd: 0, bwd: 0, bytes: 1, recomputable: false },
        { id: "labels", fwd: 0, bwd: 0, bytes: 1, recomputable: false },
        { id: "a", fwd: 1, bwd: 1, bytes: 1, inputs: ["x"] },
        { id: "b", fwd: 1, bwd: 1, bytes: 1, inputs: ["a"] },
        { id: "loss", fwd: 1, bwd: 1, bytes: 1, inputs: ["b", "labels"] },
      ],
    });
    expect(ids(instance)).toEqual(["a", "b", "loss"]);
  });
});
