/**
 * The answers chain-dp gives besides its table's optimum: the certificate of the persistent DP, the
 * optimum without recomputation, and the `timeout` answer carrying the best plan known when the time
 * limit passed (src/time-limit.ts: the limit only turns an unfinished solve into `timeout`).
 */
import { SUM_OF_TIMES, sumOfTimesBound } from "../../src/evaluate/bounds.js";
import type { Instance } from "../../src/instance/types.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";
import type { Certificate, SolverAnswer } from "../../src/solver.js";
import type { TimeLimitReached } from "../../src/time-limit.js";
import type { ChainView } from "./chain-view.js";
import { FALLBACK_INSTRUCTIONS } from "./limits.js";
import { allChainPlan, type ChainPlan, planInstructionCount, planSchedule, planTimeMs } from "./plan.js";

/** The certificate of the persistent DP with sizes in units of `unitBytes` (fractional allowed). */
export function dpCertificate(unitBytes: number, budgetUnits: number | null): Certificate {
  return {
    kind: "dynamic-program",
    over: "persistent-chain",
    unitBytes,
    budgetUnits,
    method: "rotor's persistent dynamic program, Beaumont et al. 2019; proofs/chain-dp.md",
  };
}

/** Sum of every forward and backward: no schedule is faster (each runs at least once), ms. */
export function noRecomputeMs(view: ChainView): number {
  let total = view.inputMs;
  for (let l = 0; l < view.length; l++) total += (view.uf[l] as number) + (view.ub[l] as number);
  return total;
}

/**
 * The answer when a schedule without recomputation fits: optimal outright, its makespan being the
 * lower bound. Either the class's all-chain schedule or store-all (which also frees what `needs`
 * lets go early), whichever peaks lower.
 */
export function withoutRecomputation(
  instance: Instance,
  view: ChainView,
  useStoreAll: boolean,
): SolverAnswer {
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

/** A plan of the persistent class known to fit the budget, with its peak when known (bytes, fixedBytes included). */
export interface KnownPlan {
  readonly plan: ChainPlan;
  /** What it is, for the answer's reason, e.g. "the least-peak plan". */
  readonly what: string;
  readonly peakBytes?: number;
}

/**
 * The `timeout` answer: the sum-of-times bound, the phase, and the best plan known within the budget
 * when there is one whose schedule has at most FALLBACK_INSTRUCTIONS instructions (it is emitted after
 * the limit, so its length bounds the overrun).
 */
export function timeoutAnswer(
  instance: Instance,
  view: ChainView,
  known: KnownPlan | undefined,
  reached: TimeLimitReached,
  detail: string,
): SolverAnswer {
  const usable = known !== undefined && planInstructionCount(known.plan) <= FALLBACK_INSTRUCTIONS;
  const carried = usable
    ? `; it carries ${known.what}`
    : known === undefined
      ? "; no schedule within the budget was known yet"
      : `; ${known.what} was known but its schedule passes ${FALLBACK_INSTRUCTIONS} instructions`;
  return {
    status: "timeout",
    lowerBoundMs: sumOfTimesBound(instance),
    reason: `${reached.message} (${detail})${carried}`,
    ...(usable
      ? {
          schedule: planSchedule(view, known.plan),
          claimedMakespanMs: view.inputMs + planTimeMs(view, known.plan),
          ...(known.peakBytes === undefined ? {} : { claimedPeakBytes: known.peakBytes }),
        }
      : {}),
  };
}
