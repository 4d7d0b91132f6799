/**
 * offload-lp-round: the LP relaxation heuristic (issue 11, item 4a). The relaxation (lp-bound.ts) lets
 * any fraction of an activation be offloaded; its optimum is a lower bound over the offload class
 * (proofs/offload-relaxations.md). Rounded to whole activations: those offloaded at least half, then,
 * at each step still above the budget, the largest fractions first (the greedy cover of cover.ts,
 * which repairs until the timing routine finds room), placed and pruned; the faster of that and
 * offload-largest's set is answered, with the LP bound when it beats the sum of times.
 * Switch `lp`: the LP backend (highs, the default; glpk; jslp).
 */
import type { Instance } from "../../src/instance/types.js";
import type { OptionsTable, OptionValues } from "../../src/options.js";
import type { Solver, SolverAnswer, SolverOptions } from "../../src/solver.js";
import { Deadline, TimeLimitReached } from "../../src/time-limit.js";
import { infeasibleAnswer, storeAllShortcut } from "./answers.js";
import { faster, greedyCover, placeAndPrune } from "./cover.js";
import { heuristicAnswer } from "./fallback.js";
import { classLeastPeak } from "./least-peak.js";
import { LP_BOUND, solveLpRelaxation } from "./lp-bound.js";
import { offloadOrder } from "./order.js";
import { largestFirstSet } from "./set-search.js";

/** Fraction from which an activation is offloaded outright. */
const ROUND_AT = 0.5;

export const LP_ROUND_SWITCHES = {
  lp: {
    type: "choice",
    values: ["highs", "glpk", "jslp"],
    default: "highs",
    doc: "the LP backend that solves the relaxation",
  },
} as const satisfies OptionsTable;

async function solveLpRound(instance: Instance, options: SolverOptions): Promise<SolverAnswer> {
  const shortcut = storeAllShortcut(instance, options);
  if (shortcut !== undefined) return shortcut;
  const order = offloadOrder(instance);
  const least = classLeastPeak(order);
  if (least > options.budgetBytes) return infeasibleAnswer(order, options, least);
  const settings = options.extra as OptionValues<typeof LP_ROUND_SWITCHES>;
  const deadline = new Deadline(options.timeLimitSec);
  const relaxation = await solveLpRelaxation(order, options.budgetBytes, settings.lp, options.timeLimitSec);
  const bound =
    relaxation.boundMs === undefined
      ? undefined
      : { value: relaxation.boundMs, over: "offload" as const, method: LP_BOUND };
  const fraction = relaxation.fraction;
  try {
    deadline.check("rounding the LP relaxation");
    const start = instance.nodes.flatMap((_, u) => ((fraction[u] as number) >= ROUND_AT ? [u] : []));
    const cover = greedyCover(order, options.budgetBytes, start, (u) => -(fraction[u] as number));
    const rounded =
      cover === undefined ? undefined : placeAndPrune(order, cover, options.budgetBytes, deadline);
    const best = faster(rounded?.placed, largestFirstSet(order, options.budgetBytes));
    const counters = { lpIterations: relaxation.iterations, placements: (rounded?.trials ?? 0) + 1 };
    return heuristicAnswer(order, options, best, bound, counters);
  } catch (caught) {
    if (!(caught instanceof TimeLimitReached)) throw caught;
    return {
      status: "timeout",
      reason: caught.message,
      ...(bound === undefined ? {} : { lowerBoundMs: bound }),
    };
  }
}

/** offload-lp-round, as a Solver. */
export const offloadLpRound: Solver = {
  name: "offload-lp-round",
  family: "offload",
  problem: "any DAG",
  guarantee: "feasible, with the LP relaxation's lower bound (optimal only when it meets the sum of times)",
  reference: "Beaumont, Eyraud-Dubois, Shilova 2020 (relaxation heuristics); fractional-offload LP",
  objectives: ["time"],
  emits: { time: "offload" },
  switches: LP_ROUND_SWITCHES,
  reads: [],
  solve: solveLpRound,
};
