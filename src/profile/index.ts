/** The profiler: measures a zoo network's ops on this machine and writes an instance with the measured times. */

export { type BatchProfileReport, profileBatches } from "./batches.js";
export {
  type ProfileOptions,
  type ProfileReport,
  profileModel,
  profileModelReport,
  profileText,
} from "./profile.js";
export type { InstructionOverhead, KindOverhead, StepKind } from "./step-times.js";
