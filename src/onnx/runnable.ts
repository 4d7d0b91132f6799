/**
 * Imported graph -> runnable zoo graph (issue 16 item 2): when every instance node of an import is an
 * op the simulator has a kernel for (src/simulate/kernels/, one per zoo op type), the import maps onto a
 * {@link ZooGraph} with the instance's own node ids, in the kernels' NHWC layout, and each learned
 * initializer onto the zoo parameter it is ({@link ParamBinding}: which initializer, which axis
 * permutation from ONNX's layout). Nothing is read here but shapes and attributes; the weights' values
 * are read by src/onnx/weights.ts.
 *
 * What maps (and what does not, each named with its reason in {@link KernelMapping}'s `missing`):
 * - Conv (dilations 1; groups 1, or depthwise: groups = channels = filters): `conv2d`, pads written as
 *   "same" / "valid" when they are TF's, explicit otherwise; weight `[O, I, kh, kw] -> [kh, kw, I, O]`
 *   (depthwise `[C, 1, kh, kw] -> [kh, kw, C, 1]`);
 * - ConvTranspose (group 1, dilations 1, "same" or "valid" geometry): `conv2d-transpose`, weight
 *   `[I, O, kh, kw] -> [kh, kw, O, I]`;
 * - MaxPool / AveragePool ("same" or "valid" geometry; an average over padding only with
 *   count_include_pad 0): the zoo's pools;
 * - Gemm (alpha = beta = 1, transA 0) and MatMul (+ Add of a bias) with a weight: `dense`, weight
 *   `[K, units]` (transB: `[units, K]` transposed);
 * - Gelu only with approximate "tanh" (the zoo's kernel; the exact erf form has none);
 * - Flatten of a 4-D map only when H * W = 1 (NCHW and NHWC orders then agree);
 * - Concat of 4-D maps on the channel axis, of others on the last axis;
 * - graph inputs of float32 or int32 (the simulator's tensors), everything else as the zoo's op table.
 * Ops of src/onnx/ops.ts that are not the zoo's (Sub, Pow, Div, Transpose, Reshape, ...) have no kernel.
 */
import { InternalError } from "../errors.js";
import { inferShape, paramSpecs } from "../zoo/ops/shape.js";
import type { ParamSpec, ZooGraph, ZooOp } from "../zoo/types.js";
import type { PendingNode } from "./emit.js";
import { onnxAttrs } from "./runnable-attrs.js";
import { FLOAT, INT32, type Value } from "./values.js";

/** Where one zoo parameter's values come from. */
export interface ParamBinding {
  /** The parameter's key in the simulator's network: `opId/name` (`conv1/weight`). */
  readonly key: string;
  /** The ONNX initializer holding its values. */
  readonly initializer: string;
  /** Its zoo shape. */
  readonly shape: readonly number[];
  /** Zoo axis `a` is ONNX axis `perm[a]`; absent when the values are in order already. */
  readonly perm?: readonly number[];
}

/** Whether an import can run on the simulator's kernels, and how. */
export type KernelMapping =
  | { readonly runnable: true; readonly graph: ZooGraph; readonly bindings: readonly ParamBinding[] }
  | {
      readonly runnable: false;
      /** One line per node without a kernel: `node "id" (Op): why`. */
      readonly missing: readonly string[];
    };

/** The importer's reading of a graph, for the mapping. */
export interface MappingInput {
  readonly name: string;
  readonly sources: readonly { readonly id: string; readonly value: Value }[];
  readonly pending: readonly PendingNode[];
  /** The appended loss, when there is one. */
  readonly loss?: {
    readonly kind: "mean-square" | "cross-entropy";
    readonly output: Value;
    readonly ids: { readonly loss: string; readonly labels: string };
  };
}

/** A 4-D NCHW shape in NHWC order; other ranks as they are. */
export const nhwc = (shape: readonly number[]): number[] =>
  shape.length === 4 ? ([shape[0], shape[2], shape[3], shape[1]] as number[]) : [...shape];

/** The zoo graph of an import and its parameter bindings, or every node that has no kernel. */
export function kernelMapping(input: MappingInput): KernelMapping {
  const missing: string[] = [];
  const ops: ZooOp[] = [];
  const shapes = new Map<string, readonly number[]>();
  const bindings: ParamBinding[] = [];
  for (const source of input.sources) {
    const dtype =
      source.value.dtype === FLOAT ? "float32" : source.value.dtype === INT32 ? "int32" : undefined;
    if (dtype === undefined)
      missing.push(
        `input "${source.id}": element type ${source.value.dtype} (the simulator holds float32 and int32 tensors)`,
      );
    const shape = nhwc(source.value.shape);
    shapes.set(source.id, shape);
    ops.push(zooOp(source.id, "input", [], { shape, dtype: dtype ?? "float32" }, shape, []));
  }
  for (const item of input.pending) {
    const mapped = mapNode(item, shapes);
    if (typeof mapped === "string") {
      missing.push(`node "${item.id}" (${item.onnx.opType}): ${mapped}`);
      shapes.set(item.id, nhwc(item.shape));
      continue;
    }
    ops.push(mapped.op);
    bindings.push(...mapped.bindings);
    shapes.set(item.id, mapped.op.shape);
  }
  if (input.loss === undefined) missing.push("the graph has no appended loss (imported with --loss none)");
  else ops.push(...lossOps(input.loss));
  if (missing.length > 0) return { runnable: false, missing };
  return { runnable: true, graph: { zoo: `onnx:${input.name}`, config: {}, ops }, bindings };
}

function zooOp(
  id: string,
  type: ZooOp["type"],
  inputs: readonly string[],
  attrs: ZooOp["attrs"],
  shape: readonly number[],
  params: ZooOp["params"],
): ZooOp {
  return { id, type, inputs, attrs, shape, params, block: id };
}

/** The zoo op of one instance node and its bindings, or why it has no kernel. */
function mapNode(
  item: PendingNode,
  shapes: ReadonlyMap<string, readonly number[]>,
): { op: ZooOp; bindings: ParamBinding[] } | string {
  const zoo = item.reading.zoo;
  if (zoo === undefined) return "no kernel for this op (only the zoo's ops run on real kernels)";
  const inputs = item.inputs.map((value) => value.node as string);
  if (new Set(inputs).size !== inputs.length) return "reads one tensor twice";
  const inShapes = inputs.map((id) => shapes.get(id) as readonly number[]);
  const mapped = onnxAttrs(item, zoo, inShapes);
  if (typeof mapped === "string") return mapped;
  const expected = zooShape(zoo.type, item.shape);
  let shape: readonly number[];
  let specs: readonly ParamSpec[];
  try {
    shape = inferShape(zoo.type, inShapes, mapped.attrs);
    specs = paramSpecs(zoo.type, inShapes, mapped.attrs);
  } catch (error) {
    if (error instanceof InternalError)
      return `the ${zoo.type} kernel cannot take these inputs (${error.message})`;
    throw error;
  }
  if (shape.join() !== expected.join())
    return `the ${zoo.type} kernel's output [${shape}] is not the node's [${expected}] (NHWC)`;
  if (specs.length !== item.params.length)
    return `${item.params.length} learned initializers where the ${zoo.type} kernel takes ${specs.length} (${specs.map((spec) => spec.name).join(", ") || "none"})`;
  const bindings = bind(item, specs, mapped.perms);
  if (typeof bindings === "string") return bindings;
  return { op: zooOp(item.id, zoo.type, inputs, mapped.attrs, shape, specs), bindings };
}

/** Each zoo parameter of `item` bound to its initializer (in slot order), or why one does not fit. */
function bind(
  item: PendingNode,
  specs: readonly ParamSpec[],
  perms: Readonly<Record<string, readonly number[]>>,
): ParamBinding[] | string {
  const bindings: ParamBinding[] = [];
  for (const [index, spec] of specs.entries()) {
    const param = item.params[index] as { name: string; shape: readonly number[] };
    const perm = perms[spec.name];
    const permuted = perm === undefined ? param.shape : perm.map((axis) => param.shape[axis] as number);
    if (permuted.reduce((p, e) => p * e, 1) !== spec.shape.reduce((p, e) => p * e, 1))
      return `initializer "${param.name}" of shape [${param.shape}] is not the ${spec.name} [${spec.shape}] the kernel takes`;
    bindings.push({
      key: `${item.id}/${spec.name}`,
      initializer: param.name,
      shape: spec.shape,
      ...(perm === undefined ? {} : { perm }),
    });
  }
  return bindings;
}

/** The zoo's output shape of a node: NHWC for 4-D maps, `[N, C]` for a global average pool. */
function zooShape(type: ZooOp["type"], shape: readonly number[]): number[] {
  if (type === "global-avgpool") return [shape[0] as number, shape[1] as number];
  return nhwc(shape);
}

/** The appended loss (and its labels) as zoo ops. */
function lossOps(loss: NonNullable<MappingInput["loss"]>): ZooOp[] {
  const from = loss.output.node as string;
  if (loss.kind === "mean-square") return [zooOp(loss.ids.loss, "mean-square", [from], {}, [], [])];
  const logits = nhwc(loss.output.shape);
  const labelShape = logits.slice(0, -1);
  return [
    zooOp(loss.ids.labels, "input", [], { shape: labelShape, dtype: "int32" }, labelShape, []),
    zooOp(loss.ids.loss, "softmax-cross-entropy", [from, loss.ids.labels], {}, [], []),
  ];
}
