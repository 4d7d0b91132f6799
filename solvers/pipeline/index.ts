/** The pipeline family: pipeline-dp, pipeline-ilp, the balancing baselines, their registry and solvePipeline. */
export { balanceMemory, balanceTime, uniform } from "./baselines.js";
export { pipelineIlp } from "./ilp.js";
export { pipelineDp } from "./pipeline-dp.js";
export { findPipelineSolver, pipelineSolvers } from "./registry.js";
export {
  DEFAULT_PIPELINE_SLOTS,
  type SolvePipelineOptions,
  solvePipeline,
  solvePipelineAsync,
} from "./solve.js";
