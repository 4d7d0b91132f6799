/**
 * Output shapes of ONNX ops (NCHW, ONNX's own semantics: explicit `pads` or `auto_pad`, `dilations`,
 * `ceil_mode`, numpy broadcasting, Reshape's 0 and -1, negative axes). Each function returns undefined
 * when its inputs do not fit the op, and the importer reports the node.
 */
import type { OnnxAttribute, OnnxNode } from "./model.js";
import { broadcast, count, type Value } from "./values.js";

type Shape = readonly number[];

/** Attribute lookup on a node. */
export class Attrs {
  private readonly byName: ReadonlyMap<string, OnnxAttribute>;
  constructor(node: OnnxNode) {
    this.byName = new Map(node.attributes.map((attribute) => [attribute.name, attribute]));
  }
  int(name: string, fallback: number): number {
    return this.byName.get(name)?.i ?? fallback;
  }
  float(name: string, fallback: number): number {
    return this.byName.get(name)?.f ?? fallback;
  }
  ints(name: string): readonly number[] | undefined {
    const attribute = this.byName.get(name);
    return attribute === undefined ? undefined : (attribute.ints ?? []);
  }
  string(name: string, fallback: string): string {
    return this.byName.get(name)?.s ?? fallback;
  }
  has(name: string): boolean {
    return this.byName.has(name);
  }
}

/** An axis in `[-rank, rank)` made non-negative, or undefined out of range. */
export function axisOf(axis: number, rank: number): number | undefined {
  const resolved = axis < 0 ? axis + rank : axis;
  return resolved >= 0 && resolved < rank ? resolved : undefined;
}

/** The spatial window of a Conv / MaxPool / AveragePool over NCHW `x`: output spatial sizes. */
export function windowShape(
  x: Shape,
  kernel: readonly number[],
  attrs: Attrs,
  transpose = false,
): number[] | undefined {
  const spatial = x.slice(2);
  if (kernel.length !== spatial.length) return undefined;
  const window: Window = {
    strides: attrs.ints("strides") ?? spatial.map(() => 1),
    dilations: attrs.ints("dilations") ?? spatial.map(() => 1),
    pads: attrs.ints("pads") ?? spatial.flatMap(() => [0, 0]),
    autoPad: attrs.string("auto_pad", "NOTSET"),
    ceil: attrs.int("ceil_mode", 0) === 1,
    outputShape: attrs.ints("output_shape"),
    outputPadding: attrs.ints("output_padding") ?? [],
    rank: spatial.length,
  };
  const out = spatial.map((size, axis) =>
    transpose
      ? transposedSize(size, kernel[axis] as number, axis, window)
      : windowSize(size, kernel[axis] as number, axis, window),
  );
  return out.every((size) => Number.isInteger(size) && size >= 1) ? out : undefined;
}

interface Window {
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  readonly pads: readonly number[];
  readonly autoPad: string;
  readonly ceil: boolean;
  readonly outputShape: readonly number[] | undefined;
  readonly outputPadding: readonly number[];
  readonly rank: number;
}

const isSame = (window: Window) => window.autoPad === "SAME_UPPER" || window.autoPad === "SAME_LOWER";

/** Output size of a convolution or pooling window along `axis`. */
function windowSize(size: number, kernel: number, axis: number, window: Window): number {
  const s = window.strides[axis] ?? 1;
  if (isSame(window)) return Math.ceil(size / s);
  const k = (kernel - 1) * (window.dilations[axis] ?? 1) + 1;
  const before = window.pads[axis] ?? 0;
  const after = window.pads[axis + window.rank] ?? 0;
  const padded = window.autoPad === "VALID" ? size : size + before + after;
  const steps = (padded - k) / s;
  return (window.ceil ? Math.ceil(steps) : Math.floor(steps)) + 1;
}

/** Output size of a transposed convolution along `axis` (output_shape, SAME, or ONNX's formula). */
function transposedSize(size: number, kernel: number, axis: number, window: Window): number {
  const s = window.strides[axis] ?? 1;
  const given = window.outputShape?.[axis];
  if (given !== undefined && window.outputShape?.length === window.rank) return given;
  if (isSame(window)) return size * s;
  const k = (kernel - 1) * (window.dilations[axis] ?? 1) + 1;
  const pads = (window.pads[axis] ?? 0) + (window.pads[axis + window.rank] ?? 0);
  return s * (size - 1) + (window.outputPadding[axis] ?? 0) + k - pads;
}

/** MatMul with numpy semantics (rank-1 operands promoted and their axis dropped). */
export function matmulShape(a: Shape, b: Shape): number[] | undefined {
  if (a.length === 0 || b.length === 0) return undefined;
  const left = a.length === 1 ? [1, ...a] : a;
  const right = b.length === 1 ? [...b, 1] : b;
  const k = left[left.length - 1];
  if (k !== right[right.length - 2]) return undefined;
  const batch = broadcast([left.slice(0, -2), right.slice(0, -2)]);
  if (batch === undefined) return undefined;
  return [
    ...batch,
    ...(a.length === 1 ? [] : [left[left.length - 2] as number]),
    ...(b.length === 1 ? [] : [right[right.length - 1] as number]),
  ];
}

/** Reshape of `x` to `target` (0 copies the input's size unless allowzero, one -1 inferred). */
export function reshapeShape(x: Shape, target: readonly number[], allowZero: boolean): number[] | undefined {
  const out = target.map((size, axis) => (size === 0 && !allowZero ? (x[axis] ?? -2) : size));
  const known = out.filter((size) => size !== -1);
  if (known.some((size) => size < 0) || out.length - known.length > 1) return undefined;
  const rest = count(known);
  if (known.length === out.length) return rest === count(x) ? out : undefined;
  if (rest === 0 || count(x) % rest !== 0) return undefined;
  return out.map((size) => (size === -1 ? count(x) / rest : size));
}

/** Slice of `x` by (starts, ends, axes, steps), ONNX clamping rules. */
export function sliceShape(
  x: Shape,
  starts: readonly number[],
  ends: readonly number[],
  axes: readonly number[] | undefined,
  steps: readonly number[] | undefined,
): number[] | undefined {
  const out = [...x];
  for (let index = 0; index < starts.length; index++) {
    const axis = axisOf(axes?.[index] ?? index, x.length);
    if (axis === undefined) return undefined;
    const size = x[axis] as number;
    const step = steps?.[index] ?? 1;
    if (step === 0) return undefined;
    const clamp = (value: number, low: number, high: number) =>
      Math.min(Math.max(value < 0 ? value + size : value, low), high);
    const start =
      step > 0 ? clamp(starts[index] as number, 0, size) : clamp(starts[index] as number, -1, size - 1);
    const end = step > 0 ? clamp(ends[index] as number, 0, size) : clamp(ends[index] as number, -1, size - 1);
    out[axis] = Math.max(0, Math.ceil((end - start) / step));
  }
  return out;
}

/** Reduction over `axes` (all when empty, unless `noopWithEmpty`), keeping them as 1 when `keep`. */
export function reduceShape(x: Shape, axes: readonly number[], keep: boolean): number[] | undefined {
  const resolved = axes.length === 0 ? x.map((_, axis) => axis) : axes.map((axis) => axisOf(axis, x.length));
  if (resolved.some((axis) => axis === undefined)) return undefined;
  const set = new Set(resolved);
  return x.flatMap((size, axis) => (set.has(axis) ? (keep ? [1] : []) : [size]));
}

/** The integer values of a constant input, when known. */
export function intsOf(value: Value | undefined): readonly number[] | undefined {
  return value?.data;
}
