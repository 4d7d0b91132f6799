/**
 * `simulateMicrobatched`: runs a microbatched step on real kernels (DESIGN.md, "Microbatching"; issue 15
 * item 3) and checks that the accumulated gradients are the full batch's. The full batch's data (seeded
 * as `simulate` seeds it, at batch b) is cut into k consecutive slices of b/k rows; the micro-batch
 * schedule runs once per slice on the network at batch b/k (same parameters: they are seeded by name,
 * not by batch); the k parameter gradients are summed in float32 in slice order and scaled by 1/k (the
 * losses are means over the batch, so the mean of the micro-batch gradients is the full batch's). The
 * reference is plain backpropagation (store-all) of the full batch on the network at batch b.
 *
 * Equal up to floating-point reassociation, not bitwise: each parameter gradient is a sum over the
 * batch, which the full run makes in one kernel and the accumulated run in k partial sums added
 * afterwards. Reordering a float32 sum of n terms changes it by at most about n u sum |terms|
 * (u = 2^-24; Higham, "Accuracy and Stability of Numerical Algorithms", 2002, section 4.2), far less in
 * practice; the default tolerance, {@link MICROBATCH_TOLERANCE} on the largest relative error (each
 * gradient's error over its own largest entry), is 2^-24 x 1024: room for sums of a thousand terms
 * in the worst order, while any real difference (a wrong slice, a missing 1/k, another batch's
 * statistics) is of order one.
 *
 * Batch normalization computes its statistics over the batch it sees: over b/k rows the normalized
 * activations, hence the gradients, are those of another function, not a reordering of the same sums.
 * A network with batch normalization is therefore never called equal: the result names its batchnorm
 * ops and reports the error measured, and `equal` is false. Lossy stored forms likewise.
 */
import { InputError } from "../errors.js";
import type { Instance, ModelSpec } from "../instance/types.js";
import { storeAllSchedule } from "../schedule/builders.js";
import type { Schedule } from "../schedule/types.js";
import type { ZooGraph } from "../zoo/types.js";
import {
  gradientDifference,
  largestEntry,
  normRelativeError,
  relativeGradientError,
} from "./gradient-error.js";
import { type RunRecord, runSchedule } from "./interpreter.js";
import { buildNetwork, disposeNetwork, type InputData, type Network } from "./network.js";
import { type Backend, loadTf } from "./tf.js";
import { requireModel, validateRun } from "./validate.js";
import { zooGraphOf } from "./zoo-graph.js";

/** Default tolerance on the largest relative gradient error: 2^-24 x 1024 (see the file comment). */
export const MICROBATCH_TOLERANCE = 2 ** -24 * 1024;

/** What `simulateMicrobatched` accepts. */
export interface MicrobatchSimulateOptions {
  /** Default `cpu`. */
  readonly backend?: Backend;
  /** Seed of the parameters and of the full batch's data (default 1). */
  readonly seed?: number;
  /** Largest relative gradient error accepted (default {@link MICROBATCH_TOLERANCE}). */
  readonly tolerance?: number;
}

/** The verdict on a microbatched step. */
export interface MicrobatchSimulation {
  readonly instance: string;
  readonly microInstance: string;
  readonly backend: Backend;
  readonly microbatches: number;
  readonly batch: number;
  /**
   * Whether the accumulated gradients equal the full batch's within `tolerance`, and the comparison is
   * one of the same function: false whenever `batchStatistics` is non-empty or the schedule is lossy.
   */
  readonly equal: boolean;
  /** The tolerance on `maxRelativeGradError`. */
  readonly tolerance: number;
  /** Per gradient tensor, max |g - g_ref| / max |g_ref|, the largest over the tensors. */
  readonly maxRelativeGradError: number;
  /** ||g - g_ref|| / ||g_ref|| over every entry. */
  readonly normRelativeError: number;
  readonly maxGradDiff: number;
  /** Largest |entry| of the full batch's gradients (0 would make the comparison vacuous). */
  readonly maxAbsGradient: number;
  /** The batchnorm ops, whose statistics over b/k rows differ from those over b (empty: none). */
  readonly batchStatistics: readonly string[];
  readonly lossy: boolean;
  /** The full batch's loss and the mean of the micro-batch losses. */
  readonly loss: number;
  readonly microLoss: number;
  /** Why `equal` is false, in words (null when it is true). */
  readonly reason: string | null;
}

const SITE = "simulateMicrobatched";

/**
 * Runs `schedule` (of one micro-batch, on `micro`, the instance at batch b/k) k times over the slices of
 * the full batch of `full`, and compares the accumulated gradients with plain backprop of `full`.
 * @throws InputError when either instance has no `model`, the schedule is invalid on `micro`, or the
 *   batches do not divide (code `structure`, path `model.config.batch`)
 */
export async function simulateMicrobatched(
  full: Instance,
  micro: Instance,
  schedule: Schedule,
  options: MicrobatchSimulateOptions = {},
): Promise<MicrobatchSimulation> {
  const fullModel = requireModel(full);
  const microModel = requireModel(micro);
  sameNetwork(fullModel, microModel, micro.name);
  const fullGraph = zooGraphOf(fullModel);
  const microGraph = zooGraphOf(microModel);
  const batch = batchOf(fullGraph);
  const k = microbatchCount(batch, batchOf(microGraph), micro.name);
  const evaluation = validateRun(micro, microGraph, schedule);
  const backend = options.backend ?? "cpu";
  const tf = await loadTf(backend, SITE);
  const seed = options.seed ?? 1;
  const fullNet = buildNetwork(tf, fullGraph, seed);
  const microNet = buildNetwork(tf, microGraph, seed);
  let reference: RunRecord;
  const sums = new Map<string, Float32Array>();
  let lossSum = 0;
  try {
    reference = runSchedule(tf, fullNet, full, storeAllSchedule(full));
    for (let slice = 0; slice < k; slice++) {
      const sliced: Network = { ...microNet, inputs: sliceInputs(fullNet.inputs, k, slice) };
      const run = runSchedule(tf, sliced, micro, schedule);
      lossSum += run.loss;
      accumulate(sums, run.paramGrads);
    }
  } finally {
    disposeNetwork(fullNet);
    disposeNetwork(microNet);
  }
  for (const sum of sums.values()) for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) / k;
  const tolerance = options.tolerance ?? MICROBATCH_TOLERANCE;
  const maxRelativeGradError = relativeGradientError(reference.paramGrads, sums);
  const batchStatistics = fullGraph.ops.filter((op) => op.type === "batchnorm").map((op) => op.id);
  const reason = verdict(maxRelativeGradError, tolerance, batchStatistics, evaluation.lossy);
  return {
    instance: full.name,
    microInstance: micro.name,
    backend,
    microbatches: k,
    batch,
    equal: reason === null,
    tolerance,
    maxRelativeGradError,
    normRelativeError: normRelativeError(reference.paramGrads, sums),
    maxGradDiff: gradientDifference(reference.paramGrads, sums),
    maxAbsGradient: largestEntry(reference.paramGrads),
    batchStatistics,
    lossy: evaluation.lossy,
    loss: reference.loss,
    microLoss: lossSum / k,
    reason,
  };
}

/** Why the step is not called equal to the full batch's, or null. */
function verdict(
  error: number,
  tolerance: number,
  batchnorms: readonly string[],
  lossy: boolean,
): string | null {
  if (batchnorms.length > 0)
    return `batch normalization (${batchnorms.length} ops, e.g. ${batchnorms[0]}) normalizes each micro-batch by its own statistics: another function, not a reordering`;
  if (lossy) return "the schedule expands a lossy stored form";
  if (!(error <= tolerance))
    return `largest relative gradient error ${error} exceeds the tolerance ${tolerance}`;
  return null;
}

/** Adds `grads` into `sums` in float32 (a new entry starts as a copy). */
function accumulate(sums: Map<string, Float32Array>, grads: ReadonlyMap<string, Float32Array>): void {
  for (const [key, grad] of grads) {
    const sum = sums.get(key);
    if (sum === undefined) sums.set(key, Float32Array.from(grad));
    else for (let i = 0; i < grad.length; i++) sum[i] = (sum[i] as number) + (grad[i] as number);
  }
}

/** Slice `slice` of k of every input: its rows [slice b/k, (slice + 1) b/k) of the leading axis. */
function sliceInputs(
  inputs: ReadonlyMap<string, InputData>,
  k: number,
  slice: number,
): Map<string, InputData> {
  const out = new Map<string, InputData>();
  for (const [id, data] of inputs) {
    const size = data.values.length / k;
    const values = data.values.slice(slice * size, (slice + 1) * size);
    out.set(id, data.dtype === "int32" ? { dtype: "int32", values } : { dtype: "float32", values });
  }
  return out;
}

/** Refuses a micro-batch instance of another network or config (anything but the batch differing). */
function sameNetwork(full: ModelSpec, micro: ModelSpec, name: string): void {
  const { batch: _full, ...fullRest } = full.config ?? {};
  const { batch: _micro, ...microRest } = micro.config ?? {};
  if (full.zoo === micro.zoo && JSON.stringify(fullRest) === JSON.stringify(microRest)) return;
  throw new InputError(
    SITE,
    [
      {
        code: "structure",
        path: "model",
        expected: `the network ${full.zoo} ${JSON.stringify(fullRest)} at a smaller batch`,
        received: `${micro.zoo} ${JSON.stringify(microRest)}`,
      },
    ],
    name,
  );
}

/** The batch of a zoo graph (its config's). */
function batchOf(graph: ZooGraph): number {
  const batch = graph.config.batch;
  if (typeof batch === "number") return batch;
  throw new InputError(SITE, [
    {
      code: "structure",
      path: "model.config.batch",
      expected: "a zoo network with a batch",
      received: "none",
    },
  ]);
}

/** k = b / (b/k), checked to be an integer. */
function microbatchCount(batch: number, microBatch: number, name: string): number {
  if (microBatch >= 1 && batch % microBatch === 0) return batch / microBatch;
  throw new InputError(
    SITE,
    [
      {
        code: "structure",
        path: "model.config.batch",
        expected: `a micro-batch that divides the full batch ${batch}`,
        received: String(microBatch),
      },
    ],
    name,
  );
}
