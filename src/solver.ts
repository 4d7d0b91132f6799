/**
 * The one Solver interface and the one answer shape (DESIGN.md, "Solvers"; STYLE.md, "Shape of the
 * house"): a union on `status`, where an `optimal` answer carries the certificate of what it is optimal
 * over. Solvers are plain objects listed in `solvers/registry.ts`; `src/` never imports them.
 */
import type { LinkRecord } from "./hardware/link.js";
import type { Instance, StorageMode } from "./instance/types.js";
import type { OptionsTable } from "./options.js";
import type { Schedule } from "./schedule/types.js";

/** What a solve returned: a proven optimum, a schedule without proof, no schedule within budget, or out of time. */
export type SolveStatus = "optimal" | "feasible" | "infeasible" | "timeout";

/** `time`: least makespan with peak <= budget; `memory`: least peak memory. */
export type Objective = "time" | "memory";

/**
 * A class of schedules an optimum or a bound is taken over:
 * - `all`: every valid schedule of the instance (the whole cost model);
 * - `checkpoint`: the checkpoint schedules of kept sets (src/schedule/builders.ts, `keepSchedule`: every
 *   segment between kept activations recomputed once; proofs/checkpoint-schedule.md);
 * - `persistent-chain`: rotor's persistent schedules of a chain (Beaumont et al. 2019, section 4;
 *   proofs/chain-dp.md), with each size rounded up to the discretization the certificate names;
 * - `stored-chain`: persistent chain schedules in which each move may hold its segment's start in a
 *   stored form (`C`/`X`, DESIGN.md "Storage modes") while it waits for the part it does not read (a
 *   chain move's sub-segment, a leaf's right part); it contains `persistent-chain` (proofs/chain-dp.md,
 *   "Stored forms").
 * - `offload`: schedules in store-all's operation order (every forward once in the listed order, then
 *   every backward in reverse; no recomputation) with any activations offloaded to host (`O`), freed
 *   (`D`) and prefetched (`P`) at any positions (Beaumont, Eyraud-Dubois, Shilova 2020);
 * - `offload-chain`: persistent chain schedules whose spine checkpoints (the inputs of the top-level
 *   moves) may each be copied to host from the start of their own move, one copy at a time, freed at
 *   the end of a move's forward, and brought back with the next move's backward part or just after it
 *   (proofs/pofo.md; after Beaumont, Eyraud-Dubois, Shilova 2021); it contains `persistent-chain`.

 * - `stage-grid`: Checkmate's frontier-advancing stage grid (Jain et al. 2020, section 4): store-all's
 *   order of first forwards and backwards, each stage recomputing any forwards (of nodes up to its own,
 *   each at most once, in listed order) before its op, frees anywhere, no transfers
 *   (proofs/milp.md; it holds the checkpoint class and rotor's persistent schedules).
 * - `grid-offload`: stage-grid schedules with eager frees in which an activation may also be copied to
 *   host right after its first forward and prefetched at the start of any later stage (milp-offload,
 *   proofs/milp.md, "The joint model"); with no link it is the stage grid.
 */
export type ScheduleClass =
  | "all"
  | "checkpoint"
  | "persistent-chain"
  | "stored-chain"
  | "offload"
  | "offload-chain"
  | "stage-grid"
  | "grid-offload";

/** Words for each class, for messages and the CLI. */
export const SCHEDULE_CLASS_WORDS: Readonly<Record<ScheduleClass, string>> = {
  all: "all schedules",
  checkpoint: "checkpoint schedules (each segment between kept activations recomputed once)",
  "persistent-chain": "persistent chain schedules (rotor's class)",
  "stored-chain":
    "persistent chain schedules in which each segment's start may wait for the part it does not read in a stored form (C, X)",
  offload:
    "offload schedules (store-all's operation order, activations offloaded and prefetched, no recomputation)",
  "offload-chain":
    "persistent chain schedules with offloaded spine checkpoints (pofo's class: one copy at a time during the forwards, each prefetch with the next move's backward part)",
  "stage-grid":
    "stage-grid schedules (Checkmate's frontier-advancing stages: store-all's order, each stage recomputing forwards at most once each, in order)",
  "grid-offload":
    "stage-grid schedules that may also copy an activation to host right after its first forward and prefetch it at the start of any later stage",
};

/**
 * Why an `optimal` answer is optimal, and over what: no schedule of the class `over` within the budget
 * does better (the answer itself may lie outside it, e.g. store-all beating every persistent schedule).
 * - `meets-bound`: the answer's cost equals a proven lower bound that holds over `over` (so nothing in
 *   the class does better); `solve` checks the equality against the evaluator.
 * - `dynamic-program`: an exact dynamic program over `over`, with sizes in units of `unitBytes` (exact
 *   in bytes when `unitBytes` is 1) and the activation budget cut into `budgetUnits` of them.
 * - `enumeration`: every one of `count` candidates (kept sets, ...) was evaluated.
 * - `decomposition`: an exact decomposition of the class into `parts` independently measured parts
 *   (e.g. spans between cut points, proofs/graph-mincut.md).
 * - `milp`: a MILP whose optimum is at most that of every schedule of `over` (a relaxation, or an exact
 *   model), solved by `backend` to the lower bound `bound` (ms), which the answer's evaluated makespan
 *   meets within the backend's tolerance (`solve` checks it within 1e-6 relative); `gap` is the
 *   backend's relative gap when it stopped (proofs/offload-milp.md).
 */
export type Certificate =
  | {
      readonly kind: "meets-bound";
      readonly over: ScheduleClass;
      readonly objective: Objective;
      /** The bound met, in words (e.g. "sum of forward and backward times"). */
      readonly bound: string;
      /** Its value: ms for the time objective, bytes for memory. */
      readonly value: number;
    }
  | {
      readonly kind: "dynamic-program";
      readonly over: ScheduleClass;
      readonly unitBytes: number;
      /** Units of `unitBytes` the activation budget was given as (null: the objective needs no budget). */
      readonly budgetUnits: number | null;
      readonly method: string;
    }
  | {
      readonly kind: "enumeration";
      readonly over: ScheduleClass;
      readonly count: number;
      /** What was enumerated, e.g. "kept sets". */
      readonly of: string;
    }
  | {
      readonly kind: "decomposition";
      readonly over: ScheduleClass;
      readonly parts: number;
      readonly method: string;
    }
  | {
      readonly kind: "milp";
      readonly over: ScheduleClass;
      /** The LP/MILP backend that proved the bound (`highs`, `glpk`). */
      readonly backend: string;
      /** The proven lower bound on the makespan, ms. */
      readonly bound: number;
      /** The backend's relative gap (0 for a proven optimum). */
      readonly gap: number;
      /** The model, in words, with its proof file. */
      readonly method: string;
    };

/**
 * A proven lower bound on the objective of every schedule of a class (within the budget, for time);
 * `solve` also checks it is at most the answer's own evaluated cost.
 */
export interface Bound {
  /** ms for a makespan bound, bytes for a peak bound. */
  readonly value: number;
  readonly over: ScheduleClass;
  /** How it is proven, in words, with the proof file (e.g. "min-cut separators, proofs/graph-mincut.md"). */
  readonly method: string;
}

/** Options every solver receives, with defaults filled in by `solve`. */
export interface SolverOptions {
  /** Memory budget in bytes, fixedBytes included (`Infinity` for none). */
  readonly budgetBytes: number;
  readonly objective: Objective;
  /** Memory discretization for DP solvers (rotor's S; default 500). */
  readonly slots: number;
  /** Wall-clock limit in seconds (`Infinity` for none): an unfinished search answers `timeout`. */
  readonly timeLimitSec: number;
  /** For solvers that read them: ids of the nodes whose activations are kept. */
  readonly checkpoints?: readonly string[];
  /** The solver's switches, checked against its `switches` table with every default filled in. */
  readonly extra: Readonly<Record<string, unknown>>;
  /**
   * The stored forms the solver may plan for kept activations (DESIGN.md, "Storage modes"), each among
   * the solver's own `storage` modes; absent or empty: none (plan as without storage modes).
   */
  readonly storage?: readonly StorageMode[];
}

/** A schedule with the costs the solver's own objective gives for it. */
interface Scheduled {
  readonly schedule: Schedule;
  /** The makespan the solver's own model gives for `schedule`, ms (finite). */
  readonly claimedMakespanMs: number;
  /** The peak the solver's own model gives for `schedule`, bytes; required for the memory objective. */
  readonly claimedPeakBytes?: number;
}

/** What every answer may carry. */
interface AnswerCommon {
  /** A proven lower bound on the makespan (over `lowerBoundMs.over`, within the budget). */
  readonly lowerBoundMs?: Bound;
  /** A proven lower bound on the peak memory (over `lowerBoundBytes.over`). */
  readonly lowerBoundBytes?: Bound;
  /** The solver's own counters (DP states, cuts, LP iterations, ...), finite numbers. */
  readonly counters?: Readonly<Record<string, number>>;
  /** Further points, for `extra.pareto`: each a schedule with the cost the solver claims for it. */
  readonly front?: readonly FrontPoint[];
}

/** One point of a (peak, makespan) front. */
export interface FrontPoint {
  readonly schedule: Schedule;
  readonly peakBytes: number;
  readonly makespanMs: number;
}

/** A proven optimum over the class its certificate names. */
export interface OptimalAnswer extends AnswerCommon, Scheduled {
  readonly status: "optimal";
  readonly certificate: Certificate;
}

/** A schedule within the budget, without proof of optimality. */
export interface FeasibleAnswer extends AnswerCommon, Scheduled {
  readonly status: "feasible";
}

/** No schedule found within the budget (proven when a bound above the budget is given). */
export interface InfeasibleAnswer extends AnswerCommon {
  readonly status: "infeasible";
  /** No schedule with this status. */
  readonly schedule?: never;
  readonly claimedMakespanMs?: never;
  readonly claimedPeakBytes?: never;
  /** The least budget (bytes) at which this solver would find a schedule, when known (above the budget). */
  readonly minFeasibleBudgetBytes?: number;
  readonly reason: string;
}

/** The time limit ended the search: the best schedule within the budget found so far, if any. */
export interface TimeoutAnswer extends AnswerCommon, Partial<Scheduled> {
  readonly status: "timeout";
  readonly reason: string;
}

/** What a solver itself returns; `solve` checks every number in it against the evaluator. */
export type SolverAnswer = OptimalAnswer | FeasibleAnswer | InfeasibleAnswer | TimeoutAnswer;

/** Common options a solver may read besides budget, objective, time limit and its own switches. */
export type CommonOption = "slots" | "checkpoints";

/** A solver: a plain object with a name, a description of its claim, its switches and `solve`. */
export interface Solver {
  readonly name: string;
  /** Family folder under `solvers/`. */
  readonly family: "baselines" | "chain" | "graph" | "offload" | "graph-offload" | "milp";
  /** The problem class it accepts, e.g. `any DAG`, `chains`. */
  readonly problem: string;
  /** What its `optimal` means, or `feasible only`. */
  readonly guarantee: string;
  /** Paper or method it follows. */
  readonly reference: string;
  /** Objectives it supports; the first is its default. */
  readonly objectives: readonly Objective[];
  /**
   * Per objective, a class holding every schedule it emits (absent: `all`): conformance tests check that
   * the class's optimum (found by enumeration on small instances) is never better than its answer.
   */
  readonly emits: Readonly<Partial<Record<Objective, ScheduleClass>>>;
  /** Its switches (`extra`): every tunable typed, documented and defaulted; unknown keys are refused. */
  readonly switches: OptionsTable;
  /** The common options it reads; giving it another one is an error. */
  readonly reads: readonly CommonOption[];
  /** The storage modes it can plan (absent: none); asking it for another mode is an error. */
  readonly storage?: readonly StorageMode[];
  /** Returns why `instance` is outside the solver's class, or undefined when it accepts it. */
  readonly rejects?: (instance: Instance) => string | undefined;
  readonly solve: (instance: Instance, options: SolverOptions) => SolverAnswer | Promise<SolverAnswer>;
}

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
