/** The pipeline model (DESIGN.md, "Pipelines"): problems, plans, the pipeline evaluator and its bounds. */
export { stepLowerBound } from "./bounds.js";
export { evaluatePipeline, stageStateBytes } from "./evaluate.js";
export { deviceOrder, inFlightCount, type Part } from "./order.js";
export {
  MAX_PIPELINE_PARTS,
  type PipelineProblemOptions,
  pipelineProblem,
  pipelineStructureRejection,
} from "./problem.js";
export { transferMs } from "./simulate.js";
export { STAGE_RECEIVE_ID, STAGE_SINK_ID, STAGE_SOURCE_ID, stageInstance } from "./stage-instance.js";
export { stagePeakBytes } from "./stage-memory.js";
export { profileStage, type StageProfileResult } from "./stage-profile.js";
export { type StageSchedules, stageSchedules } from "./stage-schedules.js";
export { stateBytesOf } from "./state-bytes.js";
export { timelineSvg } from "./timeline-svg.js";
export * from "./types.js";
export { type PipelineUnits, pipelineUnits, stageMembers } from "./units.js";
