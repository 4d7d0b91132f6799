/**
 * The result of `solve` (DESIGN.md, "File formats"): the answer checked against the evaluator, with the
 * options it was solved with, its bounds and statistics, as the CLI prints it with `--json`.
 */
import type { LinkRecord } from "./hardware/link.js";
import type { StorageMode } from "./instance/types.js";
import type { Bound, Certificate, Objective, ScheduleClass } from "./optimality.js";
import type { SolveStatus } from "./solver.js";

/** Statistics every result carries. */
export interface ResultStats {
  readonly wallMs: number;
  readonly [counter: string]: number;
}

/** A bound as a result reports it: which objective, its value, over which class, how. */
export interface ReportedBound extends Bound {
  readonly objective: Objective;
}

/** The options a result was solved with, every default filled in: enough to solve it again. */
export interface ResultOptions {
  /** The budget as given (`50%`, `1.5GB`, bytes, `none`). */
  readonly budget: string;
  readonly objective: Objective;
  /** Present when the solver reads it. */
  readonly slots?: number;
  readonly timeLimitSec: number | null;
  readonly checkpoints?: readonly string[];
  /** The storage modes the solver was allowed to plan; present when any was given. */
  readonly storage?: readonly StorageMode[];
  /** The solver's switches, defaults filled in. */
  readonly extra: Readonly<Record<string, unknown>>;
  /** The host link the instance was solved under (its own block, a preset, or given figures); null for none. */
  readonly hardware: LinkRecord | null;
}

/**
 * The stage-grid LP bound behind an answer (`solveWithBound`, `remat solve --bound`;
 * solvers/milp/bound.ts, proofs/milp.md): `bound` with its value, class and the answer's gap when the
 * answer lies in that class; `infeasible` when no stage-grid schedule fits the budget; `timeout`;
 * `too-large` when the model exceeds the size it is built for.
 */
export interface GridBoundReport {
  readonly status: "bound" | "infeasible" | "timeout" | "too-large";
  /** The LP backend. */
  readonly backend: string;
  /** The sum of forward and backward times (a bound over all schedules), ms. */
  readonly sumOfTimesMs: number;
  /** For `bound`: the larger of the LP relaxation's optimum and the sum of times, ms. */
  readonly valueMs?: number;
  /** For `bound`: `stage-grid` when the LP's optimum is the larger, else `all`. */
  readonly over?: ScheduleClass;
  readonly method?: string;
  /** For `bound`: whether the answer's schedule lies in `over` (then the bound is at most its makespan, checked). */
  readonly coversAnswer?: boolean;
  /** For `bound`: the answer's makespan / the bound - 1, when it covers the answer (null otherwise). */
  readonly gap?: number | null;
  /** For `too-large`: the model's binaries. */
  readonly binaries?: number;
}

/** The result of `solve`, as the CLI prints it with `--json` (DESIGN.md, "File formats"). */
export interface SolveResult {
  readonly format: "remat-result/1";
  readonly status: SolveStatus;
  readonly solver: string;
  readonly instance: string;
  readonly objective: Objective;
  /** The budget used, bytes (null for none). */
  readonly budgetBytes: number | null;
  /** Evaluator's makespan of the schedule (null without a schedule), ms. */
  readonly makespanMs: number | null;
  /** Evaluator's peak of the schedule (null without a schedule), bytes. */
  readonly peakBytes: number | null;
  /** makespan / store-all makespan - 1 (null without a schedule). */
  readonly overhead: number | null;
  /** For `optimal`: what it is optimal over, in words (null otherwise). */
  readonly optimalOver: string | null;
  /** For `optimal`: the certificate (null otherwise). */
  readonly certificate: Certificate | null;
  readonly lowerBoundMs: number | null;
  readonly lowerBoundBytes: number | null;
  /** Every bound with its class and method. */
  readonly bounds: readonly ReportedBound[];
  readonly minFeasibleBudgetBytes: number | null;
  readonly reason: string | null;
  /** The schedule in text form (empty without one). */
  readonly schedule: readonly string[];
  readonly options: ResultOptions;
  readonly stats: ResultStats;
  readonly front?: readonly {
    readonly peakBytes: number;
    readonly makespanMs: number;
    readonly overhead: number;
  }[];
  /** With `solveWithBound` / `--bound`: the stage-grid LP bound and the answer's gap to it. */
  readonly gridBound?: GridBoundReport;
  /**
   * Present when storage modes were allowed or the schedule holds a stored form: the modes its `C`
   * instructions convert to, in the order of STORAGE_MODES (empty: none used).
   */
  readonly storedModes?: readonly StorageMode[];
  /**
   * Present with `storedModes`: whether the schedule expands a lossy stored form (fp16, bf16), so its
   * gradients differ from plain backprop's; such a result is never called exact (its `optimalOver`
   * says lossy).
   */
  readonly lossy?: boolean;
}
