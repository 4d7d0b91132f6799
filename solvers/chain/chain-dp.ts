/**
 * chain-dp: the optimal persistent dynamic program for heterogeneous chains (Beaumont, Eyraud-Dubois,
 * Herrmann, Joly, Shilova, "Optimal checkpointing for heterogeneous chains", 2019; ACM TOMS 2024),
 * on remat's cost model. Least makespan under a memory budget, over the persistent class of schedules,
 * with the activation budget cut into `slots` units of A / S bytes (discretize.ts; never worse than
 * rotor's floor(A / S) at the same S); ties go to fewer recomputations, then to the lower peak. `objective: "memory"` gives the least peak of the class instead, exactly in bytes.
 *
 * Options: `slots` (S), `budgetBytes`, `timeLimitSec`, `objective`; no switches (the floating,
 * weak-persistence variant of the TOMS paper is not implemented, so there is no switch for it).
 * Statuses: `optimal` (least makespan of the class at this discretization, or least peak), `infeasible`
 * (with the least budget that works), `timeout` (with the no-recomputation lower bound).
 *
 * @see ../../proofs/chain-dp.md
 */

import { InputError, InternalError } from "../../src/errors.js";
import { SUM_OF_TIMES, sumOfTimesBound } from "../../src/evaluate/bounds.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import type { Instance } from "../../src/instance/types.js";
import { NO_SWITCHES } from "../../src/options.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";
import type { Certificate, OptimalAnswer, Solver, SolverAnswer, SolverOptions } from "../../src/solver.js";
import { Deadline, TimeLimitReached } from "../../src/time-limit.js";
import { type ChainView, chainRejection, chainView } from "./chain-view.js";
import { byteSizes, discretize } from "./discretize.js";
import { allChainNeed, segmentEdges } from "./feasibility.js";
import { leastBudgetBytes } from "./min-budget.js";
import { allChainPlan, type ChainPlan, planSchedule, planTimeMs } from "./plan.js";
import { tablePlan, tableValue } from "./reconstruct.js";
import { fillTimeTable, type TimeTable } from "./table.js";

/** Sum of every forward and backward: no schedule is faster (each runs at least once), ms. */
function noRecomputeMs(view: ChainView): number {
  let total = view.inputMs;
  for (let l = 0; l < view.length; l++) total += (view.uf[l] as number) + (view.ub[l] as number);
  return total;
}

/** The certificate of the persistent DP with sizes in units of `unitBytes`. */
function dpCertificate(unitBytes: number, budgetUnits: number | null): Certificate {
  return {
    kind: "dynamic-program",
    over: "persistent-chain",
    unitBytes,
    budgetUnits,
    method: "rotor's persistent dynamic program, Beaumont et al. 2019; proofs/chain-dp.md",
  };
}

function answer(
  instance: Instance,
  view: ChainView,
  plan: ChainPlan,
  claimedMakespanMs: number,
  extra: Omit<Partial<OptimalAnswer>, "status"> & { readonly certificate: Certificate },
): SolverAnswer {
  return {
    status: "optimal",
    schedule: planSchedule(view, plan),
    claimedMakespanMs,
    lowerBoundMs: sumOfTimesBound(instance),
    ...extra,
  };
}

/**
 * The answer when a schedule without recomputation fits: optimal outright, its makespan being the
 * lower bound. Either the class's all-chain schedule or store-all (which also frees what `needs`
 * lets go early), whichever peaks lower.
 */
function withoutRecomputation(instance: Instance, view: ChainView, useStoreAll: boolean): SolverAnswer {
  const makespanMs = noRecomputeMs(view);
  return {
    status: "optimal",
    schedule: useStoreAll ? storeAllSchedule(instance) : planSchedule(view, allChainPlan(0, view.length - 1)),
    claimedMakespanMs: makespanMs,
    lowerBoundMs: sumOfTimesBound(instance),
    certificate: {
      kind: "meets-bound",
      over: "all",
      objective: "time",
      bound: SUM_OF_TIMES,
      value: makespanMs,
    },
    counters: { entries: 0, candidates: 0 },
  };
}

/** Least peak over the persistent class, exact in bytes (the min-max table, no time table). */
function leastPeak(instance: Instance, view: ChainView, options: SolverOptions): SolverAnswer {
  const L = view.length;
  const edges = segmentEdges(byteSizes(view), view.recomputable, L);
  const peak = instance.fixedBytes + (view.x[0] as number) + (edges.need[L - 1] as number);
  if (peak > options.budgetBytes)
    return {
      status: "infeasible",
      minFeasibleBudgetBytes: peak,
      reason: `the least peak of the persistent class is ${peak} bytes, above the budget of ${options.budgetBytes}`,
    };
  const build = (s: number, t: number): ChainPlan => {
    const j = edges.choice[s * L + t] as number;
    if (j < 0) return s === t ? { kind: "chain", s } : { kind: "chain", s, rest: build(s + 1, t) };
    return { kind: "leaf", s, j, right: build(j, t), left: build(s, j - 1) };
  };
  const plan = build(0, L - 1);
  return answer(instance, view, plan, view.inputMs + planTimeMs(view, plan), {
    claimedPeakBytes: peak,
    lowerBoundBytes: { value: peak, over: "persistent-chain", method: "least peak of the persistent class" },
    certificate: dpCertificate(1, null),
  });
}

/**
 * Solves a chain instance with the persistent DP; callable directly (e.g. on a coarse block chain).
 * @throws InputError (code `structure`) when `instance` is not a chain
 * @throws InternalError if the table and its read-back disagree (a bug)
 */
export function solveChainDp(instance: Instance, options: SolverOptions): SolverAnswer {
  const started = performance.now();
  const rejection = chainRejection(instance);
  if (rejection !== undefined)
    throw new InputError(
      "chain-dp",
      [{ code: "structure", path: "nodes", expected: "a chain", received: rejection }],
      instance.name,
    );
  const view = chainView(instance);
  if (options.objective === "memory") return leastPeak(instance, view, options);
  const L = view.length;
  const allChainPeak = instance.fixedBytes + (view.x[0] as number) + allChainNeed(byteSizes(view), L);
  const storeAll = evaluate(instance, storeAllSchedule(instance));
  if (!storeAll.valid) throw new InternalError(`store-all schedule invalid: ${storeAll.error.reason}`);
  const noRecomputePeak = Math.min(allChainPeak, storeAll.peakBytes);
  if (noRecomputePeak <= options.budgetBytes)
    return withoutRecomputation(instance, view, storeAll.peakBytes < allChainPeak);
  const infeasible = (): SolverAnswer => {
    const least = leastBudgetBytes(view, instance.fixedBytes, options.slots, noRecomputePeak);
    return {
      status: "infeasible",
      minFeasibleBudgetBytes: least,
      reason: `no persistent schedule fits ${options.budgetBytes} bytes with ${options.slots} slots; ${least} bytes would`,
    };
  };
  const slots = discretize(view, options.budgetBytes, instance.fixedBytes, options.slots);
  if (slots === undefined) return infeasible();
  const edges = segmentEdges(slots.sizes, view.recomputable, L);
  if (slots.topSlots < (edges.need[L - 1] as number)) return infeasible();
  let table: TimeTable;
  try {
    table = fillTimeTable(view, slots, edges, new Deadline(options.timeLimitSec, started));
  } catch (error: unknown) {
    if (!(error instanceof TimeLimitReached)) throw error;
    return {
      status: "timeout",
      lowerBoundMs: sumOfTimesBound(instance),
      reason: `the table was not filled within ${options.timeLimitSec} s (L = ${L}, S = ${options.slots})`,
    };
  }
  const top = tableValue(table, 0, L - 1, slots.topSlots);
  const plan = tablePlan(table, 0, L - 1, slots.topSlots);
  return answer(instance, view, plan, view.inputMs + (top?.timeMs as number), {
    certificate: dpCertificate(slots.unit, slots.budgetSlots),
    counters: { ...table.counters, unitBytes: slots.unit },
  });
}

/** The chain-dp solver (see {@link solveChainDp}). */
export const chainDp: Solver = {
  name: "chain-dp",
  family: "chain",
  problem: "chains (each node reads the one listed before it)",
  guarantee:
    "optimal over persistent schedules for the budget discretized into --slots units (time); least peak of that class, exact (memory)",
  reference: "Beaumont, Eyraud-Dubois, Herrmann, Joly, Shilova 2019 (rotor); ACM TOMS 2024",
  objectives: ["time", "memory"],
  emits: { time: "all", memory: "persistent-chain" },
  switches: NO_SWITCHES,
  reads: ["slots"],
  rejects: chainRejection,
  solve: solveChainDp,
};
