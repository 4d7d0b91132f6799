/**
 * Small zoo networks and op-level instances of them for the simulator tests: an MLP (and its chain
 * variant, ending in the mean-square loss), a conv net with a residual block (and one of every image
 * op), and a tiny GPT-2. Instances are built here, bytes from shapes and needs from the zoo's table, so
 * the tests do not depend on the profiler.
 */

import { parseInstance } from "../../src/instance/parse.js";
import type { Hardware, Instance } from "../../src/instance/types.js";
import { GraphBuilder, INPUT_BLOCK } from "../../src/zoo/builder.js";
import { gpt2 } from "../../src/zoo/models/gpt2.js";
import { classifierLoss, convBnAct } from "../../src/zoo/models/layers.js";
import { mlp, mlpChain } from "../../src/zoo/models/mlp.js";
import { needsOf, temporariesOf } from "../../src/zoo/ops/backward.js";
import type { ZooGraph } from "../../src/zoo/types.js";

/** A 3-layer MLP on 4 x 8 features. */
export const tinyMlp = (): ZooGraph => mlp({ batch: 4, inputSize: 8, hidden: 16, layers: 3, classes: 5 });

/** The same MLP ending in the label-free mean-square loss (a chain), with 5 outputs. */
export const tinyMlpChain = (): ZooGraph =>
  mlpChain({ batch: 4, inputSize: 8, hidden: 16, layers: 3, outputs: 5 });

/**
 * A conv net with a residual block and every image op: conv (same, explicit, strided; depthwise with
 * stride 1 and 2), transposed conv, batch norm, both pools, concat, sigmoid, relu6, flatten.
 */
export function tinyConvNet(): ZooGraph {
  const b = new GraphBuilder("tiny-conv", {});
  b.block(INPUT_BLOCK);
  let x = b.input("x", [2, 8, 8, 3]);
  const labels = b.input("labels", [2], "int32");
  b.block("stem");
  x = convBnAct(b, "stem", x, { filters: 4, kernel: 3, stride: 2, pad: 1 }, "relu");
  b.block("res");
  let y = convBnAct(b, "res.1", x, { filters: 4, kernel: 3, pad: "same" }, "relu6");
  y = convBnAct(b, "res.2", y, { filters: 4, kernel: 3, pad: 1, depthwise: true, bias: true }, "none");
  x = b.op("add", "res.add", [x, y]);
  b.block("mix");
  const m = b.op("maxpool", "mix.max", [x], { kernel: [3, 3], strides: [2, 2], pad: "same" });
  const a = b.op("avgpool", "mix.avg", [x], { kernel: [2, 2], strides: [2, 2], pad: "valid" });
  const s = b.op("sigmoid", "mix.sig", [a]);
  x = b.op("concat", "mix.cat", [m, s]);
  b.block("up");
  const up = b.op("conv2d-transpose", "up.deconv", [x], {
    filters: 4,
    kernel: [2, 2],
    strides: [2, 2],
    pad: "valid",
    bias: true,
  });
  const dw = b.op("conv2d", "up.dw", [up], {
    filters: 4,
    kernel: [3, 3],
    strides: [2, 2],
    pad: "same",
    groups: 4,
    bias: false,
  });
  b.block("head");
  const g = b.op("global-avgpool", "gap", [dw]);
  const f = b.op("flatten", "flat", [x]);
  const both = b.op("concat", "head.cat", [g, f]);
  classifierLoss(b, both, 3, labels);
  return b.build();
}

/** GPT-2 with 2 layers, 2 heads, width 8, 4 tokens, vocabulary 11. */
export const tinyGpt = (): ZooGraph => gpt2({ batch: 2, seq: 4, layers: 2, heads: 2, dim: 8, vocab: 11 });

/** An op-level instance of `graph`: bytes from shapes, needs and temporaries from the zoo's tables. */
export function instanceOf(graph: ZooGraph, hardware?: Hardware): Instance {
  const byId = new Map(graph.ops.map((op) => [op.id, op] as const));
  return parseInstance({
    format: "remat-instance/1",
    name: `test-${graph.zoo}`,
    source: "test fixture",
    fixedBytes: 1000,
    ...(hardware === undefined ? {} : { hardware }),
    model: { zoo: graph.zoo, config: graph.config },
    nodes: graph.ops.map((op) => {
      const temps = temporariesOf(
        op,
        op.inputs.map((u) => byId.get(u) ?? op),
      );
      return {
        id: op.id,
        fwd: op.type === "input" ? 0 : 1,
        bwd: op.type === "input" ? 0 : 2,
        bytes: 4 * op.shape.reduce((p, e) => p * e, 1),
        inputs: op.inputs,
        needs: needsOf(op.type),
        recomputable: op.type !== "input",
        fwdTemp: temps.fwdTemp,
        bwdTemp: temps.bwdTemp,
      };
    }),
  });
}
