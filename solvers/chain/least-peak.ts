/**
 * chain-dp's memory objective: the least peak over the persistent class, exact in bytes (the min-max
 * edges of feasibility.ts, no time table), or store-all when it peaks lower still (outside the class).
 * O(L^3) time, 28 bytes per pair of stages (limits.ts).
 *
 * @see ../../proofs/chain-dp.md, "Memory objective (claim 7)"
 */

import { sumOfTimesBound } from "../../src/evaluate/bounds.js";
import type { ValidEvaluation } from "../../src/evaluate/evaluate.js";
import type { Instance } from "../../src/instance/types.js";
import { storeAllEvaluation, storeAllSchedule } from "../../src/schedule/builders.js";
import type { SolverAnswer, SolverOptions } from "../../src/solver.js";
import { type Deadline, TimeLimitReached } from "../../src/time-limit.js";
import { dpCertificate, type KnownPlan, timeoutAnswer } from "./answers.js";
import type { ChainView } from "./chain-view.js";
import { byteSizes } from "./discretize.js";
import { allChainNeed, edgePlan, segmentEdges } from "./feasibility.js";
import { requireChainFits, requireScheduleFits } from "./limits.js";
import { allChainPlan, planInstructionCount, planSchedule, planTimeMs } from "./plan.js";

/**
 * The least peak of the persistent class and its plan.
 * @throws InputError when the chain is too long for the edges (limits.ts, path `nodes`) or the plan's
 *   schedule too long to emit (path `budget`)
 */
export function leastPeak(
  instance: Instance,
  view: ChainView,
  options: SolverOptions,
  deadline: Deadline,
): SolverAnswer {
  const L = view.length;
  requireChainFits(L, "memory", instance.name);
  const sizes = byteSizes(view);
  const allChainPeak = instance.fixedBytes + (view.x[0] as number) + allChainNeed(sizes, L);
  const known: KnownPlan[] = [];
  if (allChainPeak <= options.budgetBytes)
    known.push({
      plan: allChainPlan(0, L - 1),
      what: "the all-chain plan (no recomputation)",
      peakBytes: allChainPeak,
    });
  try {
    const edges = segmentEdges(sizes, view.recomputable, L, deadline);
    const peak = instance.fixedBytes + (view.x[0] as number) + (edges.need[L - 1] as number);
    const storeAll = storeAllEvaluation(instance);
    if (storeAll.peakBytes < peak && storeAll.peakBytes <= options.budgetBytes)
      return storeAllBelowClass(instance, storeAll);
    if (peak > options.budgetBytes)
      return {
        status: "infeasible",
        minFeasibleBudgetBytes: Math.min(peak, storeAll.peakBytes),
        reason: `the least peak of the persistent class is ${peak} bytes, above the budget of ${options.budgetBytes}`,
      };
    const plan = edgePlan(edges, 0, L - 1);
    known.push({ plan, what: "the least-peak plan", peakBytes: peak });
    requireScheduleFits("chain-dp", planInstructionCount(plan), "budget", "a budget", instance.name);
    return {
      status: "optimal",
      schedule: planSchedule(view, plan, deadline),
      claimedMakespanMs: view.inputMs + planTimeMs(view, plan),
      claimedPeakBytes: peak,
      lowerBoundMs: sumOfTimesBound(instance),
      lowerBoundBytes: {
        value: peak,
        over: "persistent-chain",
        method: "least peak of the persistent class",
      },
      certificate: dpCertificate(1, null),
    };
  } catch (error: unknown) {
    if (!(error instanceof TimeLimitReached)) throw error;
    return timeoutAnswer(instance, view, known, error, `memory objective, L = ${L}`, "memory");
  }
}

/**
 * Store-all, when it peaks below every persistent schedule (it frees what `needs` lets go early, which
 * the persistent class does not): optimal over the class all the same, since nothing in it peaks lower.
 */
function storeAllBelowClass(instance: Instance, storeAll: ValidEvaluation): SolverAnswer {
  return {
    status: "optimal",
    schedule: storeAllSchedule(instance),
    claimedMakespanMs: storeAll.makespanMs,
    claimedPeakBytes: storeAll.peakBytes,
    lowerBoundMs: sumOfTimesBound(instance),
    certificate: dpCertificate(1, null),
  };
}
