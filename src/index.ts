/**
 * remat's public API: load and validate instances, evaluate schedules under the one cost model, and
 * solve with any registered solver. Everything here runs in a browser or a worker and imports no Node
 * module (test/browser-bundle.test.ts bundles it for the browser); file reading is in `loadInstance`
 * only, through `process.getBuiltinModule` in Node. The simulator and profiler, which need TensorFlow.js,
 * are the separate entry `remat/simulate` (src/simulate/index.ts).
 */

import { solve as solveOne } from "../solvers/index.js";
import { fitBatches } from "./fit/fit.js";
import type { FitOptions, FitReport } from "./fit/types.js";

export {
  type MicrobatchOptions,
  solve,
  solveMicrobatched,
  solvers,
  solveWithBound,
} from "../solvers/index.js";
export {
  DEFAULT_PIPELINE_SLOTS,
  findPipelineSolver,
  pipelineSolvers,
  type SolvePipelineOptions,
  solvePipeline,
  solvePipelineAsync,
} from "../solvers/pipeline/index.js";
export {
  type BatchDocument,
  type FieldFit,
  fitBatchModel,
  summarizeBatchModel,
} from "./batch-model/fit.js";
export { type PredictInstanceOptions, predictDocument, predictInstance } from "./batch-model/predict.js";
export {
  fitLine,
  type LineKind,
  lineKind,
  type PredictOptions,
  predictOnLine,
} from "./batch-model/regression.js";
export { type Budget, budgetBytes, formatBytes, parseBudget } from "./budget.js";
export { InputError, type InputIssue, InternalError, type IssueCode } from "./errors.js";
export {
  type EvaluateOptions,
  type Evaluation,
  evaluate,
  type InvalidEvaluation,
  type ScheduleError,
  type StepProfile,
  type TraceStep,
  type ValidEvaluation,
} from "./evaluate/evaluate.js";
export {
  ACCUMULATIONS,
  type Accumulation,
  accumulationCost,
  DEFAULT_ACCUMULATION_BANDWIDTH,
  divisorsOf,
  type MicroEvaluation,
  type StepCost,
  type StepOptions,
  stepCost,
} from "./evaluate/microbatch.js";
export { densityFor, elementsOf, storedBytes } from "./evaluate/storage.js";
export {
  PLAN_FORMAT,
  type PlanDecision,
  type PlanDocument,
  type PlanNode,
  planOf,
} from "./export/plan.js";
export { fitBatches } from "./fit/fit.js";
export type {
  FitLevel,
  FitOptions,
  FitProbeDetail,
  FitReport,
  FitRow,
  FitSolve,
} from "./fit/types.js";
export { DEFAULT_COSTS, randomChain, randomLayeredDag, randomSeriesParallel } from "./generate/families.js";
export { type PartitionGadget, partitionGadget } from "./generate/partition-gadget.js";
export { isSeriesParallel } from "./graph/series-parallel.js";
export {
  applyHardware,
  findPreset,
  HARDWARE_PRESETS,
  type HardwareChoice,
  type HardwarePreset,
  type LinkRecord,
  NO_LINK,
  parseBandwidth,
  parseLatency,
  withHardware,
} from "./hardware/index.js";
export { graphOf, type InstanceGraph } from "./instance/graph.js";
export { loadInstance } from "./instance/load.js";
export { parseInstance } from "./instance/parse.js";
export {
  BATCH_FIELDS,
  type BatchField,
  type BatchLine,
  type BatchModel,
  type Hardware,
  type Instance,
  type InstanceNode,
  LOSSY_MODES,
  type MemoryParts,
  type ModelSpec,
  type NeedsWord,
  type OnnxModelSource,
  type OnnxModelSpec,
  STORAGE_MODES,
  type StorageCosts,
  type StorageMode,
  type ZooModelSpec,
} from "./instance/types.js";
export {
  type BreakdownOptions,
  type MemoryBreakdown,
  memoryBreakdown,
  type PeakParts,
  type Precision,
} from "./memory/breakdown.js";
export {
  type MicrobatchCandidate,
  type MicrobatchResult,
  type MicrobatchSettings,
  type PlanSolve,
  planMicrobatches,
} from "./microbatch/plan.js";
export {
  decodeModel,
  encodeModel,
  type ImportOptions,
  type ImportResult,
  importOnnx,
  type KernelMapping,
  type OnnxModel,
  type OnnxNetwork,
  onnxNetwork,
  zooToOnnx,
} from "./onnx/index.js";
export type { Objective } from "./optimality.js";
export {
  evaluatePipeline,
  inFlightCount,
  type PipelineBound,
  type PipelineEvaluation,
  type PipelineLink,
  type PipelinePlan,
  type PipelineProblem,
  type PipelineProblemOptions,
  type PipelineResult,
  type PipelineScheduleKind,
  type PipelineSolver,
  type PipelineSolverAnswer,
  type PipelineSolverOptions,
  type PipelineStatus,
  pipelineProblem,
  type StagePlan,
  type StageProfile,
  stageInstance,
  stagePeakBytes,
  stateBytesOf,
  stepLowerBound,
  timelineSvg,
  type ValidPipelineEvaluation,
} from "./pipeline/index.js";
export { checkpointSchedule } from "./schedule/checkpoint-schedule.js";
export { parseScheduleDocument } from "./schedule/file.js";
export { storeAcrossTurn } from "./schedule/stored-forms.js";
export { formatInstruction, formatSchedule, parseSchedule } from "./schedule/text.js";
export { type Instruction, ops, type Schedule } from "./schedule/types.js";
export type { SolveResult } from "./solve-result.js";
export type { Solver, SolverAnswer, SolverOptions, SolveStatus } from "./solver.js";
export { type ZooOrigin, type ZooRegeneration, zooOriginOf, zooRegeneration } from "./zoo/at-batch.js";
export { generateInstance, toBlockDocument, toOpDocument, zooModel, zooModels } from "./zoo/index.js";

/**
 * The largest batch of a zoo network that each solver fits in `options.memoryBytes` (within the overhead
 * cap when given), with remat's own solvers: {@link fitBatches} bound to `solve` (src/fit/fit.ts).
 */
export function fit(options: FitOptions): Promise<FitReport> {
  return fitBatches(options, solveOne);
}
