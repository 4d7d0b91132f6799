/**
 * The shapes of a fit (src/fit/fit.ts): what to fit, the solver runner it is given, and the report it
 * answers with (one row per solver and level, with its probes).
 */
import type { Accumulation } from "../evaluate/microbatch.js";
import type { Instance } from "../instance/types.js";
import type { SolveResult } from "../solve-result.js";
import type { SolveStatus } from "../solver.js";
import type { ZooConfig } from "../zoo/config.js";
import type { Optimizer } from "../zoo/document.js";
import type { Probe } from "./search.js";
import type { FitStorage, FitStorageNote } from "./storage.js";

/** Runs one solver on one instance under a budget in bytes (the signature of remat's `solve`). */
export type FitSolve = (
  instance: Instance,
  options: {
    readonly solver: string;
    readonly budget: number;
    readonly timeLimitSec?: number;
    readonly storage?: readonly string[];
  },
) => Promise<SolveResult>;

/** The instance levels a fit may search: op-level DAGs, block-level chains. */
export type FitLevel = "op" | "block";

/** What to fit. */
export interface FitOptions {
  /** A zoo network (`remat zoo list`). */
  readonly model: string;
  /** Config keys other than the batch (input size, classes, ...); the rest take the model's defaults. */
  readonly config?: ZooConfig;
  /** The levels searched (default both): each solver runs on those it accepts. */
  readonly levels?: readonly FitLevel[];
  /** The optimizer whose state counts in fixedBytes (default sgd). */
  readonly optimizer?: Optimizer;
  /** The memory M, bytes, fixedBytes included. */
  readonly memoryBytes: number;
  readonly solvers: readonly string[];
  /** The largest overhead accepted (makespan / store-all makespan - 1), e.g. 0.5; default none. */
  readonly maxOverhead?: number;
  /** Per solve; an answer found before it counts. Default none (answers then do not depend on the clock). */
  readonly timeLimitSec?: number;
  /** The largest batch tried (default 65,536). */
  readonly maxBatch?: number;
  /**
   * Where the instance at each batch comes from (default: the zoo network regenerated at that batch).
   * `remat fit --batch-model` passes a profiled instance's prediction (src/batch-model/predict.ts).
   */
  readonly instanceAt?: (level: FitLevel, batch: number) => Instance;
  /**
   * Microbatching (src/fit/microbatch-probe.ts): k micro-batches per step (the batch then a multiple of
   * k), or `auto` (k chosen per batch among its divisors); default none.
   */
  readonly microbatches?: number | "auto";
  /** How micro-batch gradients are summed (default `in-place`; src/evaluate/microbatch.ts). */
  readonly accumulation?: Accumulation;
  /**
   * Storage modes the solvers may plan (`bitmap`, `bitmap,fp16`, ...; default none): the zoo instances
   * then carry the zoo's measured densities (src/fit/storage.ts); a solver that plans none of them is
   * not applicable.
   */
  readonly storage?: FitStorage;
}

/** One solve at one batch size. */
export interface FitProbeDetail {
  readonly status: SolveStatus;
  readonly peakBytes: number | null;
  readonly overhead: number | null;
  readonly solveMs: number;
  /** Why the probe failed: `infeasible`, `over the overhead cap`, or the solver's reason. */
  readonly why: string | null;
  /** With microbatching: the k of the step (null when none fits). */
  readonly microbatches?: number | null;
}

/** One solver at one level. */
export interface FitRow {
  readonly solver: string;
  readonly level: FitLevel;
  /** False when the solver does not accept the instance (then `reason` says why and batch is 0). */
  readonly applicable: boolean;
  readonly reason: string | null;
  /** The largest batch that fits (0 when batch 1 does not). */
  readonly batch: number;
  /** True when every batch probed up to maxBatch fit: the answer is at least `batch`. */
  readonly capped: boolean;
  /** The plan's figures at `batch` (null when batch is 0). */
  readonly peakBytes: number | null;
  readonly overhead: number | null;
  readonly solveMs: number | null;
  /** With microbatching: the k of the step at `batch` (null when none fits). */
  readonly microbatches?: number | null;
  /** The smallest batch probed that did not fit, and why. */
  readonly firstFailing: { readonly batch: number; readonly why: string } | null;
  readonly probes: readonly Probe<FitProbeDetail>[];
}

/** The answer of a fit. */
export interface FitReport {
  readonly model: string;
  /** The config at batch 1 (defaults filled in). */
  readonly config: Readonly<Record<string, unknown>>;
  readonly optimizer: Optimizer;
  readonly memoryBytes: number;
  readonly maxOverhead: number | null;
  /** fixedBytes of the network (the same at every batch). */
  readonly fixedBytes: number;
  readonly rows: readonly FitRow[];
  /** Per level searched: whether every size was nondecreasing in the batch across the probed instances. */
  readonly sizesMonotone: Readonly<Partial<Record<FitLevel, boolean>>>;
  /** How the search works, in one sentence. */
  readonly search: string;
  /** The microbatching searched (absent: none). */
  readonly microbatches?: number | "auto";
  /** The storage modes the solvers were asked for, and where the densities come from (absent: none). */
  readonly storage?: FitStorageNote;
}
