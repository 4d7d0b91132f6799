/** Hand-built ONNX models for the importer's tests. */
import { ATTRIBUTE_TYPE, encodeModel } from "../../src/onnx/encode.js";
import type { OnnxAttribute, OnnxDim, OnnxNode, OnnxTensor, OnnxValueInfo } from "../../src/onnx/model.js";

export const FLOAT = 1;
export const INT64 = 7;
export const FLOAT16 = 10;

/** A node `name` of `opType` reading `inputs`, writing `outputs` (default: one output named `name`). */
export function node(
  name: string,
  opType: string,
  inputs: string[],
  attributes: OnnxAttribute[] = [],
  outputs: string[] = [name],
): OnnxNode {
  return { name, opType, domain: "", inputs, outputs, attributes };
}

export const ints = (name: string, values: number[]): OnnxAttribute => ({
  name,
  type: ATTRIBUTE_TYPE.ints,
  ints: values,
});
export const int = (name: string, value: number): OnnxAttribute => ({
  name,
  type: ATTRIBUTE_TYPE.int,
  i: value,
});

/** A float initializer of `dims` (zeros). */
export function weight(name: string, dims: number[], dataType = FLOAT): OnnxTensor {
  return { name, dataType, dims };
}

/** An int64 initializer holding `values`. */
export function int64s(name: string, values: number[]): OnnxTensor {
  return { name, dataType: INT64, dims: [values.length], intData: values };
}

export function info(name: string, shape: OnnxDim[], elemType = FLOAT): OnnxValueInfo {
  return { name, elemType, shape };
}

/** The bytes of a model of `nodes` with one input and one output. */
export function model(parts: {
  nodes: OnnxNode[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  initializers?: OnnxTensor[];
  valueInfo?: OnnxValueInfo[];
}): Uint8Array {
  return encodeModel({
    irVersion: 9,
    opsets: [{ domain: "", version: 18 }],
    producer: "test",
    graph: {
      name: "test-model",
      nodes: parts.nodes,
      initializers: parts.initializers ?? [],
      inputs: parts.inputs,
      outputs: parts.outputs,
      valueInfo: parts.valueInfo ?? [],
    },
  });
}
