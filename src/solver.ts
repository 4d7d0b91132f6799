/**
 * The one Solver interface and the one answer shape (DESIGN.md, "Solvers"; STYLE.md, "Shape of the
 * house"): a union on `status`, where an `optimal` answer carries the certificate of what it is optimal
 * over. Solvers are plain objects listed in `solvers/registry.ts`; `src/` never imports them.
 */
import type { Instance, StorageMode } from "./instance/types.js";
import type { Bound, Certificate, Objective, ScheduleClass } from "./optimality.js";
import type { OptionsTable } from "./options.js";
import type { Schedule } from "./schedule/types.js";

/** What a solve returned: a proven optimum, a schedule without proof, no schedule within budget, or out of time. */
export type SolveStatus = "optimal" | "feasible" | "infeasible" | "timeout";

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
