/**
 * The step arithmetic of microbatching (DESIGN.md, "Microbatching"): a training step of batch `b` run as
 * `k` micro-batches of `b/k` with gradient accumulation. The plan is `(k, one schedule of one micro-batch
 * on the instance at batch b/k)`; the single-device evaluator (evaluate.ts) prices that schedule, and
 * this module, the only place that knows the step rules, turns it into the step's figures:
 *
 * - makespan = `k x` the micro-batch makespan `+` the accumulation's cost;
 * - peak = the micro-batch peak `+` the accumulation buffer (0 or the parameter gradients' bytes).
 *
 * Accumulation (the two ways frameworks do it):
 * - `in-place` (default): each micro-batch's backward adds into the parameter gradients, which already
 *   count in `fixedBytes` (PyTorch's `.grad` accumulation; cuDNN/cuBLAS weight-gradient kernels with
 *   beta = 1). No buffer.
 * - `buffer`: the backward writes fresh gradients every micro-batch and a separate running sum is kept
 *   (frameworks whose gradient call returns new tensors: TensorFlow.js `variableGrads`, JAX `grad`; or an
 *   optimizer that must see the previous gradients while the next ones are made). One buffer of the
 *   gradients' bytes, resident for the whole step; so the step peak adds it.
 * Either way the cost is the same model: every micro-batch after the first adds its gradients into the
 * sum, one elementwise pass that reads two and writes one gradient-sized array, priced as memory-bound on
 * the device's memory bandwidth: `(k - 1) x 3 x G / bandwidth`, G the parameter gradients' bytes (a
 * roofline, as the zoo's op times are: src/zoo/roofline.ts). The `1/k` scale of a mean loss folds into the
 * learning rate (or into the last add) and costs nothing here. With `k = 1` the step is the schedule.
 *
 * O(1) per call.
 */
import { describeValue, InputError, type InputIssue } from "../errors.js";
import type { Instance } from "../instance/types.js";
import { V100 } from "../zoo/roofline.js";

/** How micro-batch gradients are summed: into the resident gradients, or into a separate buffer. */
export type Accumulation = "in-place" | "buffer";

/** The accumulation modes, for parsers and help texts. */
export const ACCUMULATIONS: readonly Accumulation[] = Object.freeze(["in-place", "buffer"]);

/**
 * Default device-memory bandwidth of the accumulation's adds, bytes/ms: the zoo's roofline device (V100,
 * 900 GB/s), so that zoo instances price the adds as they price their own memory-bound ops.
 */
export const DEFAULT_ACCUMULATION_BANDWIDTH = V100.bytesPerMs;

/** Bytes moved per gradient byte by one accumulating add: read the sum and the new gradient, write the sum. */
const BYTES_MOVED_PER_GRADIENT_BYTE = 3;

/** The step-level choices that are not the schedule. */
export interface StepOptions {
  /** Default `in-place`. */
  readonly accumulation?: Accumulation;
  /** Device-memory bandwidth of the adds, bytes/ms (default {@link DEFAULT_ACCUMULATION_BANDWIDTH}). */
  readonly bandwidth?: number;
}

/** What the evaluator says of one micro-batch's schedule (on the instance at batch b/k). */
export interface MicroEvaluation {
  readonly makespanMs: number;
  readonly peakBytes: number;
}

/** A step of `k` micro-batches, priced. */
export interface StepCost {
  /** The number of micro-batches. */
  readonly microbatches: number;
  readonly accumulation: Accumulation;
  /** The parameter gradients' bytes G (from the instance's `memory` block; 0 when k = 1 and unknown). */
  readonly gradientBytes: number;
  /** The bandwidth the adds were priced at, bytes/ms. */
  readonly bandwidth: number;
  /** `(k - 1) x 3 x G / bandwidth`, ms. */
  readonly accumulationMs: number;
  /** Bytes of the separate sum: G with `buffer` and k > 1, else 0. */
  readonly bufferBytes: number;
  /** `k x` the micro-batch makespan `+ accumulationMs`. */
  readonly makespanMs: number;
  /** The micro-batch peak `+ bufferBytes`. */
  readonly peakBytes: number;
  /** The micro-batch figures the step was made from. */
  readonly micro: MicroEvaluation;
}

/**
 * The accumulation's own figures for `k` micro-batches of `instance` (the instance at any batch: the
 * parameters do not depend on it).
 * @throws InputError (code `option`) for k not a positive integer, an unknown accumulation, a bandwidth
 *   that is not positive, or k > 1 on an instance without a `memory` block (its gradients' size unknown)
 */
export function accumulationCost(
  instance: Instance,
  k: number,
  options: StepOptions = {},
): Pick<
  StepCost,
  "microbatches" | "accumulation" | "gradientBytes" | "bandwidth" | "accumulationMs" | "bufferBytes"
> {
  const accumulation = options.accumulation ?? "in-place";
  const bandwidth = options.bandwidth ?? DEFAULT_ACCUMULATION_BANDWIDTH;
  const issues = stepIssues(instance, k, accumulation, bandwidth);
  if (issues.length > 0) throw new InputError("microbatch", issues, instance.name);
  const gradientBytes = instance.memory?.gradients ?? 0;
  const adds = k - 1;
  return {
    microbatches: k,
    accumulation,
    gradientBytes,
    bandwidth,
    accumulationMs: (adds * BYTES_MOVED_PER_GRADIENT_BYTE * gradientBytes) / bandwidth,
    bufferBytes: accumulation === "buffer" && k > 1 ? gradientBytes : 0,
  };
}

/**
 * The step of `k` micro-batches whose one schedule the evaluator priced as `micro`.
 * @param instance the instance at batch b/k (or at b: only its `memory` block is read)
 * @throws InputError as {@link accumulationCost}
 */
export function stepCost(
  instance: Instance,
  k: number,
  micro: MicroEvaluation,
  options: StepOptions = {},
): StepCost {
  const accumulation = accumulationCost(instance, k, options);
  return {
    ...accumulation,
    makespanMs: k * micro.makespanMs + accumulation.accumulationMs,
    peakBytes: micro.peakBytes + accumulation.bufferBytes,
    micro: { makespanMs: micro.makespanMs, peakBytes: micro.peakBytes },
  };
}

/**
 * The divisors of `batch`, ascending: the micro-batch counts a batch allows (k must divide b: a
 * remainder would make one micro-batch of another size, with its own instance and schedule).
 * O(sqrt(batch)).
 * @throws InputError (code `option`, path `batch`) for a batch that is not a positive safe integer
 */
export function divisorsOf(batch: number): number[] {
  if (!Number.isSafeInteger(batch) || batch < 1)
    throw new InputError("microbatch", [
      { code: "option", path: "batch", expected: "a positive integer", received: describeValue(batch) },
    ]);
  const low: number[] = [];
  const high: number[] = [];
  for (let d = 1; d * d <= batch; d++)
    if (batch % d === 0) {
      low.push(d);
      if (d * d !== batch) high.unshift(batch / d);
    }
  return [...low, ...high];
}

function stepIssues(instance: Instance, k: number, accumulation: unknown, bandwidth: number): InputIssue[] {
  const issues: InputIssue[] = [];
  if (!Number.isSafeInteger(k) || k < 1)
    issues.push({
      code: "option",
      path: "microbatches",
      expected: "a positive integer",
      received: describeValue(k),
    });
  if (!ACCUMULATIONS.includes(accumulation as Accumulation))
    issues.push({
      code: "option",
      path: "accumulation",
      expected: ACCUMULATIONS.join(" or "),
      received: describeValue(accumulation),
    });
  if (!(Number.isFinite(bandwidth) && bandwidth > 0))
    issues.push({
      code: "option",
      path: "bandwidth",
      expected: "a positive number of bytes/ms",
      received: describeValue(bandwidth),
    });
  if (k > 1 && instance.memory === undefined)
    issues.push({
      code: "option",
      path: "microbatches",
      expected:
        "1 for an instance without a `memory` block (the accumulation is priced from the parameter gradients' bytes, which it does not give)",
      received: describeValue(k),
    });
  return issues;
}
