/**
 * Shape inference and parameter shapes for every op type of the zoo contract (src/zoo/types.ts).
 * Layout NHWC; spatial sizes follow TensorFlow's rules for `"same"` / `"valid"` padding and the usual
 * `floor((in + padBefore + padAfter - k) / s) + 1` for explicit padding. A shape mismatch is a bug in a
 * model definition, so it throws {@link InternalError}.
 */
import { InternalError } from "../../errors.js";
import type { AttrValue, OpType, ParamSpec } from "../types.js";

type Shape = readonly number[];
type Attrs = Readonly<Record<string, AttrValue>>;

/** Padding of a conv or pool: TF's `"same"` / `"valid"`, or explicit `[[top, bottom], [left, right]]`. */
export type Padding = "same" | "valid" | readonly (readonly number[])[];

/** Every tensor is float32 or int32: 4 bytes per element (src/zoo/types.ts). */
export const BYTES_PER_ELEMENT = 4;

/** Bytes of a tensor of `shape`. */
export function tensorBytes(shape: Shape): number {
  return BYTES_PER_ELEMENT * elementCount(shape);
}

/** Elements in a tensor of `shape` (1 for a scalar). */
export function elementCount(shape: Shape): number {
  return shape.reduce((product, size) => product * size, 1);
}

/** The output shape of an op of `type` applied to tensors of `inputs` shapes with `attrs`. */
export function inferShape(type: OpType, inputs: readonly Shape[], attrs: Attrs): Shape {
  const x = inputs[0] ?? [];
  switch (type) {
    case "input":
      return numbers(attrs, "shape");
    case "conv2d": {
      const [n, h, w] = rank(x, 4, type);
      return [n, ...windowOutput(h, w, attrs), num(attrs, "filters")];
    }
    case "conv2d-transpose":
      return transposeShape(x, attrs);
    case "maxpool":
    case "avgpool": {
      const [n, h, w, c] = rank(x, 4, type);
      return [n, ...windowOutput(h, w, attrs), c];
    }
    case "global-avgpool": {
      const [n, , , c] = rank(x, 4, type);
      return [n, c];
    }
    case "batchnorm":
    case "layernorm":
    case "relu":
    case "relu6":
    case "gelu":
    case "sigmoid":
    case "position-embedding":
      return x;
    case "add":
      return addShape(inputs, x);
    case "concat":
      return concatShape(inputs, x);
    case "dense":
      return [...x.slice(0, -1), num(attrs, "units")];
    case "flatten":
      return [x[0] as number, elementCount(x.slice(1))];
    case "embedding":
      return [...rank(x, 2, type).slice(0, 2), num(attrs, "dim")];
    case "causal-attention":
      return attentionShape(x, attrs);
    case "softmax-cross-entropy":
      return lossShape(inputs, x);
    case "mean-square":
      return meanSquareShape(inputs);
  }
}

/** Output height and width of a convolution or pooling window (`kernel`, `strides`, `pad`) over h x w. */
function windowOutput(h: number, w: number, attrs: Attrs): [number, number] {
  const [kh, kw] = pair(attrs, "kernel");
  const [sh, sw] = pair(attrs, "strides");
  const pad = attrs.pad as Padding;
  return [outSize(h, kh, sh, pad, 0), outSize(w, kw, sw, pad, 1)];
}

/** Output of a transposed convolution on NHWC `x`: each spatial size times the stride under `"same"`. */
function transposeShape(x: Shape, attrs: Attrs): Shape {
  const [n, h, w] = rank(x, 4, "conv2d-transpose");
  const [kh, kw] = pair(attrs, "kernel");
  const [sh, sw] = pair(attrs, "strides");
  const same = attrs.pad === "same";
  const up = (size: number, k: number, s: number) => (same ? size * s : (size - 1) * s + k);
  return [n, up(h, kh, sh), up(w, kw, sw), num(attrs, "filters")];
}

/** Output of an add: the shape `x` that every input must have. */
function addShape(inputs: readonly Shape[], x: Shape): Shape {
  for (const other of inputs)
    if (other.join() !== x.join()) throw new InternalError(`add of shapes [${x}] and [${other}]`);
  return x;
}

/** Output of a concat along the last axis: inputs equal on every other axis, channels summed. */
function concatShape(inputs: readonly Shape[], x: Shape): Shape {
  const lead = x.slice(0, -1).join();
  let channels = 0;
  for (const other of inputs) {
    if (other.slice(0, -1).join() !== lead) throw new InternalError(`concat of shapes [${x}] and [${other}]`);
    channels += other[other.length - 1] as number;
  }
  return [...x.slice(0, -1), channels];
}

/** Output of causal attention on fused q, k, v `[n, t, 3 d]`: `[n, t, d]`, d a multiple of `heads`. */
function attentionShape(x: Shape, attrs: Attrs): Shape {
  const [n, t, d3] = rank(x, 3, "causal-attention");
  if (d3 % 3 !== 0 || (d3 / 3) % num(attrs, "heads") !== 0)
    throw new InternalError(`causal-attention: ${d3} is not 3 * heads * head size`);
  return [n, t, d3 / 3];
}

/** Output of the loss: a scalar, the logits `x` matching the labels (`inputs[1]`) but for the last axis. */
function lossShape(inputs: readonly Shape[], x: Shape): Shape {
  const labels = inputs[1] ?? [];
  if (x.slice(0, -1).join() !== labels.join())
    throw new InternalError(`loss: logits [${x}] do not match labels [${labels}]`);
  return [];
}

/** Output of the mean-square loss: a scalar, of exactly one input. */
function meanSquareShape(inputs: readonly Shape[]): Shape {
  if (inputs.length !== 1) throw new InternalError(`mean-square reads one input, got ${inputs.length}`);
  return [];
}

/** The learned parameters of an op, given its input shapes and attrs (see src/zoo/types.ts). */
export function paramSpecs(type: OpType, inputs: readonly Shape[], attrs: Attrs): ParamSpec[] {
  const x = inputs[0] ?? [];
  const channels = x[x.length - 1] as number;
  const bias = (size: number): ParamSpec[] => (attrs.bias === true ? [{ name: "bias", shape: [size] }] : []);
  switch (type) {
    case "conv2d": {
      const [kh, kw] = pair(attrs, "kernel");
      const filters = num(attrs, "filters");
      const groups = num(attrs, "groups", 1);
      const depthwise = groups > 1;
      if (depthwise && !(groups === channels && filters === channels))
        throw new InternalError(
          "conv2d: only depthwise grouping (groups = in channels = filters) is supported",
        );
      const weight = depthwise ? [kh, kw, channels, 1] : [kh, kw, channels, filters];
      return [{ name: "weight", shape: weight }, ...bias(filters)];
    }
    case "conv2d-transpose": {
      const [kh, kw] = pair(attrs, "kernel");
      const filters = num(attrs, "filters");
      return [{ name: "weight", shape: [kh, kw, filters, channels] }, ...bias(filters)];
    }
    case "batchnorm":
    case "layernorm":
      return [
        { name: "gamma", shape: [channels] },
        { name: "beta", shape: [channels] },
      ];
    case "dense": {
      const units = num(attrs, "units");
      const tied = typeof attrs.tiedTo === "string";
      return [...(tied ? [] : [{ name: "weight", shape: [channels, units] }]), ...bias(units)];
    }
    case "embedding":
      return [{ name: "weight", shape: [num(attrs, "vocab"), num(attrs, "dim")] }];
    case "position-embedding":
      return [{ name: "weight", shape: x.slice(1) }];
    default:
      return [];
  }
}

/** Output size along one spatial axis (`axis` 0 = height, 1 = width). */
function outSize(size: number, k: number, s: number, pad: Padding, axis: 0 | 1): number {
  if (pad === "same") return Math.ceil(size / s);
  const [before, after] = pad === "valid" ? [0, 0] : (pad[axis] ?? [0, 0]);
  const out = Math.floor((size + (before ?? 0) + (after ?? 0) - k) / s) + 1;
  if (out < 1) throw new InternalError(`window ${k} does not fit size ${size}`);
  return out;
}

/** Checks that `shape` has rank `expected` and returns its first sizes (0 past the rank). */
function rank(shape: Shape, expected: number, type: OpType): [number, number, number, number] {
  if (shape.length !== expected) throw new InternalError(`${type} expects rank ${expected}, got [${shape}]`);
  const [a = 0, b = 0, c = 0, d = 0] = shape;
  return [a, b, c, d];
}

function num(attrs: Attrs, key: string, fallback?: number): number {
  const value = attrs[key] ?? fallback;
  if (typeof value !== "number") throw new InternalError(`attr ${key} must be a number`);
  return value;
}

function numbers(attrs: Attrs, key: string): number[] {
  const value = attrs[key];
  if (!Array.isArray(value) || !value.every((item) => typeof item === "number"))
    throw new InternalError(`attr ${key} must be a list of numbers`);
  return [...(value as number[])];
}

function pair(attrs: Attrs, key: string): [number, number] {
  const [a, b] = numbers(attrs, key);
  if (a === undefined || b === undefined) throw new InternalError(`attr ${key} must have 2 numbers`);
  return [a, b];
}
