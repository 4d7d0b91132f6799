/**
 * `remat/simulate`: the reference simulator, which runs a schedule on real TensorFlow.js kernels and
 * compares it with plain backpropagation and the evaluator, and the profiler, which measures a zoo
 * network's ops into an instance. Its own entry point because it needs TensorFlow.js
 * (`@tensorflow/tfjs`, and `@tensorflow/tfjs-backend-wasm` for the wasm backend), optional peer
 * dependencies that a planner importing only `remat` never installs; both are loaded on first use.
 */

export {
  type BatchProfileReport,
  type InstructionOverhead,
  type KindOverhead,
  type ProfileOptions,
  type ProfileReport,
  profileBatches,
  profileModel,
  profileModelReport,
  type StepKind,
} from "../profile/index.js";
export { type ActivationDensity, type DensityOptions, measureDensities } from "./densities.js";
export { DEFAULT_ESTIMATOR, ESTIMATORS, type Estimator } from "./estimator.js";
export {
  MICROBATCH_TOLERANCE,
  type MicrobatchSimulateOptions,
  type MicrobatchSimulation,
  simulateMicrobatched,
} from "./microbatch.js";
export type { BackendFrom, Divergence, OpTime, SimulationResult, StoredFormReport } from "./result.js";
export { type SimulateOptions, simulate } from "./simulate.js";
export { BACKENDS, type Backend, TF_INSTALL, TF_PACKAGES } from "./tf.js";
