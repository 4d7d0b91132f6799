/**
 * The abstract layer model of proofs/pipeline-complexity.md ("The layer model"): a chain of layers, each
 * with a time per micro-batch, weight bytes (weights, gradients and optimizer state), activation bytes
 * kept per micro-batch in flight and a recomputation time; P identical devices; an in-flight count per
 * stage. It evaluates the three kinds of plan the proof talks about (contiguous stages, any assignment
 * of layers to devices, contiguous stages with a recomputed set), nothing else.
 */

/** One layer of the chain. Times in ms, sizes in bytes. */
export interface Layer {
  /** `t_l`: forward plus backward time of one micro-batch. */
  readonly timeMs: number;
  /** `w_l`: weights, gradients and optimizer state, held once per device. */
  readonly weightBytes: number;
  /** `a_l`: what the layer keeps per micro-batch between its forward and its backward. */
  readonly activationBytes: number;
  /** `r_l`: extra time per micro-batch when the layer is recomputed instead of kept. */
  readonly recomputeMs: number;
}

/** A pipeline problem of the layer model: the decision question is "period <= periodMs and memory <= memoryBytes". */
export interface LayerPipeline {
  readonly layers: readonly Layer[];
  /** P: number of devices, one stage each in the contiguous variants. */
  readonly devices: number;
  /** `k_s`: micro-batches in flight on stage (or device) `s`, s = 0..P-1. */
  readonly inFlight: readonly number[];
  /** M: memory of each device. */
  readonly memoryBytes: number;
  /** T: the period (largest device load) to meet. */
  readonly periodMs: number;
}

/** In-flight counts of the two schedule kinds (DESIGN.md "Pipelines"): GPipe `m`, 1F1B `min(m, P - s)`. */
export function inFlightCounts(kind: "gpipe" | "1f1b", devices: number, microbatches: number): number[] {
  return Array.from({ length: devices }, (_, s) =>
    kind === "gpipe" ? microbatches : Math.min(microbatches, devices - s),
  );
}

/** What one device carries: its load (ms per micro-batch) and its memory (bytes). */
export interface DeviceCost {
  readonly loadMs: number;
  readonly memoryBytes: number;
}

/**
 * Cost of the layers `members` on a device with `inFlight` micro-batches in flight, with `recomputed`
 * (a subset of `members`) recomputed: load = sum t_l + sum over recomputed r_l; memory = sum w_l +
 * inFlight * sum over kept a_l.
 */
export function deviceCost(
  problem: LayerPipeline,
  members: readonly number[],
  inFlight: number,
  recomputed: ReadonlySet<number> = new Set(),
): DeviceCost {
  let loadMs = 0;
  let weights = 0;
  let kept = 0;
  for (const l of members) {
    const layer = problem.layers[l] as Layer;
    loadMs += layer.timeMs + (recomputed.has(l) ? layer.recomputeMs : 0);
    weights += layer.weightBytes;
    if (!recomputed.has(l)) kept += layer.activationBytes;
  }
  return { loadMs, memoryBytes: weights + inFlight * kept };
}

/** Whether every device fits and the largest load meets the period. */
export function meetsTarget(problem: LayerPipeline, costs: readonly DeviceCost[]): boolean {
  return costs.every((c) => c.memoryBytes <= problem.memoryBytes && c.loadMs <= problem.periodMs);
}

/** The stages of contiguous cut points: `starts[s]` is stage s's first layer, `starts[0] = 0`, increasing. */
export function stagesOf(starts: readonly number[], layerCount: number): number[][] {
  return starts.map((start, s) => {
    const end = starts[s + 1] ?? layerCount;
    return Array.from({ length: end - start }, (_, i) => start + i);
  });
}
