/**
 * chain-dp: the optimal persistent dynamic program for heterogeneous chains (Beaumont, Eyraud-Dubois,
 * Herrmann, Joly, Shilova, "Optimal checkpointing for heterogeneous chains", 2019; ACM TOMS 2024),
 * on remat's cost model. Least makespan under a memory budget, over the persistent class of schedules,
 * with the activation budget A cut into `slots` units of A / S bytes (discretize.ts; never worse than
 * rotor's floor(A / S) at the same S); ties go to fewer recomputations, then to the lower peak.
 * `objective: "memory"` gives the least peak of the class instead, exactly in bytes (least-peak.ts).
 *
 * Options: `slots` (S), `budgetBytes`, `timeLimitSec`, `objective`, `storage` (stored forms a segment's
 * start may wait in: the stored class of stored-solve.ts, taken only when some start offers an allowed
 * form smaller than itself, so that without one every answer is as without storage modes); no switches (the floating,
 * weak-persistence variant of the TOMS paper is not implemented, so there is no switch for it).
 * Statuses: `optimal` (least makespan of the class at this discretization, or least peak; or a
 * schedule without recomputation, which meets the sum-of-times bound), `infeasible` (with the least
 * budget that works, or the interval known to hold it when the limit passed during its search),
 * `timeout` (the phase, the sum-of-times bound, and the fastest plan known within the budget: Revolve's
 * with the most snapshots that fit, found first; the least-peak plan of the slot edges once they are
 * computed; the table's plan once read back).
 *
 * Phases, each checking the time limit between units of work (src/time-limit.ts): fallback plan
 * (snapshots.ts, O(L log^3 L); every plan node), segment edges
 * (O(L^3); every 2^16 leaf moves or 256 segments), table size and index (O(L^2); every row or 1,024
 * entries), table allocation (every 2^16 entries), table fill (O(S L^3) worst case; every segment),
 * read-back and schedule (every plan node), and for `infeasible` the least-budget bisection (an O(L^3)
 * pass a probe, checked inside). A limit never changes an answer found within it; past it, the overrun
 * is one unit of work plus emitting the timeout's schedule (at most 200,000 instructions, limits.ts).
 *
 * Sizes are computed before allocating (limits.ts): 76 bytes per pair of stages (edges, their copy by
 * end, the table's index tables) plus 12 per table entry, capped at 4 GiB: chains up to 6,688 stages for
 * time (12,385 for memory), with the slot count refused past what fits (path `slots`, naming a count
 * that does; S = 500 surely fits up to L = 1,173). Largest chains measured per phase
 * (bench/results/chain-dp-limits.md, a loaded 2-core machine, S = 500 at 40%): the fallback plan takes
 * under 0.2 s at L = 2,000; the edges 0.8 s at L = 1,000 and 5.4 s at L = 2,000 (a 1 s limit stops in
 * them at L = 2,000); the table at L = 500 takes 1.2 s to allocate and 8.3 s to fill, at L = 1,000
 * (182 million entries, 2.1 GiB) 5.1 s to allocate and over 54 s to fill; L = 2,000 at
 * S = 500 is refused after its edges (at most 162 slots fit). Read-back and schedule take milliseconds.
 *
 * @see ../../proofs/chain-dp.md
 */

import { sumOfTimesBound } from "../../src/evaluate/bounds.js";
import { type Instance, STORAGE_MODES, type StorageMode } from "../../src/instance/types.js";
import { NO_SWITCHES } from "../../src/options.js";
import type { Solver, SolverAnswer, SolverOptions } from "../../src/solver.js";
import { Deadline, TimeLimitReached } from "../../src/time-limit.js";
import {
  dpCertificate,
  type KnownPlan,
  noRecomputePeak,
  timeoutAnswer,
  withoutRecomputation,
} from "./answers.js";
import { type ChainView, chainRejection, requireChainView } from "./chain-view.js";
import { discretize } from "./discretize.js";
import { edgePlan, segmentEdges } from "./feasibility.js";
import { leastPeak } from "./least-peak.js";
import { requireChainFits, requireScheduleFits, requireTableFits } from "./limits.js";
import { leastBudgetBytes } from "./min-budget.js";
import { planInstructionCount, planSchedule } from "./plan.js";
import { tablePlan, tableValue } from "./reconstruct.js";
import { SnapshotJudge } from "./snapshots.js";
import { chainStoredOptions, storedLeastPeak, storedLeastTime } from "./stored-solve.js";
import { fillTimeTable, tableSize } from "./table.js";

/**
 * Solves a chain instance with the persistent DP; callable directly (e.g. on a coarse block chain).
 * @param deadline the time limit (default: `options.timeLimitSec` from now); tests pass their own to
 *   stop at a chosen check
 * @throws InputError (code `structure`) when `instance` is not a chain; (code `option`) when its
 *   tables would pass the caps of limits.ts (path `slots` saying how many fit, or `nodes`), or its
 *   schedule MAX_SCHEDULE_INSTRUCTIONS (path `budget`)
 * @throws InternalError if the table and its read-back disagree (a bug)
 */
export function solveChainDp(
  instance: Instance,
  options: SolverOptions,
  deadline: Deadline = new Deadline(options.timeLimitSec),
): SolverAnswer {
  const view = requireChainView(instance, "chain-dp");
  const stored =
    (options.storage ?? []).length === 0
      ? undefined
      : chainStoredOptions(instance, view, options.storage as readonly StorageMode[]);
  if (stored !== undefined)
    return options.objective === "memory"
      ? storedLeastPeak(instance, view, options, stored, deadline)
      : storedLeastTime(instance, view, options, stored, deadline);
  return options.objective === "memory"
    ? leastPeak(instance, view, options, deadline)
    : leastTime(instance, view, options, deadline);
}

/** The time objective: least makespan of the persistent class at the budget, in slots. */
function leastTime(
  instance: Instance,
  view: ChainView,
  options: SolverOptions,
  deadline: Deadline,
): SolverAnswer {
  const L = view.length;
  const noRecompute = noRecomputePeak(instance, view);
  if (noRecompute.peakBytes <= options.budgetBytes)
    return withoutRecomputation(instance, view, noRecompute.storeAll);
  requireChainFits(L, "time", instance.name);
  const detail = `L = ${L}, S = ${options.slots}`;
  const slots = discretize(view, options.budgetBytes, instance.fixedBytes, options.slots);
  if (slots === undefined) return infeasible(view, instance, options, noRecompute.peakBytes, deadline);
  const known: KnownPlan[] = [];
  try {
    // a plan within the budget before the O(L^3) phases: Revolve's with the most snapshots that fit
    // (O(L log^3 L), small beside the edges), for a timeout to carry
    // (its sweeps recompute stages: only when every stage may be recomputed)
    const binomial = view.recomputable.every((flag) => flag === 1)
      ? new SnapshotJudge(instance, view, deadline, "fallback plan").most(options.budgetBytes)
      : undefined;
    if (binomial !== undefined && binomial.peakBytes <= options.budgetBytes)
      known.push({
        plan: binomial.plan,
        what: `Revolve's plan with ${binomial.c} snapshot(s)`,
        peakBytes: binomial.peakBytes,
      });
    const edges = segmentEdges(slots.sizes, view.recomputable, L, deadline);
    if (slots.topSlots < (edges.need[L - 1] as number))
      return infeasible(view, instance, options, noRecompute.peakBytes, deadline);
    known.push({ plan: edgePlan(edges, 0, L - 1), what: "the least-peak plan of the slot edges" });
    const size = tableSize(edges, slots.topSlots, deadline);
    requireTableFits(L, size.entries, size.coarseEntries, options.slots, instance.name);
    const table = fillTimeTable(view, slots, edges, deadline);
    const top = tableValue(table, 0, L - 1, slots.topSlots);
    const plan = tablePlan(table, 0, L - 1, slots.topSlots, deadline);
    known.push({ plan, what: "the table's optimal plan" });
    requireScheduleFits("chain-dp", planInstructionCount(plan), "budget", "a budget", instance.name);
    return {
      status: "optimal",
      schedule: planSchedule(view, plan, deadline),
      claimedMakespanMs: view.inputMs + (top?.timeMs as number),
      lowerBoundMs: sumOfTimesBound(instance),
      certificate: dpCertificate(slots.unit, slots.budgetSlots),
      counters: { ...table.counters, unitBytes: slots.unit },
    };
  } catch (error: unknown) {
    if (!(error instanceof TimeLimitReached)) throw error;
    return timeoutAnswer(instance, view, known, error, detail, "time");
  }
}

/** No persistent schedule fits: the answer with the least budget that would, or the interval reached in time. */
function infeasible(
  view: ChainView,
  instance: Instance,
  options: SolverOptions,
  noRecomputePeak: number,
  deadline: Deadline,
): SolverAnswer {
  const refused = `no persistent schedule fits ${options.budgetBytes} bytes with ${options.slots} slots`;
  const least = leastBudgetBytes(
    view,
    instance.fixedBytes,
    options.slots,
    options.budgetBytes,
    noRecomputePeak,
    deadline,
  );
  if (least.found)
    return {
      status: "infeasible",
      minFeasibleBudgetBytes: least.bytes,
      reason: `${refused}; ${least.bytes} bytes would`,
    };
  return {
    status: "infeasible",
    reason: `${refused}; the least budget that would lies in [${least.low}, ${least.high}] bytes (${least.reached.message}, before the search for it ended)`,
  };
}

/** The chain-dp solver (see {@link solveChainDp}). */
export const chainDp: Solver = {
  name: "chain-dp",
  family: "chain",
  problem: "chains (each node reads the one listed before it)",
  guarantee:
    "optimal over persistent schedules, the activation budget A cut into --slots units of A/S bytes (time; never worse than rotor at the same slots); least peak of that class, exact (memory); with --storage MODES, the same over the stored class (each segment start may wait for the part it does not read in a stored form)",
  reference: "Beaumont, Eyraud-Dubois, Herrmann, Joly, Shilova 2019 (rotor); ACM TOMS 2024",
  objectives: ["time", "memory"],
  emits: { time: "all", memory: "all" },
  switches: NO_SWITCHES,
  reads: ["slots"],
  storage: STORAGE_MODES,
  rejects: chainRejection,
  solve: solveChainDp,
};
