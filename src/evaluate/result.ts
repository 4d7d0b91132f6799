/**
 * What the evaluator returns (DESIGN.md, "The evaluator"): a valid evaluation with its makespan, peak,
 * timeline and optional trace and profile, or the first bad instruction and why. Types and their two
 * small builders only; the rules are in `handlers.ts`, the run in `evaluate.ts`. O(1) per call.
 */
import type { Deadline } from "../time-limit.js";

/** Why a schedule is invalid: the first instruction that cannot run (index = length when it is incomplete). */
export interface ScheduleError {
  readonly index: number;
  /** The instruction's text form, or `end` for an incomplete schedule. */
  readonly instruction: string;
  readonly reason: string;
  /** The missing or offending tensor (`a:conv1`, `g:relu1`, `tape:block3`), when one is to blame. */
  readonly tensor?: string;
}

/** One step of the trace: when the instruction started and ended on its stream, and memory around it. */
export interface TraceStep {
  readonly instruction: string;
  /** Time the instruction started on the compute stream (for `O`/`P`: on its channel), ms. */
  readonly startMs: number;
  readonly endMs: number;
  /** Compute-stream time lost waiting for a transfer before this instruction, ms. */
  readonly stallMs: number;
  /** Bytes during the instruction (with temporaries and new allocations, before frees). */
  readonly duringBytes: number;
  /** Bytes after the instruction. */
  readonly afterBytes: number;
}

/** The evaluation of a valid schedule: its makespan, peak memory and memory timeline. */
export interface ValidEvaluation {
  readonly valid: true;
  /** Compute time plus stalls plus any transfer still running after the last instruction, ms. */
  readonly makespanMs: number;
  readonly computeMs: number;
  readonly stallMs: number;
  /** Max over the run of fixedBytes + resident tensors + the running op's temporaries. */
  readonly peakBytes: number;
  /** Bytes (fixedBytes included) after each instruction. */
  readonly timeline: readonly number[];
  /** Forward executions beyond the first, over all nodes. */
  readonly recomputations: number;
  readonly transfers: number;
  /** `C v MODE` instructions (conversions into a stored form). */
  readonly conversions: number;
  /** `X v` instructions (expansions of a stored form). */
  readonly expansions: number;
  /**
   * Whether some `X v` expanded a lossy stored form (fp16, bf16): then `a_v` carries its rounding and
   * the gradients are not those of plain backpropagation, so the schedule must never be called exact.
   */
  readonly lossy: boolean;
  /** Indices of the `X` instructions that expanded a lossy stored form, ascending. */
  readonly lossyExpansions: readonly number[];
  readonly trace?: readonly TraceStep[];
  readonly profile?: StepProfile;
}

/** The trace's numbers without its objects, one entry per instruction (for solvers that read many). */
export interface StepProfile {
  /** Bytes during each instruction (as `TraceStep.duringBytes`). */
  readonly duringBytes: Float64Array;
  /** Compute-stream time of each instruction, ms (0 for frees and transfers). */
  readonly computeMs: Float64Array;
}

/** The evaluation of an invalid schedule: the first instruction that cannot run. */
export interface InvalidEvaluation {
  readonly valid: false;
  readonly error: ScheduleError;
}

/** What `evaluate` returns: a union on `valid`. */
export type Evaluation = ValidEvaluation | InvalidEvaluation;

/** What `evaluate` returns besides the totals. */
export interface EvaluateOptions {
  /** Also return a per-instruction trace (costs one object per instruction). */
  readonly trace?: boolean;
  /** Also return the per-instruction `profile` (two typed arrays). */
  readonly profile?: boolean;
  /**
   * Checked every 65,536 instructions: an evaluation still running when it passes throws
   * `TimeLimitReached` (for solvers that evaluate long schedules under a time limit).
   */
  readonly deadline?: Deadline;
}

/** Builds one trace step (times in ms, sizes in bytes). */
export function traceStep(
  instruction: string,
  startMs: number,
  endMs: number,
  stallMs: number,
  duringBytes: number,
  afterBytes: number,
): TraceStep {
  return { instruction, startMs, endMs, stallMs, duringBytes, afterBytes };
}

/**
 * Builds the evaluation of an invalid schedule.
 *
 * @param index the instruction's index, or the schedule's length for an incomplete schedule
 * @param instruction its text form, or `end`
 * @param tensor the tensor to blame, when there is one
 */
export function invalidEvaluation(
  index: number,
  instruction: string,
  reason: string,
  tensor: string | undefined,
): InvalidEvaluation {
  const error: ScheduleError = {
    index,
    instruction,
    reason,
    ...(tensor === undefined ? {} : { tensor }),
  };
  return { valid: false, error };
}
