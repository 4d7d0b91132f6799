/**
 * The two reductions of proofs/pipeline-complexity.md as instance builders: 3-PARTITION to the
 * non-contiguous assignment variant (Theorem 2) and PARTITION to contiguous stages with per-layer
 * recomputation (Theorem 3). Each returns a problem of the layer model whose decision question
 * ("period <= T and memory <= M on every device") has the source instance's answer.
 */
import { inFlightCounts, type Layer, type LayerPipeline } from "./layer-model.js";

/** Where Theorem 2 puts an item's size: in the weights (any schedule) or in the activations (GPipe, `m` micro-batches). */
export type ItemPlacement =
  | { readonly in: "weights" }
  | { readonly in: "activations"; readonly microbatches: number };

/**
 * Theorem 2's instance: one layer per item (time 1, size `x_j`), `q = items.length / 3` devices, memory
 * `B` (weights) or `m B` (activations under GPipe, every device holding all `m` micro-batches), period 3.
 * @param items the 3-PARTITION items `x_1..x_{3q}`, positive integers with `B/4 < x_j < B/2`, `B = sum / q`.
 */
export function threePartitionPipeline(items: readonly number[], placement: ItemPlacement): LayerPipeline {
  const devices = items.length / 3;
  const bound = items.reduce((s, x) => s + x, 0) / devices;
  const m = placement.in === "activations" ? placement.microbatches : 1;
  const layers: Layer[] = items.map((x) => ({
    timeMs: 1,
    weightBytes: placement.in === "weights" ? x : 0,
    activationBytes: placement.in === "activations" ? x : 0,
    recomputeMs: 0,
  }));
  return {
    layers,
    devices,
    inFlight: inFlightCounts("gpipe", devices, m),
    memoryBytes: m * bound,
    periodMs: 3,
  };
}

/**
 * Theorem 3's instance: the chain `I_1..I_n, F_1..F_{P-1}`. Item `I_i` has time 0, activation and
 * recomputation `2 y_i`; filler `F_k` has time `T = Y` and weights `M = k_0 Y`; the target is period
 * `T`, memory `M`, where `Y = sum y_i` and `k_0` is stage 0's in-flight count.
 * @param sizes the PARTITION integers `y_1..y_n` (positive).
 */
export function partitionRecomputePipeline(
  sizes: readonly number[],
  devices: number,
  kind: "gpipe" | "1f1b",
  microbatches: number,
): LayerPipeline {
  const total = sizes.reduce((s, y) => s + y, 0);
  const inFlight = inFlightCounts(kind, devices, microbatches);
  const memoryBytes = (inFlight[0] as number) * total;
  const items: Layer[] = sizes.map((y) => ({
    timeMs: 0,
    weightBytes: 0,
    activationBytes: 2 * y,
    recomputeMs: 2 * y,
  }));
  const fillers: Layer[] = Array.from({ length: devices - 1 }, () => ({
    timeMs: total,
    weightBytes: memoryBytes,
    activationBytes: 0,
    recomputeMs: 0,
  }));
  return { layers: [...items, ...fillers], devices, inFlight, memoryBytes, periodMs: total };
}
