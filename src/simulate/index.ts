/** The reference simulator: runs a schedule on real TensorFlow.js kernels and compares it with the evaluator. */

export type { Divergence, OpTime, SimulationResult } from "./result.js";
export { type SimulateOptions, simulate } from "./simulate.js";
export type { Backend } from "./tf.js";
