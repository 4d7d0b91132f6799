/**
 * What an answer's optimality and bounds are claimed over (DESIGN.md, "Solvers"): the objectives, the
 * classes of schedules an optimum or a bound is taken over (with their words), the certificate an
 * `optimal` answer carries and the shape of a proven lower bound.
 */

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
