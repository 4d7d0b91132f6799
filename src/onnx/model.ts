/**
 * The part of ONNX's `onnx.proto` (github.com/onnx/onnx, Apache-2.0; field numbers as of IR version 10)
 * that remat reads and writes: ModelProto (ir_version 1, graph 7, opset_import 8), OperatorSetIdProto
 * (domain 1, version 2), GraphProto (node 1, name 2, initializer 5, input 11, output 12, value_info 13),
 * NodeProto (input 1, output 2, name 3, op_type 4, attribute 5, domain 7), AttributeProto (name 1, f 2,
 * i 3, s 4, t 5, floats 7, ints 8, strings 9, type 20), TensorProto (dims 1, data_type 2, float_data 4,
 * int32_data 5, int64_data 7, name 8, raw_data 9, data_location 14), ValueInfoProto (name 1, type 2),
 * TypeProto (tensor_type 1), TypeProto.Tensor (elem_type 1, shape 2), TensorShapeProto (dim 1),
 * Dimension (dim_value 1, dim_param 2). Other fields are skipped. Decoding errors carry the message path
 * (`graph.node[3].attribute[0]`) and byte offset.
 */
import { type Field, int64, packedFloats, packedVarints, readFields, text, WIRE, WireError } from "./wire.js";

/** A tensor: an initializer or a Constant's value. `raw` etc. hold the data when it is in the file. */
export interface OnnxTensor {
  readonly name: string;
  /** TensorProto.DataType (1 float, 6 int32, 7 int64, ...). */
  readonly dataType: number;
  readonly dims: readonly number[];
  readonly raw?: Uint8Array;
  readonly floatData?: readonly number[];
  readonly intData?: readonly number[];
  /** data_location = EXTERNAL: the values are in another file (their size still follows from dims). */
  readonly external?: boolean;
}

/** One attribute: the fields a node's attribute may carry (only one is meaningful, by `type`). */
export interface OnnxAttribute {
  readonly name: string;
  readonly type: number;
  readonly f?: number;
  readonly i?: number;
  readonly s?: string;
  readonly t?: OnnxTensor;
  readonly floats?: readonly number[];
  readonly ints?: readonly number[];
  readonly strings?: readonly string[];
}

/** One node of the graph. */
export interface OnnxNode {
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: readonly OnnxAttribute[];
}

/** A dimension: a size, a symbolic name (`batch`), or unknown. */
export type OnnxDim = number | string | undefined;

/** A graph input, output or value_info entry: element type and shape when the file gives them. */
export interface OnnxValueInfo {
  readonly name: string;
  readonly elemType?: number;
  readonly shape?: readonly OnnxDim[];
}

export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxTensor[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly valueInfo: readonly OnnxValueInfo[];
}

export interface OnnxModel {
  readonly irVersion: number;
  readonly opsets: readonly { readonly domain: string; readonly version: number }[];
  readonly producer?: string;
  readonly graph: OnnxGraph;
}

/** A file that is not a readable ONNX model: where (message path) and what. */
export class OnnxFormatError extends Error {
  override readonly name = "OnnxFormatError";
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path === "" ? "model" : path}: ${problem}`);
  }
}

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

/** A varint field (int32, int64, enum), or an error naming `path` for another wire type. */
function varint(field: Field, path: string): number {
  if (field.wire !== WIRE.varint) throw wrongWire(field, path, "a varint");
  return int64(field.varint);
}

/** A string field. */
function str(field: Field, path: string): string {
  bytesOf(field, path);
  return text(field);
}

/** A bytes field. */
function bytesOf(field: Field, path: string): Uint8Array {
  if (field.wire !== WIRE.bytes) throw wrongWire(field, path, "length-delimited");
  return field.bytes;
}

/** A repeated int64 field: packed or one varint. */
function intsOf(field: Field, path: string): number[] {
  if (field.wire === WIRE.varint) return [int64(field.varint)];
  return within(path, () => packedVarints({ ...field, bytes: bytesOf(field, path) }));
}

/** A float or repeated float field: one 32-bit value or packed. */
function floatsOf(field: Field, path: string): number[] {
  if (field.wire !== WIRE.fixed32 && field.wire !== WIRE.bytes)
    throw wrongWire(field, path, "32-bit or packed floats");
  return within(path, () => packedFloats(field));
}

function wrongWire(field: Field, path: string, expected: string): OnnxFormatError {
  return new OnnxFormatError(
    path,
    `has wire type ${field.wire} at byte ${field.offset}, expected ${expected}`,
  );
}

/** The fields of a nested message, errors located at `path`. */
function sub(field: Field, path: string): Field[] {
  if (field.wire !== 2) throw new OnnxFormatError(path, `is not a message (wire type ${field.wire})`);
  return within(path, () => readFields(field.bytes, field.offset));
}

function within<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof WireError) throw new OnnxFormatError(path, error.message);
    throw error;
  }
}
