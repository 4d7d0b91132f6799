/**
 * A stage's peak in closed form (proofs/pipeline-model.md, "Memory"): with `k` micro-batches in flight
 * (order.ts, `inFlightCount`), the device holds its state, `k - 1` other micro-batches' kept bytes, and
 * the running part's own peak; the highest in-flight count is reached both in a forward part and in a
 * backward part, so the peak is state + (k - 1) kept + max(forward peak, backward peak). The
 * simulation counts the same memory part by part; test/pipeline/evaluate.test.ts checks both agree.
 * Solvers use this to judge a stage without simulating. O(1).
 */
import type { StageProfile } from "./types.js";

/** The peak bytes of a stage with `inFlight` micro-batches in flight (>= 1). */
export function stagePeakBytes(profile: StageProfile, inFlight: number): number {
  return (
    profile.stateBytes +
    (inFlight - 1) * profile.keptBytes +
    Math.max(profile.forwardPeakBytes, profile.backwardPeakBytes)
  );
}
