/**
 * The pipeline model's types (DESIGN.md, "Pipelines"; proofs/pipeline-model.md): a problem (a chain on
 * P devices under a per-device memory, m micro-batches, a schedule kind, a device-to-device link), a plan
 * (a contiguous partition of the chain into stages, each with a single-device schedule of its own
 * sub-chain, src/pipeline/stage-instance.ts, or one such schedule per micro-batch), what the pipeline evaluator says of a plan, and the answer
 * shape and interface of pipeline solvers (solvers/pipeline/). Types only.
 */
import type { InputIssue } from "../errors.js";
import type { Instance } from "../instance/types.js";
import type { Schedule } from "../schedule/types.js";

/**
 * The order in which every device runs its micro-batches' forward and backward parts:
 * - `gpipe`: all forwards in micro-batch order, then all backwards in reverse order (Huang et al. 2019,
 *   "all-forward-all-backward"); every stage holds `m` micro-batches in flight;
 * - `1f1b`: PipeDream-Flush / DAPPLE (Narayanan et al. 2021; Fan et al. 2021): stage `s` of `S` runs
 *   `min(m, S - s - 1)` warm-up forwards, then alternates one forward and one backward, then drains;
 *   it holds `min(m, S - s)` micro-batches in flight.
 */
export type PipelineScheduleKind = "gpipe" | "1f1b";

/** Every schedule kind, in the order the CLI lists them. */
export const PIPELINE_SCHEDULE_KINDS: readonly PipelineScheduleKind[] = ["gpipe", "1f1b"];

/**
 * The link between neighbouring devices: a transfer of `b` bytes takes `latencyMs + b / bandwidth` ms;
 * each direction of each neighbour pair carries one transfer at a time, in issue order.
 */
export interface PipelineLink {
  /** Bytes per ms, each direction (`Infinity`: transfers cost their latency only). */
  readonly bandwidth: number;
  /** Ms per transfer. */
  readonly latencyMs: number;
}

/** A link whose transfers take no time (the default when none is given). */
export const FREE_LINK: PipelineLink = Object.freeze({ bandwidth: Number.POSITIVE_INFINITY, latencyMs: 0 });

/** A pipeline problem: everything a plan is judged against. */
export interface PipelineProblem {
  /** A chain instance (block level, or an op-level graph coarsened to one); node 0 is the data input. */
  readonly instance: Instance;
  /** Devices P (at most P stages; stage s runs on device s). */
  readonly devices: number;
  /** Memory of each device, bytes: every device's peak must be at most this. */
  readonly memoryBytes: number;
  /** Micro-batches m per training step (each one a run of the instance as given). */
  readonly microbatches: number;
  readonly schedule: PipelineScheduleKind;
  readonly link: PipelineLink;
  /**
   * Resident bytes of each node's parameters, their gradients and optimizer state (indexed as
   * `instance.nodes`), summing to `instance.fixedBytes`; a stage holds the sum over its nodes.
   * See `stateBytesOf` (src/pipeline/state-bytes.ts) for the default split.
   */
  readonly stateBytes: readonly number[];
}

/** One stage of a plan: the nodes `first..last` of the chain (inclusive), and its schedule. */
export interface StagePlan {
  /** Index (into `instance.nodes`) of the stage's first node: 1 for stage 0 (node 0, the input, comes with it). */
  readonly first: number;
  /** Index of its last node; the last stage ends at the loss. */
  readonly last: number;
  /**
   * A single-device schedule of one micro-batch on the stage's sub-instance (`stageInstance`):
   * the instructions before its first `B` are the stage's forward part, the rest its backward part.
   */
  readonly schedule: Schedule;
  /**
   * Optional: one schedule per micro-batch (length m), micro-batch j running `microbatchSchedules[j]`
   * (elf's per-(stage, micro-batch) recomputation choice); absent, every micro-batch runs `schedule`.
   * `schedule` must be a valid schedule of the stage either way.
   */
  readonly microbatchSchedules?: readonly Schedule[];
}

/** A pipeline plan: contiguous stages covering the chain, in order, at most `devices` of them. */
export interface PipelinePlan {
  readonly stages: readonly StagePlan[];
}

/** What one stage's schedule costs per micro-batch (measured by the single-device evaluator). */
export interface StageProfile {
  /** Time of the forward part (instructions before the first `B`), ms. */
  readonly forwardMs: number;
  /** Time of the backward part, ms. */
  readonly backwardMs: number;
  /** Bytes one micro-batch keeps between its forward part and its backward part (state excluded). */
  readonly keptBytes: number;
  /** Highest bytes above the state while the forward part runs (its transient peak included). */
  readonly forwardPeakBytes: number;
  /** Highest bytes above the state while the backward part runs. */
  readonly backwardPeakBytes: number;
  /** The stage's state (weights, gradients, optimizer state), bytes. */
  readonly stateBytes: number;
  /** Forward executions beyond the first in one micro-batch. */
  readonly recomputations: number;
}

/** One part run by a device in the pipeline evaluator's timeline. */
export interface TimelineSegment {
  readonly kind: "forward" | "backward";
  readonly microbatch: number;
  readonly startMs: number;
  readonly endMs: number;
  /** Micro-batches in flight on the device while it runs (forward part done or running, backward not done). */
  readonly inFlight: number;
  /** The device's highest memory while it runs, bytes. */
  readonly peakBytes: number;
}

/** What the pipeline evaluator says of one device. */
export interface DeviceReport {
  readonly device: number;
  readonly first: number;
  readonly last: number;
  /** How many nodes of the graph the stage holds (its units' nodes, sources included). */
  readonly nodeCount: number;
  /** Id of the stage's last node (the activation it sends, or the loss). */
  readonly lastNode: string;
  /** The profile of the stage's `schedule` (`profiles[0]`). */
  readonly profile: StageProfile;
  /** The profiles of the stage's distinct schedules: `schedule`'s, then each other one its micro-batches run. */
  readonly profiles: readonly StageProfile[];
  /** profileOf[j]: the index in `profiles` of the schedule micro-batch j ran (length m). */
  readonly profileOf: readonly number[];
  /** Largest number of micro-batches in flight at once. */
  readonly maxInFlight: number;
  /** Highest memory over the step, bytes (state, kept micro-batches, transient). */
  readonly peakBytes: number;
  /** Time the device computes, ms. */
  readonly busyMs: number;
  readonly timeline: readonly TimelineSegment[];
}

/** The evaluation of a valid plan. */
export interface ValidPipelineEvaluation {
  readonly valid: true;
  /** Time from the first forward to the end of the last backward, ms. */
  readonly stepMs: number;
  /** Micro-batches per second. */
  readonly throughput: number;
  /** The ideal step time: m times the sum of forward and backward times over P devices, ms. */
  readonly idealStepMs: number;
  /** Whether every device's peak is at most the problem's memory. */
  readonly fits: boolean;
  readonly devices: readonly DeviceReport[];
}

/** A plan the evaluator refuses, with every reason found (each with its path in the plan). */
export interface InvalidPipelineEvaluation {
  readonly valid: false;
  readonly issues: readonly InputIssue[];
}

/** What `evaluatePipeline` returns: a union on `valid`. */
export type PipelineEvaluation = ValidPipelineEvaluation | InvalidPipelineEvaluation;

/** A proven lower bound on the step time of every plan of the model (any partition, any stage schedules). */
export interface PipelineBound {
  readonly valueMs: number;
  /** How it is proven, in words, with the proof file. */
  readonly method: string;
}

/** What a pipeline solve returned (as single-device answers: a union on `status`). */
export type PipelineStatus = "optimal" | "feasible" | "infeasible" | "timeout";

/** What a pipeline solver itself returns; `solvePipeline` re-checks it with the pipeline evaluator. */
export interface PipelineSolverAnswer {
  readonly status: PipelineStatus;
  /** The plan (absent for `infeasible`, and for a `timeout` without one). */
  readonly plan?: PipelinePlan;
  /** The step time the solver claims for `plan`, ms (checked against the evaluator). */
  readonly claimedStepMs?: number;
  /** For `optimal`: over what the plan is optimal, in words, with the proof file. */
  readonly optimalOver?: string;
  /** A lower bound on the step time of every plan (checked to be at most the answer's step time). */
  readonly lowerBound: PipelineBound;
  /**
   * A lower bound on the step time of every plan of the class `optimalOver` names, proven by the solver
   * (a MILP's, pipeline-ilp): an `optimal` answer meets `lowerBound` or this one.
   */
  readonly classBound?: PipelineBound;
  /** For `infeasible` and `timeout`: why. */
  readonly reason?: string;
  /** The solver's own counters (stage options, DP entries, ...), finite numbers. */
  readonly counters?: Readonly<Record<string, number>>;
}

/** A pipeline solver: a plain object with a name, its claim, and `solve`. */
export interface PipelineSolver {
  readonly name: string;
  /** What its `optimal` means, or `feasible only`. */
  readonly guarantee: string;
  /** The paper or tool it follows. */
  readonly reference: string;
  /** True when `solve` returns a promise (an LP backend): call it through `solvePipelineAsync`. */
  readonly asynchronous?: boolean;
  readonly solve: (
    problem: PipelineProblem,
    options: PipelineSolverOptions,
  ) => PipelineSolverAnswer | Promise<PipelineSolverAnswer>;
}

/** Options every pipeline solver receives, defaults filled in. */
export interface PipelineSolverOptions {
  /** Memory discretization of the per-stage chain DP (rotor's S). */
  readonly slots: number;
  /** Whether stages may checkpoint (false: every stage stores all its activations). */
  readonly checkpointing: boolean;
  /** Wall-clock limit, seconds (`Infinity` for none). */
  readonly timeLimitSec: number;
  /** Solver-specific switches (pipeline-ilp: `lp`), checked by the solver that reads them. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** The result of `solvePipeline`: the answer, its evaluation, and what it was solved with. */
export interface PipelineResult {
  readonly format: "remat-pipeline-result/1";
  readonly status: PipelineStatus;
  readonly solver: string;
  readonly instance: string;
  readonly devices: number;
  readonly memoryBytes: number;
  readonly microbatches: number;
  readonly schedule: PipelineScheduleKind;
  readonly link: PipelineLink;
  readonly options: PipelineSolverOptions;
  readonly plan: PipelinePlan | null;
  readonly evaluation: ValidPipelineEvaluation | null;
  readonly lowerBound: PipelineBound;
  /** stepMs / lowerBound - 1 (null without a plan). */
  readonly gap: number | null;
  readonly optimalOver: string | null;
  readonly reason: string | null;
  readonly stats: Readonly<Record<string, number>>;
}
