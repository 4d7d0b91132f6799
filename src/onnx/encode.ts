/**
 * Encodes an {@link OnnxModel} as an ONNX file (the same `onnx.proto` subset that src/onnx/model.ts
 * reads). Tensors are written with their dims, data type and `raw_data` (zeros when no data is given:
 * remat plans from shapes, so a written model's weights need not be meaningful).
 */
import type { OnnxAttribute, OnnxModel, OnnxTensor, OnnxValueInfo } from "./model.js";
import { MessageWriter } from "./wire.js";

/** AttributeProto.AttributeType values. */
export const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7 } as const;

/** The bytes of `model` as an ONNX file. */
export function encodeModel(model: OnnxModel): Uint8Array {
  const root = new MessageWriter().varint(1, model.irVersion);
  if (model.producer !== undefined) root.bytes(2, model.producer);
  const graph = new MessageWriter();
  for (const node of model.graph.nodes) {
    const message = new MessageWriter();
    for (const input of node.inputs) message.bytes(1, input);
    for (const output of node.outputs) message.bytes(2, output);
    message.bytes(3, node.name).bytes(4, node.opType);
    for (const attribute of node.attributes) message.bytes(5, encodeAttribute(attribute));
    if (node.domain !== "") message.bytes(7, node.domain);
    graph.bytes(1, message.finish());
  }
  graph.bytes(2, model.graph.name);
  for (const tensor of model.graph.initializers) graph.bytes(5, encodeTensor(tensor));
  for (const input of model.graph.inputs) graph.bytes(11, encodeValueInfo(input));
  for (const output of model.graph.outputs) graph.bytes(12, encodeValueInfo(output));
  for (const info of model.graph.valueInfo) graph.bytes(13, encodeValueInfo(info));
  root.bytes(7, graph.finish());
  for (const opset of model.opsets)
    root.bytes(8, new MessageWriter().bytes(1, opset.domain).varint(2, opset.version).finish());
  return root.finish();
}

function encodeAttribute(attribute: OnnxAttribute): Uint8Array {
  const message = new MessageWriter().bytes(1, attribute.name);
  if (attribute.f !== undefined) message.float(2, attribute.f);
  if (attribute.i !== undefined) message.varint(3, attribute.i);
  if (attribute.s !== undefined) message.bytes(4, attribute.s);
  if (attribute.t !== undefined) message.bytes(5, encodeTensor(attribute.t));
  if (attribute.ints !== undefined) message.packed(8, attribute.ints);
  return message.varint(20, attribute.type).finish();
}

/** Bytes per element of the data types the writer emits. */
const WRITE_BYTES: Readonly<Record<number, number>> = { 1: 4, 6: 4, 7: 8 };

function encodeTensor(tensor: OnnxTensor): Uint8Array {
  const message = new MessageWriter().packed(1, tensor.dims).varint(2, tensor.dataType).bytes(8, tensor.name);
  const count = tensor.dims.reduce((product, size) => product * size, 1);
  if (tensor.external === true) return message.varint(14, 1).finish();
  return message.bytes(9, tensor.raw ?? rawOf(tensor, count)).finish();
}

function rawOf(tensor: OnnxTensor, count: number): Uint8Array {
  const width = WRITE_BYTES[tensor.dataType] ?? 4;
  const raw = new Uint8Array(width * count);
  const view = new DataView(raw.buffer);
  (tensor.intData ?? []).forEach((value, index) => {
    if (width === 8) view.setBigInt64(8 * index, BigInt(value), true);
    else view.setInt32(4 * index, value, true);
  });
  (tensor.floatData ?? []).forEach((value, index) => {
    view.setFloat32(4 * index, value, true);
  });
  return raw;
}

function encodeValueInfo(info: OnnxValueInfo): Uint8Array {
  const tensorType = new MessageWriter();
  if (info.elemType !== undefined) tensorType.varint(1, info.elemType);
  if (info.shape !== undefined) {
    const shape = new MessageWriter();
    for (const dim of info.shape) {
      const message = new MessageWriter();
      if (typeof dim === "number") message.varint(1, dim);
      else if (typeof dim === "string") message.bytes(2, dim);
      shape.bytes(1, message.finish());
    }
    tensorType.bytes(2, shape.finish());
  }
  const type = new MessageWriter().bytes(1, tensorType.finish());
  return new MessageWriter().bytes(1, info.name).bytes(2, type.finish()).finish();
}
