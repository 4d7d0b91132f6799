/**
 * The zoo attributes of an imported node (src/onnx/runnable.ts says what maps), from its ONNX
 * attributes, and the axis permutation of each of its parameters from ONNX's layout to the kernels'.
 */

import type { AttrValue } from "../zoo/types.js";
import type { PendingNode } from "./emit.js";
import type { OpReading } from "./op-reading.js";
import { Attrs } from "./shapes.js";

/** A node's zoo attributes and, by parameter name, the permutation taking its ONNX initializer to the zoo's layout. */
export interface MappedAttrs {
  readonly attrs: Record<string, AttrValue>;
  readonly perms: Readonly<Record<string, readonly number[]>>;
}

type Zoo = NonNullable<OpReading["zoo"]>;

/** `[O, I, kh, kw] -> [kh, kw, I, O]` (and a transposed conv's `[I, O, kh, kw] -> [kh, kw, O, I]`). */
const OIHW_TO_HWIO = [2, 3, 1, 0];
/** A depthwise conv's `[C, 1, kh, kw] -> [kh, kw, C, 1]`. */
const DEPTHWISE = [2, 3, 0, 1];

/** The zoo attributes of `item` read as `zoo`, or why the kernels cannot run it. */
export function onnxAttrs(
  item: PendingNode,
  zoo: Zoo,
  inShapes: readonly (readonly number[])[],
): MappedAttrs | string {
  const attrs = new Attrs(item.onnx);
  const plain = { attrs: { ...zoo.attrs }, perms: {} };
  switch (zoo.type) {
    case "conv2d":
      return conv(item, zoo, attrs, inShapes[0] ?? []);
    case "conv2d-transpose":
      return convTranspose(item, zoo, attrs, inShapes[0] ?? []);
    case "maxpool":
    case "avgpool":
      return pool(zoo, attrs, inShapes[0] ?? []);
    case "batchnorm":
    case "layernorm":
      return { attrs: { epsilon: attrs.float("epsilon", 1e-5) }, perms: {} };
    case "gelu":
      return attrs.string("approximate", "none") === "tanh"
        ? plain
        : 'Gelu without approximate "tanh" (the kernel is the tanh approximation)';
    case "dense":
      return dense(item, zoo, attrs);
    case "flatten":
      return flatten(item, plain);
    case "concat":
      return concat(item, attrs, plain);
    default:
      return plain;
  }
}

/** A spatial window's ONNX pads `[top, left, bottom, right]` as the zoo's "same" / "valid" / explicit pads. */
function padding(
  attrs: Attrs,
  x: readonly number[],
  kernel: readonly number[],
  strides: readonly number[],
): AttrValue | undefined {
  const auto = attrs.string("auto_pad", "NOTSET");
  if (auto === "VALID") return "valid";
  const pads = attrs.ints("pads") ?? [0, 0, 0, 0];
  const same = [1, 2].map((axis, index) => {
    const size = x[axis] as number;
    const stride = strides[index] as number;
    const total = Math.max((Math.ceil(size / stride) - 1) * stride + (kernel[index] as number) - size, 0);
    return [Math.floor(total / 2), Math.ceil(total / 2)];
  });
  if (auto === "SAME_UPPER") return "same";
  if (auto !== "NOTSET") return undefined;
  const [top = 0, left = 0, bottom = 0, right = 0] = pads;
  if (top === 0 && left === 0 && bottom === 0 && right === 0) return "valid";
  if (same[0]?.join() === `${top},${bottom}` && same[1]?.join() === `${left},${right}`) return "same";
  return [
    [top, bottom],
    [left, right],
  ];
}

function dilated(attrs: Attrs): boolean {
  return (attrs.ints("dilations") ?? [1, 1]).some((d) => d !== 1);
}

function conv(item: PendingNode, zoo: Zoo, attrs: Attrs, x: readonly number[]): MappedAttrs | string {
  if (dilated(attrs)) return "dilated convolution (the kernel has dilation 1)";
  const kernel = zoo.attrs.kernel as number[];
  const strides = attrs.ints("strides") ?? [1, 1];
  const pad = padding(attrs, x, kernel, strides);
  if (pad === undefined) return `auto_pad ${attrs.string("auto_pad", "")} (the kernel pads as TF's "same")`;
  const groups = zoo.attrs.groups as number;
  const channels = x[3] as number;
  if (groups > 1 && !(groups === channels && zoo.attrs.filters === channels))
    return `grouped convolution (group ${groups}; the kernel is dense or depthwise)`;
  return {
    attrs: { ...zoo.attrs, strides: [...strides], pad, bias: hasBias(item) },
    perms: { weight: groups > 1 ? DEPTHWISE : OIHW_TO_HWIO },
  };
}

function convTranspose(
  item: PendingNode,
  zoo: Zoo,
  attrs: Attrs,
  x: readonly number[],
): MappedAttrs | string {
  if (dilated(attrs) || attrs.int("group", 1) !== 1)
    return "dilated or grouped transposed convolution (the kernel has neither)";
  const strides = attrs.ints("strides") ?? [1, 1];
  const out = item.shape;
  const valid =
    (attrs.ints("pads") ?? [0, 0, 0, 0]).every((p) => p === 0) &&
    (attrs.ints("output_padding") ?? [0, 0]).every((p) => p === 0);
  const same =
    out[2] === (x[1] as number) * (strides[0] as number) &&
    out[3] === (x[2] as number) * (strides[1] as number);
  if (!same && !valid) return 'padding other than "same" (output = input x stride) or "valid"';
  return {
    attrs: { ...zoo.attrs, strides: [...strides], pad: same ? "same" : "valid", bias: hasBias(item) },
    perms: { weight: OIHW_TO_HWIO },
  };
}

function pool(zoo: Zoo, attrs: Attrs, x: readonly number[]): MappedAttrs | string {
  if (dilated(attrs) || attrs.int("ceil_mode", 0) !== 0)
    return "dilated or ceil-mode pooling (the kernel has neither)";
  const kernel = zoo.attrs.kernel as number[];
  const strides = attrs.ints("strides") ?? [1, 1];
  const pad = padding(attrs, x, kernel, strides);
  if (pad !== "same" && pad !== "valid") return 'pads other than TF\'s "same" or "valid"';
  if (zoo.type === "avgpool" && pad === "same" && attrs.int("count_include_pad", 0) !== 0)
    return "an average counting padded cells (the kernel counts real cells only)";
  return { attrs: { kernel: [...kernel], strides: [...strides], pad }, perms: {} };
}

function dense(item: PendingNode, zoo: Zoo, attrs: Attrs): MappedAttrs | string {
  const gemm = item.onnx.opType === "Gemm";
  if (gemm && (attrs.int("transA", 0) !== 0 || attrs.float("alpha", 1) !== 1 || attrs.float("beta", 1) !== 1))
    return "Gemm with transA, alpha or beta (the kernel computes x W + b)";
  const transposed = gemm && attrs.int("transB", 0) === 1;
  return {
    attrs: { units: zoo.attrs.units as number, bias: item.params.length > 1 },
    perms: transposed ? { weight: [1, 0] } : {},
  };
}

function hasBias(item: PendingNode): boolean {
  return (item.onnx.inputs[2] ?? "") !== "";
}

function flatten(item: PendingNode, plain: MappedAttrs): MappedAttrs | string {
  const x = item.inputs[0]?.shape ?? [];
  return x.length === 4 && (x[2] as number) * (x[3] as number) > 1
    ? "Flatten of a [C, H, W] map with H * W > 1 (its NCHW order is not the kernels' NHWC)"
    : plain;
}

function concat(item: PendingNode, attrs: Attrs, plain: MappedAttrs): MappedAttrs | string {
  const rank = item.shape.length;
  const axis = attrs.int("axis", 0);
  const resolved = axis < 0 ? axis + rank : axis;
  return resolved === (rank === 4 ? 1 : rank - 1)
    ? plain
    : `Concat on axis ${axis} (the kernel concatenates channels)`;
}
