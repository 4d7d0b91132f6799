/**
 * What one stage's schedule costs per micro-batch, measured by the single-device evaluator on the
 * stage's sub-instance (proofs/pipeline-model.md, "Parts"): the forward part is every instruction
 * before the first `B` or the first recomputation (an `F` of a node already forwarded), whichever
 * comes first, and must forward every node once; the backward part is the rest. O(|schedule|).
 */
import { evaluate } from "../evaluate/evaluate.js";
import type { Instance } from "../instance/types.js";
import type { Schedule } from "../schedule/types.js";
import type { StageProfile } from "./types.js";

/** A stage profile, or why its schedule is not a valid schedule of its sub-instance. */
export type StageProfileResult =
  | { readonly valid: true; readonly profile: StageProfile }
  | { readonly valid: false; readonly reason: string };

/**
 * Profiles `schedule` on the stage sub-instance `stage` (from `stageInstance`): part times, the bytes
 * kept between the parts (state excluded), and each part's highest bytes above the state.
 */
export function profileStage(stage: Instance, schedule: Schedule): StageProfileResult {
  const evaluation = evaluate(stage, schedule, { trace: true });
  if (!evaluation.valid) {
    const { index, instruction, reason } = evaluation.error;
    return { valid: false, reason: `instruction ${index} (${instruction}): ${reason}` };
  }
  const trace = evaluation.trace ?? [];
  const split = splitIndex(schedule);
  const forwarded = new Set(schedule.slice(0, split).flatMap((op) => (op.op === "F" ? [op.node] : [])));
  const missing = stage.nodes.find((node) => !forwarded.has(node.id));
  if (missing !== undefined)
    return {
      valid: false,
      reason: `the forward part (before the first B or recomputation, instruction ${split}) does not forward ${missing.id}`,
    };
  const state = stage.fixedBytes;
  let forwardPeak = 0;
  let backwardPeak = 0;
  for (let i = 0; i < trace.length; i++) {
    const during = (trace[i]?.duringBytes ?? state) - state;
    if (i < split) forwardPeak = Math.max(forwardPeak, during);
    else backwardPeak = Math.max(backwardPeak, during);
  }
  const forwardMs = trace[split]?.startMs ?? evaluation.makespanMs;
  const kept = split > 0 ? (trace[split - 1]?.afterBytes ?? state) - state : 0;
  return {
    valid: true,
    profile: {
      forwardMs,
      backwardMs: evaluation.makespanMs - forwardMs,
      keptBytes: kept,
      forwardPeakBytes: forwardPeak,
      backwardPeakBytes: backwardPeak,
      stateBytes: state,
      recomputations: evaluation.recomputations,
    },
  };
}

/** Index of the first `B` or recomputed `F` of `schedule` (its length when there is none). */
export function splitIndex(schedule: Schedule): number {
  const seen = new Set<string>();
  for (let i = 0; i < schedule.length; i++) {
    const op = schedule[i] as Schedule[number];
    if (op.op === "B") return i;
    if (op.op === "F") {
      if (seen.has(op.node)) return i;
      seen.add(op.node);
    }
  }
  return schedule.length;
}
