/** The pipeline family: pipeline-dp, the balancing baselines, their registry and solvePipeline. */
export { balanceMemory, balanceTime, uniform } from "./baselines.js";
export { pipelineDp } from "./pipeline-dp.js";
export { findPipelineSolver, pipelineSolvers } from "./registry.js";
export { DEFAULT_PIPELINE_SLOTS, type SolvePipelineOptions, solvePipeline } from "./solve.js";
