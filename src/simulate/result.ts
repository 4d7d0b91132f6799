/**
 * The simulator's verdict: a run of a schedule compared with plain backpropagation (gradients) and with
 * the evaluator (memory after each instruction, peak, makespan).
 */
import type { ValidEvaluation } from "../evaluate/evaluate.js";
import { storedBytes } from "../evaluate/storage.js";
import { graphOf } from "../instance/graph.js";
import type { Instance, StorageMode } from "../instance/types.js";
import type { Estimator } from "./estimator.js";
import {
  gradientDifference,
  largestEntry,
  normRelativeError,
  relativeGradientError,
} from "./gradient-error.js";
import type { ConversionRecord, RunRecord } from "./interpreter.js";
import type { Backend } from "./tf.js";

/** The first instruction after which measured and predicted bytes differ. */
export interface Divergence {
  readonly index: number;
  readonly instruction: string;
  /** The evaluator's bytes after the instruction (fixedBytes included). */
  readonly predictedBytes: number;
  /**
   * fixedBytes + the bytes tf.memory() counts after it, minus parameters and their gradients, + the
   * bytes of the stored forms held.
   */
  readonly measuredBytes: number;
}

/** One `C v MODE` of the run: what it stored, measured, against the evaluator's size of `s:v`. */
export interface StoredFormReport extends ConversionRecord {
  /** The evaluator's bytes of `s:v` (src/evaluate/storage.ts, from the instance's density). */
  readonly predictedBytes: number;
  /** Measured non-zero fraction of `a:v` (bitmap only; 1 for the 16-bit modes). */
  readonly density: number;
}

/** One op's time: the instance's cost against the measured wall time. */
export interface OpTime {
  readonly instruction: string;
  readonly predictedMs: number;
  readonly measuredMs: number;
}

/**
 * Why the simulator ran on its backend: `option` (asked for), `model.backend` (the backend the instance's
 * times were profiled on), `default` (`cpu`: the instance does not say).
 */
export type BackendFrom = "option" | "model.backend" | "default";

export interface SimulationResult {
  readonly instance: string;
  readonly backend: Backend;
  readonly backendFrom: BackendFrom;
  readonly instructions: number;
  /** The loss of the run (equal to the reference's when the forwards agree). */
  readonly loss: number;
  /** Whether every parameter gradient is within `gradientTolerance` of plain backpropagation's. */
  readonly gradientsMatch: boolean;
  /** Largest absolute difference over all parameter-gradient entries. */
  readonly maxGradDiff: number;
  /** Largest |entry| of plain backprop's parameter gradients (0 would make the gradient check vacuous). */
  readonly maxAbsGradient: number;
  /**
   * Whether the schedule expands a lossy stored form (fp16, bf16; the evaluator's `lossy`): its
   * gradients are then not plain backprop's, and the run is never reported as exact.
   */
  readonly lossy: boolean;
  /**
   * Largest relative gradient error: over the parameter gradients, max |g - g_ref| / max |g_ref| of each
   * (its error relative to its own largest entry; 0 for a gradient that is zero in both runs).
   */
  readonly maxRelativeGradError: number;
  /**
   * Relative gradient error in norm: ||g - g_ref|| / ||g_ref|| over every parameter-gradient entry
   * together (Euclidean norms; 0 when both are zero). Less sensitive than `maxRelativeGradError` to one
   * small, ill-conditioned gradient (a sum that nearly cancels).
   */
  readonly normRelativeGradError: number;
  /** The run's loss minus plain backprop's (non-zero only when a lossy form feeds a forward of the loss). */
  readonly lossDifference: number;
  /** Every `C` of the run: what it stored, measured, and the evaluator's size of it. */
  readonly storedForms: readonly StoredFormReport[];
  readonly gradientTolerance: number;
  /** What the gradients were compared with. */
  readonly gradientReference: string;
  /** Whether fixedBytes + the library's live bytes equal the evaluator's timeline after every instruction. */
  readonly memoryMatches: boolean;
  /** What the memory check compared, and why. */
  readonly memoryCompared: string;
  readonly firstDivergence: Divergence | null;
  /** Whether the interpreter's own registry agrees with the library's count after every instruction. */
  readonly registryMatchesLibrary: boolean;
  /** The evaluator's peak, the modelled temporaries of the running op included. */
  readonly predictedPeakBytes: number;
  /** The evaluator's peak without op temporaries: what the measured peak is compared with. */
  readonly predictedResidentPeakBytes: number;
  /** fixedBytes + the most bytes the library held while an instruction ran (its outputs made, nothing freed). */
  readonly measuredPeakBytes: number;
  /** fixedBytes + the most bytes in distinct buffers (views such as reshapes counted once). */
  readonly measuredPhysicalPeakBytes: number;
  readonly predictedMakespanMs: number;
  /**
   * Wall time of the schedule's instructions, run one after another (transfers included, not overlapped):
   * the sum over instructions of each one's estimate over the timed runs (`estimator`), ms.
   */
  readonly measuredMakespanMs: number;
  /** How each instruction's time was taken from the timed runs (src/simulate/estimator.ts). */
  readonly estimator: Estimator;
  /** measured / predicted makespan - 1. */
  readonly makespanError: number;
  /** How many times the schedule was run and timed (the first run is the one checked). */
  readonly timedRuns: number;
  /** Each timed run's summed instruction times, ms, to show the spread. */
  readonly runMakespansMs: readonly number[];
  /** Per forward and backward instruction, its estimate over the timed runs. */
  readonly ops: readonly OpTime[];
}

export interface RunComparison {
  readonly instance: Instance;
  readonly backend: Backend;
  readonly backendFrom: BackendFrom;
  readonly evaluation: ValidEvaluation;
  readonly reference: RunRecord;
  readonly run: RunRecord;
  readonly estimator: Estimator;
  /** Each instruction's wall time: its estimate over the timed runs, ms. */
  readonly stepMs: readonly number[];
  readonly timedRuns: number;
  readonly runMakespansMs: readonly number[];
  readonly tolerance: number;
}

/** Compares a run with the reference run and with the evaluator. */
export function compareRuns({
  instance,
  backend,
  backendFrom,
  evaluation,
  reference,
  run,
  estimator,
  stepMs,
  timedRuns,
  runMakespansMs,
  tolerance,
}: RunComparison): SimulationResult {
  const g = graphOf(instance);
  const fixed = instance.fixedBytes;
  const maxGradDiff = gradientDifference(reference.paramGrads, run.paramGrads);
  let firstDivergence: Divergence | null = null;
  let registryMatchesLibrary = true;
  run.steps.forEach((step, index) => {
    if (step.registryBytes !== step.libraryBytes) registryMatchesLibrary = false;
    const predictedBytes = evaluation.timeline[index] as number;
    const measuredBytes = fixed + step.libraryBytes + step.storedBytes;
    if (firstDivergence === null && predictedBytes !== measuredBytes)
      firstDivergence = { index, instruction: step.instruction, predictedBytes, measuredBytes };
  });
  const trace = evaluation.trace ?? [];
  let predictedResidentPeakBytes = fixed;
  trace.forEach((step, index) => {
    const [op, node] = step.instruction.split(" ");
    const v = g.indexOf.get(node ?? "");
    const temp =
      v === undefined ? 0 : op === "F" ? (g.fwdTemp[v] as number) : op === "B" ? (g.bwdTemp[v] as number) : 0;
    predictedResidentPeakBytes = Math.max(
      predictedResidentPeakBytes,
      step.duringBytes - temp,
      evaluation.timeline[index] as number,
    );
  });
  const measuredMakespanMs = stepMs.reduce((sum, ms) => sum + ms, 0);
  return {
    instance: instance.name,
    backend,
    backendFrom,
    instructions: run.steps.length,
    loss: run.loss,
    gradientsMatch: maxGradDiff <= tolerance && sameKeys(reference.paramGrads, run.paramGrads),
    maxGradDiff,
    maxAbsGradient: largestEntry(reference.paramGrads),
    lossy: evaluation.lossy,
    maxRelativeGradError: relativeGradientError(reference.paramGrads, run.paramGrads),
    normRelativeGradError: normRelativeError(reference.paramGrads, run.paramGrads),
    lossDifference: run.loss - reference.loss,
    storedForms: run.conversions.map((record) => storedFormReport(instance, record)),
    gradientTolerance: tolerance,
    gradientReference: evaluation.lossy
      ? "the store-all schedule (plain fp32 backpropagation) run op by op by the same interpreter; this schedule expands lossy (fp16/bf16) stored forms, so its gradients differ by their rounding (maxRelativeGradError)"
      : "the store-all schedule (plain backpropagation) run op by op by the same interpreter",
    memoryMatches: firstDivergence === null,
    memoryCompared:
      "fixedBytes + tf.memory().numBytes minus parameters and parameter gradients, + the byte lengths of the stored forms' typed arrays, after each instruction: the tensor library's own count (per tensor handle, as the evaluator counts one tensor per a:v and g:v)",
    firstDivergence,
    registryMatchesLibrary,
    predictedPeakBytes: evaluation.peakBytes,
    predictedResidentPeakBytes,
    measuredPeakBytes:
      fixed + Math.max(0, ...run.steps.map((step) => step.duringLibraryBytes + step.storedBytes)),
    measuredPhysicalPeakBytes:
      fixed + Math.max(0, ...run.steps.map((step) => step.physicalBytes + step.storedBytes)),
    predictedMakespanMs: evaluation.makespanMs,
    measuredMakespanMs,
    estimator,
    timedRuns,
    runMakespansMs,
    makespanError: evaluation.makespanMs > 0 ? measuredMakespanMs / evaluation.makespanMs - 1 : Number.NaN,
    ops: opTimes(instance, run, stepMs),
  };
}

/**
 * Per `F`, `B`, `C` and `X` of the run: its predicted time (`fwd`, `bwd`, the mode's `convertMs`, the
 * `expandMs` of the mode last converted into) against its measured estimate.
 */
function opTimes(instance: Instance, run: RunRecord, stepMs: readonly number[]): OpTime[] {
  const g = graphOf(instance);
  const ops: OpTime[] = [];
  const modeOf = new Map<string, StorageMode>();
  run.steps.forEach((step, index) => {
    const [op, node = "", word] = step.instruction.split(" ");
    const v = g.indexOf.get(node);
    if (v === undefined || op === undefined || !"FBCX".includes(op)) return;
    if (op === "C") modeOf.set(node, word as StorageMode);
    const storage = instance.nodes[v]?.storage[modeOf.get(node) ?? "bitmap"];
    const predicted: Record<string, number | undefined> = {
      F: g.fwd[v],
      B: g.bwd[v],
      C: storage?.convertMs,
      X: storage?.expandMs,
    };
    ops.push({
      instruction: step.instruction,
      predictedMs: predicted[op] ?? 0,
      measuredMs: stepMs[index] as number,
    });
  });
  return ops;
}

/** A conversion record with the evaluator's size of `s:v` and the measured density. */
function storedFormReport(instance: Instance, record: ConversionRecord): StoredFormReport {
  const node = instance.nodes.find((n) => n.id === record.node);
  return {
    ...record,
    predictedBytes: node === undefined ? Number.NaN : storedBytes(node, record.mode),
    density: record.elements === 0 ? 1 : record.nonzeros / record.elements,
  };
}

function sameKeys(a: ReadonlyMap<string, unknown>, b: ReadonlyMap<string, unknown>): boolean {
  return a.size === b.size && [...a.keys()].every((key) => b.has(key));
}
