/**
 * Decodes an ONNX model file into the structures of model.ts (the fields read are listed there). Errors
 * carry the message path (`graph.node[3].attribute[0]`) and byte offset.
 */

import { bytesOf, floatsOf, intsOf, str, sub, varint, within } from "./decode-fields.js";
import {
  type OnnxAttribute,
  type OnnxDim,
  OnnxFormatError,
  type OnnxGraph,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo,
} from "./model.js";
import { type Field, readFields } from "./wire.js";

/**
 * Decodes an ONNX model file.
 * @throws OnnxFormatError when the bytes are not a well-formed ModelProto with a graph
 */
export function decodeModel(bytes: Uint8Array): OnnxModel {
  const fields = within("", () => readFields(bytes));
  let irVersion = 0;
  let producer: string | undefined;
  let graph: OnnxGraph | undefined;
  const opsets: { domain: string; version: number }[] = [];
  for (const field of fields) {
    switch (field.number) {
      case 1:
        irVersion = varint(field, "ir_version");
        break;
      case 2:
        producer = str(field, "producer_name");
        break;
      case 7:
        graph = decodeGraph(field, "graph");
        break;
      case 8:
        opsets.push(decodeOpset(field, `opset_import[${opsets.length}]`));
        break;
    }
  }
  if (graph === undefined) throw new OnnxFormatError("graph", "missing: the file holds no ONNX graph");
  if (irVersion <= 0) throw new OnnxFormatError("ir_version", "missing: not an ONNX ModelProto");
  return { irVersion, opsets, ...(producer === undefined ? {} : { producer }), graph };
}

function decodeOpset(field: Field, path: string) {
  let domain = "";
  let version = 0;
  for (const inner of sub(field, path)) {
    if (inner.number === 1) domain = str(inner, `${path}.domain`);
    else if (inner.number === 2) version = varint(inner, `${path}.version`);
  }
  return { domain, version };
}

function decodeGraph(field: Field, path: string): OnnxGraph {
  const graph = {
    name: "",
    nodes: [] as OnnxNode[],
    initializers: [] as OnnxTensor[],
    inputs: [] as OnnxValueInfo[],
    outputs: [] as OnnxValueInfo[],
    valueInfo: [] as OnnxValueInfo[],
  };
  for (const inner of sub(field, path)) {
    switch (inner.number) {
      case 1:
        graph.nodes.push(decodeNode(inner, `${path}.node[${graph.nodes.length}]`));
        break;
      case 2:
        graph.name = str(inner, `${path}.name`);
        break;
      case 5:
        graph.initializers.push(decodeTensor(inner, `${path}.initializer[${graph.initializers.length}]`));
        break;
      case 11:
        graph.inputs.push(decodeValueInfo(inner, `${path}.input[${graph.inputs.length}]`));
        break;
      case 12:
        graph.outputs.push(decodeValueInfo(inner, `${path}.output[${graph.outputs.length}]`));
        break;
      case 13:
        graph.valueInfo.push(decodeValueInfo(inner, `${path}.value_info[${graph.valueInfo.length}]`));
        break;
    }
  }
  return graph;
}

function decodeNode(field: Field, path: string): OnnxNode {
  const node = {
    name: "",
    opType: "",
    domain: "",
    inputs: [] as string[],
    outputs: [] as string[],
    attributes: [] as OnnxAttribute[],
  };
  for (const inner of sub(field, path)) {
    switch (inner.number) {
      case 1:
        node.inputs.push(str(inner, `${path}.input`));
        break;
      case 2:
        node.outputs.push(str(inner, `${path}.output`));
        break;
      case 3:
        node.name = str(inner, `${path}.name`);
        break;
      case 4:
        node.opType = str(inner, `${path}.op_type`);
        break;
      case 5:
        node.attributes.push(decodeAttribute(inner, `${path}.attribute[${node.attributes.length}]`));
        break;
      case 7:
        node.domain = str(inner, `${path}.domain`);
        break;
    }
  }
  if (node.opType === "") throw new OnnxFormatError(path, "has no op_type");
  return node;
}

function decodeAttribute(field: Field, path: string): OnnxAttribute {
  const attribute: { -readonly [K in keyof OnnxAttribute]: OnnxAttribute[K] } = { name: "", type: 0 };
  const floats: number[] = [];
  const ints: number[] = [];
  const strings: string[] = [];
  for (const inner of sub(field, path)) {
    switch (inner.number) {
      case 1:
        attribute.name = str(inner, `${path}.name`);
        break;
      case 20:
        attribute.type = varint(inner, `${path}.type`);
        break;
      case 2:
        attribute.f = floatsOf(inner, `${path}.f`)[0] as number;
        break;
      case 3:
        attribute.i = varint(inner, `${path}.i`);
        break;
      case 4:
        attribute.s = str(inner, `${path}.s`);
        break;
      case 5:
        attribute.t = decodeTensor(inner, `${path}.t`);
        break;
      case 7:
        floats.push(...floatsOf(inner, `${path}.floats`));
        break;
      case 8:
        ints.push(...intsOf(inner, `${path}.ints`));
        break;
      case 9:
        strings.push(str(inner, `${path}.strings`));
        break;
    }
  }
  if (floats.length > 0) attribute.floats = floats;
  if (ints.length > 0) attribute.ints = ints;
  if (strings.length > 0) attribute.strings = strings;
  return attribute;
}

function decodeTensor(field: Field, path: string): OnnxTensor {
  const tensor: { -readonly [K in keyof OnnxTensor]: OnnxTensor[K] } = { name: "", dataType: 0, dims: [] };
  const dims: number[] = [];
  const floatData: number[] = [];
  const intData: number[] = [];
  for (const inner of sub(field, path)) {
    switch (inner.number) {
      case 1:
        dims.push(...intsOf(inner, `${path}.dims`));
        break;
      case 2:
        tensor.dataType = varint(inner, `${path}.data_type`);
        break;
      case 4:
        floatData.push(...floatsOf(inner, `${path}.float_data`));
        break;
      case 5:
      case 7:
        intData.push(...intsOf(inner, `${path}.int_data`));
        break;
      case 8:
        tensor.name = str(inner, `${path}.name`);
        break;
      case 9:
        tensor.raw = bytesOf(inner, `${path}.raw_data`);
        break;
      case 14:
        tensor.external = varint(inner, `${path}.data_location`) === 1;
        break;
    }
  }
  if (dims.some((dim) => dim < 0 || !Number.isSafeInteger(dim)))
    throw new OnnxFormatError(`${path}.dims`, `has a negative or huge size [${dims}]`);
  tensor.dims = dims;
  if (floatData.length > 0) tensor.floatData = floatData;
  if (intData.length > 0) tensor.intData = intData;
  return tensor;
}

function decodeValueInfo(field: Field, path: string): OnnxValueInfo {
  const info: { -readonly [K in keyof OnnxValueInfo]: OnnxValueInfo[K] } = { name: "" };
  for (const inner of sub(field, path)) {
    if (inner.number === 1) info.name = str(inner, `${path}.name`);
    else if (inner.number === 2) decodeType(inner, `${path}.type`, info);
  }
  return info;
}

/** TypeProto: only tensor types (field 1) are read; others leave `info` without a type. */
function decodeType(
  field: Field,
  path: string,
  info: { elemType?: number; shape?: readonly OnnxDim[] },
): void {
  for (const type of sub(field, path)) {
    if (type.number !== 1) continue;
    for (const tensor of sub(type, `${path}.tensor_type`)) {
      if (tensor.number === 1) info.elemType = varint(tensor, `${path}.tensor_type.elem_type`);
      else if (tensor.number === 2) info.shape = decodeShape(tensor, `${path}.tensor_type.shape`);
    }
  }
}

function decodeShape(field: Field, path: string): OnnxDim[] {
  const dims: OnnxDim[] = [];
  for (const dim of sub(field, path)) {
    if (dim.number !== 1) continue;
    const at = `${path}.dim[${dims.length}]`;
    let value: OnnxDim;
    for (const inner of sub(dim, at)) {
      if (inner.number === 1) value = varint(inner, `${at}.dim_value`);
      else if (inner.number === 2) value = str(inner, `${at}.dim_param`);
    }
    dims.push(value);
  }
  return dims;
}
