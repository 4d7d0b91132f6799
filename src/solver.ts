/**
 * The one Solver interface and the one result shape (DESIGN.md, "Solvers"; STYLE.md, "Shape of the
 * house"). Solvers are plain objects listed in `solvers/index.ts`; `src/` never imports them.
 */
import type { Instance } from "./instance/types.js";
import type { Schedule } from "./schedule/types.js";

/** What a solve returned: a proven optimum, a schedule without proof, no schedule within budget, or out of time. */
export type SolveStatus = "optimal" | "feasible" | "infeasible" | "timeout";

/** `time`: least makespan with peak <= budget; `memory`: least peak memory. */
export type Objective = "time" | "memory";

/** Options every solver receives, with defaults filled in by `solve`. */
export interface SolverOptions {
  /** Memory budget in bytes, fixedBytes included (`Infinity` for none). */
  readonly budgetBytes: number;
  readonly objective: Objective;
  /** Memory discretization for DP solvers (rotor's S; default 500). */
  readonly slots: number;
  /** Wall-clock limit in seconds (`Infinity` for none). */
  readonly timeLimitSec: number;
  /** For the `checkpoints` solver: ids of the nodes whose activations are kept. */
  readonly checkpoints?: readonly string[];
  /** Solver-specific switches, documented by each solver (e.g. `floating` for chain-dp). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/**
 * What a solver itself returns: its status, its schedule and the cost it claims for it. `solve` then
 * evaluates the schedule and checks the claim against the evaluator.
 */
export interface SolverAnswer {
  readonly status: SolveStatus;
  readonly schedule?: Schedule;
  /** The makespan the solver's own objective gives for `schedule`, ms. */
  readonly claimedMakespanMs?: number;
  /** The peak the solver's own objective gives for `schedule`, bytes. */
  readonly claimedPeakBytes?: number;
  /** A proven lower bound on the makespan of any schedule the solver's class allows within the budget, ms. */
  readonly lowerBoundMs?: number;
  /** A proven lower bound on the peak memory for the memory objective, bytes. */
  readonly lowerBoundBytes?: number;
  /** For `infeasible`: the least budget (bytes) at which this solver would find a schedule, when known. */
  readonly minFeasibleBudgetBytes?: number;
  /** A sentence saying why, for `infeasible` and `timeout`. */
  readonly reason?: string;
  /** The solver's own counters (DP states, cuts, LP iterations, ...). */
  readonly counters?: Readonly<Record<string, number>>;
  /** Further points, for `--pareto`: each a schedule with its cost. */
  readonly front?: readonly {
    readonly schedule: Schedule;
    readonly peakBytes: number;
    readonly makespanMs: number;
  }[];
}

/** A solver: a plain object with a name, a description of its claim, and `solve`. */
export interface Solver {
  readonly name: string;
  /** Family folder under `solvers/`. */
  readonly family: "baselines" | "chain" | "graph" | "offload";
  /** The problem class it accepts, e.g. `any DAG`, `chains`. */
  readonly problem: string;
  /** What its `optimal` means, or `feasible only`. */
  readonly guarantee: string;
  /** Paper or method it follows. */
  readonly reference: string;
  /** Objectives it supports; the first is its default. */
  readonly objectives: readonly Objective[];
  /** Returns why `instance` is outside the solver's class, or undefined when it accepts it. */
  readonly rejects?: (instance: Instance) => string | undefined;
  readonly solve: (instance: Instance, options: SolverOptions) => SolverAnswer | Promise<SolverAnswer>;
}

/** Statistics every result carries. */
export interface ResultStats {
  readonly wallMs: number;
  readonly [counter: string]: number;
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
  readonly lowerBoundMs: number | null;
  readonly lowerBoundBytes: number | null;
  readonly minFeasibleBudgetBytes: number | null;
  readonly reason: string | null;
  /** The schedule in text form (empty without one). */
  readonly schedule: readonly string[];
  readonly options: {
    readonly slots: number;
    readonly timeLimitSec: number | null;
    readonly checkpoints?: readonly string[];
  };
  readonly stats: ResultStats;
  readonly front?: readonly {
    readonly peakBytes: number;
    readonly makespanMs: number;
    readonly overhead: number;
  }[];
}
