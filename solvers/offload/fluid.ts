/**
 * offload-fluid: the fluid relaxation heuristic (issue 11, item 4b). The relaxation (fluid-bound.ts):
 * the device-to-host link frees memory at its rate while produced data waits, the host-to-device link
 * brings data back as late as memory allows, in need order; its value is a lower bound on the makespan
 * of every offload schedule within the budget (proofs/offload-relaxations.md). Solved greedily and
 * rounded to whole activations: walking the steps, each step still above the budget offloads the
 * activations the fluid would move first (in the forward pass the earliest produced, in the backward pass
 * those read latest), the set is placed by the timing routine and pruned (cover.ts); the faster of that
 * and offload-largest's set is answered, with the fluid bound.
 */

import type { Instance } from "../../src/instance/types.js";
import { NO_SWITCHES } from "../../src/options.js";
import type { Solver, SolverAnswer, SolverOptions } from "../../src/solver.js";
import { Deadline, TimeLimitReached } from "../../src/time-limit.js";
import { infeasibleAnswer, storeAllShortcut } from "./answers.js";
import { faster, greedyCover, placeAndPrune } from "./cover.js";
import { heuristicAnswer } from "./fallback.js";
import { FLUID_BOUND, fluidBound } from "./fluid-bound.js";
import { classLeastPeak } from "./least-peak.js";
import { type OffloadOrder, offloadOrder } from "./order.js";
import { largestFirstSet } from "./set-search.js";

/** The step after `j` at which a:u is next read (the end when none). */
function nextRead(order: OffloadOrder, u: number, j: number): number {
  for (const s of order.readSteps[u] as readonly number[]) if (s > j) return s;
  return order.steps.length;
}

function solveFluid(instance: Instance, options: SolverOptions): SolverAnswer {
  const shortcut = storeAllShortcut(instance, options);
  if (shortcut !== undefined) return shortcut;
  const order = offloadOrder(instance);
  const least = classLeastPeak(order);
  if (least > options.budgetBytes) return infeasibleAnswer(order, options, least);
  const relaxation = fluidBound(order, options.budgetBytes);
  const bound = { value: relaxation.boundMs, over: "offload" as const, method: FLUID_BOUND };
  const deadline = new Deadline(options.timeLimitSec);
  const n = order.forwardSteps;
  try {
    const cover = greedyCover(order, options.budgetBytes, [], (u, j) => (j < n ? u : -nextRead(order, u, j)));
    const fluidSet =
      cover === undefined ? undefined : placeAndPrune(order, cover, options.budgetBytes, deadline);
    const largest = largestFirstSet(order, options.budgetBytes);
    const best = faster(fluidSet?.placed, largest);
    return heuristicAnswer(order, options, best, bound, { placements: (fluidSet?.trials ?? 0) + 1 });
  } catch (caught) {
    if (!(caught instanceof TimeLimitReached)) throw caught;
    return { status: "timeout", reason: caught.message, lowerBoundMs: bound };
  }
}

/** offload-fluid, as a Solver. */
export const offloadFluid: Solver = {
  name: "offload-fluid",
  family: "offload",
  problem: "any DAG",
  guarantee:
    "feasible, with the fluid relaxation's lower bound (optimal only when it meets the sum of times)",
  reference: "Beaumont, Eyraud-Dubois, Shilova 2020 (relaxation heuristics); fluid link relaxation",
  objectives: ["time"],
  emits: { time: "offload" },
  switches: NO_SWITCHES,
  reads: [],
  solve: solveFluid,
};
