/** Per-op facts of the zoo: what each backward reads, temporaries, costs and shape inference. */
import { describe, expect, it } from "vitest";
import { InternalError } from "../../src/errors.js";
import { GraphBuilder } from "../../src/zoo/builder.js";
import { attentionScoreBytes, isRecomputable, needsOf, temporariesOf } from "../../src/zoo/ops/backward.js";
import { opCost } from "../../src/zoo/ops/cost.js";
import { inferShape, paramSpecs } from "../../src/zoo/ops/shape.js";
import { rooflineMs, V100 } from "../../src/zoo/roofline.js";
import type { ZooOp } from "../../src/zoo/types.js";

describe("zoo ops", () => {
  it("backward reads follow the gradient formulas", () => {
    expect(needsOf("conv2d")).toEqual(["inputs"]);
    expect(needsOf("dense")).toEqual(["inputs"]);
    expect(needsOf("batchnorm")).toEqual(["inputs"]);
    expect(needsOf("gelu")).toEqual(["inputs"]);
    expect(needsOf("relu")).toEqual(["output"]);
    expect(needsOf("sigmoid")).toEqual(["output"]);
    expect(needsOf("add")).toEqual([]);
    expect(needsOf("concat")).toEqual([]);
    expect(needsOf("position-embedding")).toEqual([]);
    expect(needsOf("maxpool")).toEqual(["inputs", "output"]);
    expect(needsOf("causal-attention")).toEqual(["inputs", "output"]);
    expect(needsOf("softmax-cross-entropy")).toEqual(["inputs"]);
    expect(needsOf("mean-square")).toEqual(["inputs"]);
    expect(isRecomputable("input")).toBe(false);
    expect(isRecomputable("conv2d")).toBe(true);
  });

  it("convolution shapes follow TF's same/valid rules and PyTorch-style explicit padding", () => {
    const attrs = (pad: unknown) => ({ filters: 8, kernel: [3, 3], strides: [2, 2], pad: pad as "same" });
    expect(inferShape("conv2d", [[1, 299, 299, 3]], attrs("valid"))).toEqual([1, 149, 149, 8]);
    expect(inferShape("conv2d", [[1, 224, 224, 3]], attrs("same"))).toEqual([1, 112, 112, 8]);
    expect(
      inferShape(
        "conv2d",
        [[1, 224, 224, 3]],
        attrs([
          [1, 1],
          [1, 1],
        ]),
      ),
    ).toEqual([1, 112, 112, 8]);
    expect(
      inferShape("conv2d-transpose", [[1, 32, 32, 64]], {
        filters: 32,
        kernel: [2, 2],
        strides: [2, 2],
        pad: "same",
      }),
    ).toEqual([1, 64, 64, 32]);
  });

  it("a depthwise convolution has one 3x3 filter per channel; a tied dense layer has no weight", () => {
    const depthwise = { filters: 96, kernel: [3, 3], strides: [1, 1], pad: "same", groups: 96, bias: false };
    expect(paramSpecs("conv2d", [[1, 8, 8, 96]], depthwise)).toEqual([
      { name: "weight", shape: [3, 3, 96, 1] },
    ]);
    expect(paramSpecs("dense", [[1, 4, 64]], { units: 256, bias: false, tiedTo: "wte" })).toEqual([]);
  });

  it("causal attention's scores are a forward temporary and, with dP, twice that in the backward", () => {
    const b = new GraphBuilder("test", {});
    b.input("qkv", [2, 16, 3 * 32]);
    b.op("causal-attention", "attention", ["qkv"], { heads: 4 });
    b.input("labels", [2, 16], "int32");
    b.op("softmax-cross-entropy", "loss", ["attention", "labels"]);
    const [qkv, attention] = b.build().ops as [ZooOp, ZooOp];
    const scores = 2 * 4 * 16 * 16 * 4;
    expect(attentionScoreBytes(attention)).toBe(scores);
    expect(temporariesOf(attention, [qkv])).toEqual({ fwdTemp: scores, bwdTemp: 2 * scores });
  });

  it("a dense layer costs 2 FLOPs per multiply-add forward and twice that backward", () => {
    const b = new GraphBuilder("test", {});
    b.input("x", [8, 100]);
    b.op("dense", "fc", ["x"], { units: 10, bias: true });
    b.input("labels", [8], "int32");
    b.op("softmax-cross-entropy", "loss", ["fc", "labels"]);
    const [x, fc] = b.build().ops as [ZooOp, ZooOp];
    const cost = opCost(fc, [x]);
    expect(cost.fwdFlops).toBe(2 * 8 * 100 * 10);
    expect(cost.bwdFlops).toBe(2 * cost.fwdFlops);
    expect(cost.fwdBytes).toBe(4 * (8 * 100 + 8 * 10 + 100 * 10 + 10));
  });

  it("the mean-square loss is a scalar of one input, with no workspace, costing 2 FLOPs per element each way", () => {
    const b = new GraphBuilder("test", {});
    b.input("x", [8, 10]);
    b.op("mean-square", "loss", ["x"]);
    const [x, loss] = b.build().ops as [ZooOp, ZooOp];
    expect(loss.shape).toEqual([]);
    expect(loss.params).toEqual([]);
    expect(temporariesOf(loss, [x])).toEqual({ fwdTemp: 0, bwdTemp: 0 });
    const cost = opCost(loss, [x]);
    expect([cost.fwdFlops, cost.bwdFlops]).toEqual([2 * 80, 2 * 80]);
    // forward reads x and writes the scalar; backward reads g and x (the source x gets no gradient)
    expect([cost.fwdBytes, cost.bwdBytes]).toEqual([4 * 80 + 4, 4 + 4 * 80]);
    expect(() => inferShape("mean-square", [[2], [2]], {})).toThrow(InternalError);
  });

  it("a network must end in a loss", () => {
    const b = new GraphBuilder("test", {});
    b.input("x", [8, 10]);
    b.op("relu", "relu", ["x"]);
    expect(() => b.build()).toThrow(InternalError);
  });

  it("roofline time is the larger of compute and memory time on the V100", () => {
    expect(rooflineMs(V100, 15.7e9, 0)).toBe(1);
    expect(rooflineMs(V100, 0, 900e6)).toBe(1);
    expect(rooflineMs(V100, 15.7e9, 1800e6)).toBe(2);
  });
});
