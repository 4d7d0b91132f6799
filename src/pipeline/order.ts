/**
 * The order in which each device runs its micro-batches' parts, per schedule kind, and the in-flight
 * counts those orders imply (DESIGN.md, "Pipelines"; proofs/pipeline-model.md, "Orders"). O(m) per device.
 */
import type { PipelineScheduleKind } from "./types.js";

/** One part of one micro-batch on a device. */
export interface Part {
  readonly kind: "forward" | "backward";
  readonly microbatch: number;
}

/**
 * The parts device `stage` of `stages` runs, in order, for `m` micro-batches:
 * - `gpipe`: F0, F1, ..., F(m-1), then B(m-1), ..., B0;
 * - `1f1b`: w = min(m, stages - stage - 1) warm-up forwards F0..F(w-1), then F(w+j), Bj for
 *   j = 0..m-w-1, then the remaining backwards B(m-w)..B(m-1).
 */
export function deviceOrder(kind: PipelineScheduleKind, stage: number, stages: number, m: number): Part[] {
  const parts: Part[] = [];
  const forward = (microbatch: number) => parts.push({ kind: "forward", microbatch });
  const backward = (microbatch: number) => parts.push({ kind: "backward", microbatch });
  if (kind === "gpipe") {
    for (let j = 0; j < m; j++) forward(j);
    for (let j = m - 1; j >= 0; j--) backward(j);
    return parts;
  }
  const warmup = Math.min(m, stages - stage - 1);
  for (let j = 0; j < warmup; j++) forward(j);
  for (let j = 0; j < m - warmup; j++) {
    forward(warmup + j);
    backward(j);
  }
  for (let j = m - warmup; j < m; j++) backward(j);
  return parts;
}

/**
 * The in-flight count of the research formulas: `m` for GPipe, `min(m, stages - stage)` for 1F1B
 * (stage counted from 0). The pipeline evaluator counts its own from the orders; tests check they agree.
 */
export function inFlightCount(kind: PipelineScheduleKind, stage: number, stages: number, m: number): number {
  return kind === "gpipe" ? m : Math.min(m, stages - stage);
}
