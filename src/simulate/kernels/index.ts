/** The kernel of every zoo op type (src/zoo/types.ts), for the simulator and the profiler. */
import type { OpType } from "../../zoo/types.js";
import { causalAttention } from "./attention.js";
import { conv2d, conv2dTranspose } from "./conv.js";
import { dense, embedding, positionEmbedding } from "./dense.js";
import { add, concat, flatten, gelu, relu, relu6, sigmoid } from "./elementwise.js";
import { meanSquare, softmaxCrossEntropy } from "./loss.js";
import { batchnorm, layernorm } from "./norm.js";
import { avgpool, globalAvgpool, maxpool } from "./pool.js";
import type { OpKernel } from "./types.js";

/** Kernels by op type; `input` has none (the simulator loads its data). */
export const KERNELS: Readonly<Record<Exclude<OpType, "input">, OpKernel>> = Object.freeze({
  conv2d,
  "conv2d-transpose": conv2dTranspose,
  batchnorm,
  layernorm,
  relu,
  relu6,
  gelu,
  sigmoid,
  maxpool,
  avgpool,
  "global-avgpool": globalAvgpool,
  add,
  concat,
  dense,
  flatten,
  embedding,
  "position-embedding": positionEmbedding,
  "causal-attention": causalAttention,
  "softmax-cross-entropy": softmaxCrossEntropy,
  "mean-square": meanSquare,
});

export type { BackwardArgs, Gradients, KernelReads, OpKernel, ParamTensors } from "./types.js";
