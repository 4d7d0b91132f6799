/**
 * ONNX in and out: {@link importOnnx} reads an ONNX model file as an op-level instance,
 * {@link zooToOnnx} and {@link encodeModel} write a zoo network as an ONNX file, {@link onnxNetwork} gives
 * the simulator an imported model's network and its file's weights.
 */

export { decodeModel } from "./decode.js";
export { A100, DEVICES, H100 } from "./devices.js";
export { ATTRIBUTE_TYPE, encodeModel } from "./encode.js";
export { type ImportOptions, type ImportResult, importOnnx } from "./import.js";
export {
  type OnnxAttribute,
  OnnxFormatError,
  type OnnxGraph,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo,
} from "./model.js";
export { type KernelMapping, kernelMapping, type ParamBinding } from "./runnable.js";
export { type OnnxNetwork, onnxNetwork, onnxWeights } from "./weights.js";
export { type WriteOptions, zooToOnnx } from "./write.js";
