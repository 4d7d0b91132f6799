/**
 * Issue 16 item 2, the parts that need no kernels: an import says which nodes have no kernel, and the
 * simulator's network of an ONNX file refuses such a file, or weights kept outside it, naming each.
 * (test/simulate/onnx-weights.test.ts runs the runnable ones on real kernels.)
 */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { parseInstance } from "../../src/instance/parse.js";
import { encodeModel } from "../../src/onnx/encode.js";
import { importOnnx } from "../../src/onnx/import.js";
import { onnxNetwork } from "../../src/onnx/weights.js";
import { zooToOnnx } from "../../src/onnx/write.js";
import { tinyConvNet, tinyMlp } from "../simulate/fixtures.js";

describe("the kernel mapping of an import", () => {
  it("lists every node without a kernel, and the simulator refuses such a file naming them", () => {
    const graph = tinyConvNet();
    const bytes = encodeModel(zooToOnnx(graph));
    const { kernels } = importOnnx(bytes, { loss: "cross-entropy" });
    expect(kernels.runnable).toBe(false);
    if (kernels.runnable) return;
    expect(kernels.missing).toEqual([expect.stringMatching(/^node "flat" \(Flatten\): .*H \* W > 1/)]);
    let error: unknown;
    try {
      onnxNetwork(bytes, { loss: "cross-entropy" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues.map((issue) => [issue.code, issue.path])).toEqual([
      ["structure", "model.onnx"],
    ]);
  });

  it("refuses weights kept outside the file, naming the initializer", () => {
    const graph = tinyMlp();
    const bytes = encodeModel(zooToOnnx(graph, { externalWeights: true }));
    let error: unknown;
    try {
      onnxNetwork(bytes, { loss: "cross-entropy" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    const issues = (error as InputError).issues;
    expect(issues.length).toBeGreaterThan(0);
    expect(
      issues.every((issue) => issue.code === "bad-value" && /^graph\.initializer\[\d+\]$/.test(issue.path)),
    ).toBe(true);
  });
});

describe("an instance's model.onnx block", () => {
  const document = () => importOnnx(encodeModel(zooToOnnx(tinyMlp())), { loss: "cross-entropy" }).document;

  it("is read with its file, hash and import options", () => {
    const onnx = {
      file: "m.onnx",
      sha256: "a".repeat(64),
      loss: "cross-entropy",
      batch: 4,
      inputShapes: { x: [4, 8] },
    };
    expect(parseInstance({ ...document(), model: { onnx } }).model).toEqual({ onnx });
  });

  it("refuses a bad hash, an unknown loss and an unknown field, each at its path", () => {
    const onnx = { file: "m.onnx", sha256: "xyz", loss: "hinge", extra: 1 };
    let error: unknown;
    try {
      parseInstance({ ...document(), model: { onnx } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues.map((issue) => [issue.code, issue.path]).sort()).toEqual([
      ["bad-value", "model.onnx.loss"],
      ["bad-value", "model.onnx.sha256"],
      ["unknown-field", "model.onnx.extra"],
    ]);
  });
});
