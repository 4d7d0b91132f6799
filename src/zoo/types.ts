/**
 * The model zoo's op graph: one definition of each architecture, from which both a remat instance
 * (bytes from shapes, times from a stated model or from measurement) and a network the simulator runs
 * on real kernels are derived. Layout is NHWC, every tensor float32 (4 bytes per element).
 *
 * This file is the contract between the zoo (architectures, shape inference, costs) and the simulator
 * (kernels): each op type below has exactly the semantics written next to it.
 */

/**
 * Op types. `x` is the first input; shapes are output shapes.
 * - `input`: a data source (no inputs, not recomputable); attrs `{ shape }`; for `dtype: "int32"` the ids
 *   of `embedding` or the labels of the loss (4 bytes per element as well).
 * - `conv2d`: attrs `{ filters, kernel: [kh, kw], strides: [sh, sw], pad: "same" | "valid" | [[top, bottom], [left, right]],
 *   groups: 1 | channels (depthwise when groups = in channels = filters), bias: boolean }`;
 *   params `weight [kh, kw, cin / groups, filters]` (depthwise: `[kh, kw, cin, 1]`), `bias [filters]`.
 * - `conv2d-transpose`: attrs `{ filters, kernel, strides, pad: "same" | "valid", bias }`; params `weight [kh, kw, filters, cin]`, `bias`.
 * - `batchnorm`: training mode, statistics over N, H, W (all axes but the last), epsilon attr `epsilon`
 *   (default 1e-5); params `gamma [C]`, `beta [C]`.
 * - `layernorm`: over the last axis, attr `epsilon` (default 1e-5); params `gamma [C]`, `beta [C]`.
 * - `relu`, `relu6`, `gelu` (tanh approximation, as GPT-2), `sigmoid`: elementwise.
 * - `maxpool`, `avgpool`: attrs `{ kernel, strides, pad: "same" | "valid" }` (avgpool "same" counts only real cells, as TF).
 * - `global-avgpool`: mean over H and W: `[N, H, W, C] -> [N, C]`.
 * - `add`: elementwise sum of 2 or more inputs of the same shape.
 * - `concat`: along the last axis.
 * - `dense`: `[..., K] -> [..., units]`; attrs `{ units, bias }`; params `weight [K, units]`, `bias [units]`;
 *   attr `tiedTo` (an op id) reuses that op's weight transposed (GPT-2's head tied to the token embedding).
 * - `flatten`: `[N, ...] -> [N, prod]`.
 * - `embedding`: int ids `[N, T]` -> `[N, T, D]`; attrs `{ vocab, dim }`; params `weight [vocab, dim]`.
 * - `position-embedding`: `[N, T, D] -> [N, T, D]`, adds a learned `[T, D]` table; params `weight [T, D]`.
 * - `causal-attention`: input qkv `[N, T, 3D]` (q, k, v concatenated on the last axis) -> `[N, T, D]`;
 *   attrs `{ heads }`; softmax(q k^T / sqrt(D / heads) + causal mask) v per head. Its scores
 *   (N * heads * T * T floats) are a temporary (fwdTemp, and bwdTemp recomputed in the backward).
 * - `softmax-cross-entropy`: the loss; inputs (logits `[..., classes]`, labels int `[...]`), mean over
 *   all positions; output shape `[]` (one float).
 * - `mean-square`: a loss without labels; input `x` of any shape, output `[]`:
 *   `sum(x^2) / (2 * count)`, `count` the elements of `x` (a regression towards zero), so that a network
 *   ending in it has a single source and an op graph that may be a chain.
 */
export type OpType =
  | "input"
  | "conv2d"
  | "conv2d-transpose"
  | "batchnorm"
  | "layernorm"
  | "relu"
  | "relu6"
  | "gelu"
  | "sigmoid"
  | "maxpool"
  | "avgpool"
  | "global-avgpool"
  | "add"
  | "concat"
  | "dense"
  | "flatten"
  | "embedding"
  | "position-embedding"
  | "causal-attention"
  | "softmax-cross-entropy"
  | "mean-square";

/** The op types a network may end in: its loss, a scalar, whose backward starts the backward pass. */
export const LOSS_TYPES: readonly OpType[] = Object.freeze(["softmax-cross-entropy", "mean-square"]);

/** Attribute values an op may carry. */
export type AttrValue = number | string | boolean | readonly number[] | readonly (readonly number[])[];

/** A learned parameter of an op. */
export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

/** One op of a zoo network: its type, inputs (op ids), attributes, inferred output shape and parameters. */
export interface ZooOp {
  readonly id: string;
  readonly type: OpType;
  readonly inputs: readonly string[];
  readonly attrs: Readonly<Record<string, AttrValue>>;
  /** Output shape, inferred. */
  readonly shape: readonly number[];
  readonly params: readonly ParamSpec[];
  /** The block (residual block, dense layer, Transformer layer, ...) the op belongs to, for the chain view. */
  readonly block: string;
}

/** A zoo network: ops in topological order, the last being the loss. */
export interface ZooGraph {
  readonly zoo: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly ops: readonly ZooOp[];
}
