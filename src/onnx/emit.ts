/**
 * The instance nodes of an imported graph: data sources, one node per ONNX node (needs, temporaries
 * and roofline times from the zoo's op table when the op is the zoo's, from src/onnx/ops.ts otherwise)
 * and the appended loss.
 */
import type { NeedsWord } from "../instance/types.js";
import type { NodeDocument } from "../zoo/document.js";
import { isRecomputable, needsOf, temporariesOf } from "../zoo/ops/backward.js";
import { opCost } from "../zoo/ops/cost.js";
import { type Device, rooflineMs } from "../zoo/roofline.js";
import type { OpType, ParamSpec, ZooOp } from "../zoo/types.js";
import type { OnnxNode } from "./model.js";
import type { OpReading } from "./op-reading.js";
import { count, INT32, type Value, valueBytes } from "./values.js";

/** One instance node while the graph is read; costs are computed at the end (a bias may still fuse). */
export interface PendingNode {
  readonly id: string;
  readonly onnx: OnnxNode;
  readonly reading: OpReading;
  /** Its activation inputs. */
  readonly inputs: readonly Value[];
  readonly params: ParamSpec[];
  readonly bytes: number;
  readonly shape: readonly number[];
  /** A MatMul-dense node whose bias Add may still join it. */
  fusable: boolean;
}

/** The node of a graph input: a data source, not recomputable. */
export function sourceNode(id: string, value: Value, name: string): NodeDocument {
  return {
    id,
    fwd: 0,
    bwd: 0,
    bytes: valueBytes(value),
    needs: [],
    recomputable: false,
    meta: { op: "input", onnx: name, shape: [...value.shape], dtype: value.dtype },
  };
}

/** A stand-in zoo op of `shape` for the cost model (`input` for data sources). */
function standIn(id: string, type: OpType, shape: readonly number[]): ZooOp {
  return { id, type, inputs: [], attrs: {}, shape, params: [], block: "" };
}

interface Timing {
  readonly needs: readonly NeedsWord[];
  readonly fwd: number;
  readonly bwd: number;
  readonly fwdTemp: number;
  readonly bwdTemp: number;
}

/** Needs, temporaries and times of a zoo-mapped node, from the zoo's tables (NHWC shapes when spatial). */
function zooTiming(item: PendingNode, device: Device, isSource: (id: string) => boolean): Timing {
  const zoo = item.reading.zoo as NonNullable<OpReading["zoo"]>;
  const layout = (shape: readonly number[]) =>
    zoo.spatial === true && shape.length === 4
      ? ([shape[0], shape[2], shape[3], shape[1]] as number[])
      : shape;
  const inputs = item.inputs.map((value) =>
    standIn(value.node as string, isSource(value.node as string) ? "input" : "relu", layout(value.shape)),
  );
  const op: ZooOp = {
    ...standIn(item.id, zoo.type, layout(item.shape)),
    attrs: zoo.attrs,
    params: item.params,
  };
  const cost = opCost(op, inputs);
  return {
    needs: needsOf(op.type),
    ...temporariesOf(op, inputs),
    fwd: rooflineMs(device, cost.fwdFlops, cost.fwdBytes),
    bwd: rooflineMs(device, cost.bwdFlops, cost.bwdBytes),
  };
}

/** Needs and times of a node from src/onnx/ops.ts: bytes moved as the zoo counts them (src/zoo/ops/cost.ts). */
function ownTiming(item: PendingNode, device: Device): Timing {
  const needs = item.reading.needs ?? ["inputs", "output"];
  const inBytes = item.inputs.reduce((sum, value) => sum + valueBytes(value), 0);
  const paramBytes = item.params.reduce((sum, param) => sum + 4 * count(param.shape), 0);
  const [forward, backward] = item.reading.flops ?? [0, 0];
  const needed = (needs.includes("inputs") ? inBytes : 0) + (needs.includes("output") ? item.bytes : 0);
  return {
    needs,
    fwd: rooflineMs(device, forward, inBytes + item.bytes + paramBytes),
    bwd: rooflineMs(device, backward, item.bytes + needed + inBytes + 2 * paramBytes),
    fwdTemp: 0,
    bwdTemp: 0,
  };
}

/** The instance node of one ONNX node. */
export function opNode(item: PendingNode, device: Device, isSource: (id: string) => boolean): NodeDocument {
  const { reading } = item;
  const timing = reading.zoo === undefined ? ownTiming(item, device) : zooTiming(item, device, isSource);
  return {
    id: item.id,
    fwd: timing.fwd,
    bwd: timing.bwd,
    bytes: item.bytes,
    inputs: [...new Set(item.inputs.map((value) => value.node as string))],
    needs: [...timing.needs],
    ...(timing.fwdTemp > 0 ? { fwdTemp: timing.fwdTemp } : {}),
    ...(timing.bwdTemp > 0 ? { bwdTemp: timing.bwdTemp } : {}),
    ...(reading.zoo === undefined || isRecomputable(reading.zoo.type) ? {} : { recomputable: false }),
    meta: {
      op: item.onnx.opType,
      ...(reading.zoo === undefined ? {} : { as: reading.zoo.type }),
      shape: [...item.shape],
      onnx: item.onnx.name || (item.onnx.outputs[0] ?? ""),
    },
  };
}

/** The loss appended to the graph's output `output`: mean-square, or cross-entropy with its labels. */
export function lossNodes(
  kind: "mean-square" | "cross-entropy",
  output: Value,
  ids: { readonly loss: string; readonly labels: string },
  device: Device,
): NodeDocument[] {
  const from = standIn(output.node as string, "relu", output.shape);
  if (kind === "mean-square") {
    const op: ZooOp = { ...standIn(ids.loss, "mean-square", []), inputs: [from.id] };
    return [lossNode(op, [from], device)];
  }
  const classAxis = output.shape.length === 4 ? 1 : output.shape.length - 1;
  const labelShape = output.shape.filter((_, axis) => axis !== classAxis);
  const labels: NodeDocument = {
    id: ids.labels,
    fwd: 0,
    bwd: 0,
    bytes: 4 * count(labelShape),
    needs: [],
    recomputable: false,
    meta: { op: "input", shape: labelShape, dtype: INT32, appended: true },
  };
  const op: ZooOp = { ...standIn(ids.loss, "softmax-cross-entropy", []), inputs: [from.id, ids.labels] };
  return [labels, lossNode(op, [from, standIn(ids.labels, "input", labelShape)], device)];
}

function lossNode(op: ZooOp, inputs: readonly ZooOp[], device: Device): NodeDocument {
  const cost = opCost(op, inputs);
  const temps = temporariesOf(op, inputs);
  return {
    id: op.id,
    fwd: rooflineMs(device, cost.fwdFlops, cost.fwdBytes),
    bwd: rooflineMs(device, cost.bwdFlops, cost.bwdBytes),
    bytes: 4,
    inputs: [...op.inputs],
    needs: [...needsOf(op.type)],
    ...(temps.fwdTemp > 0 ? { fwdTemp: temps.fwdTemp } : {}),
    meta: { op: op.type, shape: [], appended: true },
  };
}
