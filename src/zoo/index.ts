/**
 * The model zoo: architectures defined once as op graphs with shape inference (the contract is
 * src/zoo/types.ts), and the makers of op-level and block-level instances from them. An op-level
 * instance's network is rebuilt with `zooModel(instance.model.zoo).build(instance.model.config)`.
 */

export { GraphBuilder, INPUT_BLOCK } from "./builder.js";
export { readConfig, type ZooConfig } from "./config.js";
export {
  fixedBytesOf,
  formatDocument,
  type InstanceDocument,
  type NodeDocument,
  OPTIMIZER_STATE_FLOATS,
  type Optimizer,
  parameterCount,
  type ZooInstanceOptions,
} from "./document.js";
export { type GeneratedInstance, generateInstance, SHIPPED_SETTINGS, type ZooSetting } from "./generate.js";
export { toInstance, toInstanceDocument } from "./level.js";
export {
  attentionScoreBytes,
  isRecomputable,
  needsOf,
  type Temporaries,
  temporariesOf,
} from "./ops/backward.js";
export { ELEMENTWISE_FLOPS, type OpCost, opCost } from "./ops/cost.js";
export {
  BYTES_PER_ELEMENT,
  elementCount,
  inferShape,
  type Padding,
  paramSpecs,
  tensorBytes,
} from "./ops/shape.js";
export { type ZooModel, zooModel, zooModels } from "./registry.js";
export { type Device, PCIE3_X16, rooflineMs, roundMs, V100 } from "./roofline.js";
export { toBlockDocument } from "./to-chain.js";
export { toOpDocument } from "./to-instance.js";
export type { AttrValue, OpType, ParamSpec, ZooGraph, ZooOp } from "./types.js";
