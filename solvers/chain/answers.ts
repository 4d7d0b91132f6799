/**
 * The answers chain-dp gives besides its table's optimum: the certificate of the persistent DP, the
 * optimum without recomputation, and the `timeout` answer carrying the best plan known when the time
 * limit passed (src/time-limit.ts: the limit only turns an unfinished solve into `timeout`).
 */
import { SUM_OF_TIMES, sumOfTimesBound } from "../../src/evaluate/bounds.js";
import type { Instance } from "../../src/instance/types.js";
import type { Certificate, Objective } from "../../src/optimality.js";
import { storeAllEvaluation, storeAllSchedule } from "../../src/schedule/builders.js";
import type { SolverAnswer } from "../../src/solver.js";
import type { TimeLimitReached } from "../../src/time-limit.js";
import type { ChainView } from "./chain-view.js";
import { byteSizes } from "./discretize.js";
import { allChainNeed } from "./feasibility.js";
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
 * The least peak without recomputation: the class's all-chain schedule or store-all (which also frees
 * what `needs` lets go early), whichever peaks lower, bytes; and whether store-all is that one.
 */
export function noRecomputePeak(
  instance: Instance,
  view: ChainView,
): { peakBytes: number; storeAll: boolean } {
  const allChainPeak =
    instance.fixedBytes + (view.x[0] as number) + allChainNeed(byteSizes(view), view.length);
  const storeAllPeak = storeAllEvaluation(instance).peakBytes;
  return { peakBytes: Math.min(allChainPeak, storeAllPeak), storeAll: storeAllPeak < allChainPeak };
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
 * The `timeout` answer: the sum-of-times bound, the phase, and the best of the plans known within the
 * budget whose schedule has at most FALLBACK_INSTRUCTIONS instructions (it is emitted after the limit,
 * so its length bounds the overrun), when there is one: the fastest for the time objective, the lowest
 * peak (each memory plan states it) for memory.
 */
export function timeoutAnswer(
  instance: Instance,
  view: ChainView,
  known: readonly KnownPlan[],
  reached: TimeLimitReached,
  detail: string,
  objective: Objective,
): SolverAnswer {
  let best: { readonly known: KnownPlan; readonly timeMs: number } | undefined;
  const score = (candidate: KnownPlan, timeMs: number) =>
    objective === "memory" ? (candidate.peakBytes ?? Number.POSITIVE_INFINITY) : timeMs;
  for (const candidate of known) {
    if (planInstructionCount(candidate.plan) > FALLBACK_INSTRUCTIONS) continue;
    const timeMs = view.inputMs + planTimeMs(view, candidate.plan);
    if (best === undefined || score(candidate, timeMs) < score(best.known, best.timeMs))
      best = { known: candidate, timeMs };
  }
  const carried =
    best !== undefined
      ? `; it carries ${best.known.what}`
      : known.length === 0
        ? "; no schedule within the budget was known yet"
        : `; the plans known have schedules of more than ${FALLBACK_INSTRUCTIONS} instructions`;
  return {
    status: "timeout",
    lowerBoundMs: sumOfTimesBound(instance),
    reason: `${reached.message} (${detail})${carried}`,
    ...(best === undefined
      ? {}
      : {
          schedule: planSchedule(view, best.known.plan),
          claimedMakespanMs: best.timeMs,
          ...(best.known.peakBytes === undefined ? {} : { claimedPeakBytes: best.known.peakBytes }),
        }),
  };
}
