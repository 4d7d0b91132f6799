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
