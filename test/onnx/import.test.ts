import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { parseInstance } from "../../src/instance/parse.js";
import { importOnnx } from "../../src/onnx/import.js";
import { FLOAT16, info, int, int64s, ints, model, node, weight } from "./build.js";

const byId = <T extends { id: string }>(nodes: readonly T[]) => new Map(nodes.map((item) => [item.id, item]));

/** Runs `read` and returns the InputError it throws (failing the test when it throws none). */
function inputError(read: () => unknown): InputError {
  try {
    read();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("expected an InputError");
}

describe("importOnnx on attention built from MatMul and Softmax", () => {
  const [n, t, d] = [2, 8, 16];
  const bytes = model({
    inputs: [info("x", [n, t, d])],
    outputs: [info("flat", [n, t * d])],
    initializers: [weight("Wq", [d, d]), weight("Wk", [d, d]), weight("Wv", [d, d]), int64s("to2d", [n, -1])],
    nodes: [
      node("q", "MatMul", ["x", "Wq"]),
      node("k", "MatMul", ["x", "Wk"]),
      node("v", "MatMul", ["x", "Wv"]),
      node("kT", "Transpose", ["k"], [ints("perm", [0, 2, 1])]),
      node("scores", "MatMul", ["q", "kT"]),
      {
        name: "scale",
        opType: "Constant",
        domain: "",
        inputs: [],
        outputs: ["scale"],
        attributes: [{ name: "value_float", type: 1, f: 0.25 }],
      },
      node("scaled", "Mul", ["scores", "scale"]),
      node("probs", "Softmax", ["scaled"], [int("axis", -1)]),
      node("context", "MatMul", ["probs", "v"]),
      node("flat", "Reshape", ["context", "to2d"]),
    ],
  });
  const { document, warnings } = importOnnx(bytes);
  const nodes = byId(document.nodes);

  it("keeps the ONNX node names as ids, one instance node per node, and appends the loss", () => {
    expect(document.nodes.map((item) => item.id)).toEqual([
      "x",
      "q",
      "k",
      "v",
      "kT",
      "scores",
      "scaled",
      "probs",
      "context",
      "flat",
      "loss",
    ]);
    expect(warnings).toEqual([]);
    expect(() => parseInstance(document)).not.toThrow();
  });

  it("sizes every tensor exactly from the inferred shapes", () => {
    expect(nodes.get("q")?.bytes).toBe(4 * n * t * d);
    expect(nodes.get("kT")?.bytes).toBe(4 * n * d * t);
    expect(nodes.get("scores")?.bytes).toBe(4 * n * t * t);
    expect(nodes.get("flat")?.bytes).toBe(4 * n * t * d);
  });

  it("reads needs from each op's backward", () => {
    expect(nodes.get("q")?.needs).toEqual(["inputs"]); // a dense layer: dW = x^T g
    expect(nodes.get("kT")?.needs).toEqual([]); // shapes only
    expect(nodes.get("scores")?.needs).toEqual(["inputs"]); // both operands
    expect(nodes.get("scaled")?.needs).toEqual([]); // times a constant
    expect(nodes.get("probs")?.needs).toEqual(["output"]); // softmax: y (g - sum g y)
    expect(nodes.get("context")?.needs).toEqual(["inputs"]);
    expect(nodes.get("flat")?.needs).toEqual([]);
    expect(nodes.get("loss")?.inputs).toEqual(["flat"]);
  });

  it("counts the weights with their gradients and other initializers once in fixedBytes", () => {
    expect(document.fixedBytes).toBe(3 * (d * d * 4) * 2 + 2 * 8);
  });
});

describe("importOnnx on a convolutional block with a symbolic batch", () => {
  const parts = {
    inputs: [info("image", ["N", 3, 8, 8], FLOAT16)],
    outputs: [info("fc", ["N", 10])],
    initializers: [
      weight("conv.w", [6, 3, 3, 3], FLOAT16),
      ...["gamma", "beta", "mean", "var"].map((name) => weight(`bn.${name}`, [6], FLOAT16)),
      weight("fc.w", [10, 6], FLOAT16),
      weight("fc.b", [10], FLOAT16),
    ],
    nodes: [
      node("conv", "Conv", ["image", "conv.w"], [ints("kernel_shape", [3, 3]), ints("pads", [1, 1, 1, 1])]),
      node("bn", "BatchNormalization", ["conv", "bn.gamma", "bn.beta", "bn.mean", "bn.var"]),
      node("relu", "Relu", ["bn"]),
      node("drop", "Dropout", ["relu"], [], ["drop", "drop_mask"]),
      node("pool", "GlobalAveragePool", ["drop"]),
      node("flat", "Flatten", ["pool"], [int("axis", 1)]),
      node("fc", "Gemm", ["flat", "fc.w", "fc.b"], [int("transB", 1)]),
    ],
  };

  it("asks for the batch size when an input's first dimension is symbolic", () => {
    const error = inputError(() => importOnnx(model(parts)));
    expect(error.issues.map((issue) => [issue.code, issue.path])).toEqual([
      ["structure", "graph.input[0].shape"],
    ]);
  });

  it("sizes float16 tensors at 2 bytes per element with --batch", () => {
    const { document } = importOnnx(model(parts), { batch: 4, loss: "cross-entropy" });
    const nodes = byId(document.nodes);
    expect(nodes.get("image")?.bytes).toBe(2 * 4 * 3 * 8 * 8);
    expect(nodes.get("conv")?.bytes).toBe(2 * 4 * 6 * 8 * 8);
    expect(nodes.get("pool")?.bytes).toBe(2 * 4 * 6);
    expect(nodes.get("fc")?.bytes).toBe(2 * 4 * 10);
    expect(nodes.get("labels")?.bytes).toBe(4 * 4);
    expect(nodes.get("loss")?.inputs).toEqual(["fc", "labels"]);
  });

  it("takes needs from the zoo's table for the zoo's ops", () => {
    const nodes = byId(importOnnx(model(parts), { batch: 4 }).document.nodes);
    expect(nodes.get("conv")?.needs).toEqual(["inputs"]);
    expect(nodes.get("bn")?.needs).toEqual(["inputs"]);
    expect(nodes.get("relu")?.needs).toEqual(["output"]);
    expect(nodes.get("pool")?.needs).toEqual([]);
    expect(nodes.get("fc")?.needs).toEqual(["inputs"]);
  });

  it("counts running statistics once and learned weights with their gradients", () => {
    const { document } = importOnnx(model(parts), { batch: 4 });
    const learned = (6 * 27 + 6 + 6 + 60 + 10) * 2;
    expect(document.fixedBytes).toBe(2 * learned + 2 * (6 + 6));
  });

  it("takes an input's shape from --input", () => {
    const { document } = importOnnx(model(parts), { inputShapes: { image: [2, 3, 8, 8] } });
    expect(byId(document.nodes).get("fc")?.bytes).toBe(2 * 2 * 10);
  });

  it("names an --input that is no graph input", () => {
    const error = inputError(() =>
      importOnnx(model(parts), { batch: 1, inputShapes: { img: [1, 3, 8, 8] } }),
    );
    expect(error.issues.map((issue) => issue.path)).toEqual(["--input img"]);
  });
});

describe("importOnnx on ops it does not know", () => {
  const parts = {
    inputs: [info("x", [4, 32])],
    outputs: [info("y", [4, 32])],
    nodes: [node("mystery", "FancyNorm", ["x"], [], ["m"]), node("y", "Relu", ["m"])],
  };

  it("reads them as needing inputs and output, sized by value_info, and warns naming node and op", () => {
    const { document, warnings } = importOnnx(model({ ...parts, valueInfo: [info("m", [4, 32])] }));
    const mystery = byId(document.nodes).get("mystery");
    expect(mystery?.needs).toEqual(["inputs", "output"]);
    expect(mystery?.bytes).toBe(4 * 4 * 32);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"mystery" (FancyNorm)');
  });

  it("refuses them without value_info, naming the node and its op", () => {
    const error = inputError(() => importOnnx(model(parts)));
    expect(error.issues.map((issue) => [issue.code, issue.path])).toEqual([["structure", "graph.node[0]"]]);
    expect(error.message).toContain('"mystery" (FancyNorm)');
  });

  it("names a node whose input shapes do not fit its op", () => {
    const bad = model({
      inputs: [info("a", [4, 3]), info("b", [5, 7])],
      outputs: [info("c", [4, 7])],
      nodes: [node("c", "MatMul", ["a", "b"])],
    });
    const error = inputError(() => importOnnx(bad));
    expect(error.issues[0]?.path).toBe("graph.node[0]");
    expect(error.issues[0]?.received).toBe("shapes [4,3], [5,7]");
  });
});

describe("importOnnx on a reshape whose target comes from Shape", () => {
  it("reads Shape of an activation (with start and end) as a constant, so the reshape is sized", () => {
    const bytes = model({
      inputs: [info("x", [3, 4, 5])],
      outputs: [info("y", [3, 20])],
      initializers: [int64s("minus1", [-1])],
      nodes: [
        node("dims", "Shape", ["x"], [int("end", 1)]),
        node("target", "Concat", ["dims", "minus1"], [int("axis", 0)]),
        node("y", "Reshape", ["x", "target"]),
      ],
    });
    const nodes = byId(importOnnx(bytes).document.nodes);
    expect(nodes.get("y")?.bytes).toBe(4 * 60);
    expect([...nodes.keys()]).toEqual(["x", "y", "loss"]);
  });
});
