/**
 * revolve: binomial checkpointing (Griewank & Walther 2000) for chains whose stages all have the same
 * forward and backward times. With c snapshots it reverses the L stages with the least number of
 * forward advances, E(L, c) = t L - beta(c + 1, t - 1), each step taped once more when reversed;
 * snapshots are `a_k` checkpoints of the persistent class (a Revolve schedule is a leaf-only plan), so
 * the schedule is emitted by the chain family's translation and judged by the evaluator.
 *
 * Options: `extra.snapshots` fixes c; otherwise (0, the default) c is the largest count (found by bisection on the
 * evaluator's peak) that fits the budget. Statuses: `feasible` (Revolve's optimality holds in its own
 * model, snapshots free and memory counted in snapshots, not in remat's bytes), `infeasible` (even
 * c = 1 does not fit; its peak is the least budget).
 *
 * @see ../../proofs/chain-dp.md, "Revolve"
 */
import { InternalError } from "../../src/errors.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import type { Instance } from "../../src/instance/types.js";
import { parseSwitches } from "../../src/options.js";
import type { Schedule } from "../../src/schedule/types.js";
import type { Solver, SolverAnswer, SolverOptions } from "../../src/solver.js";
import { extraForwards, extraForwardsTable, optimalAdvance } from "./binomial.js";
import { type ChainView, chainRejection, chainView } from "./chain-view.js";
import { type ChainPlan, planSchedule, planTimeMs } from "./plan.js";

/**
 * The Revolve plan of segment (s, t) with c snapshots: advance optimally, reverse the right part with
 * c - 1 snapshots, then the left with c. `table` is extraForwardsTable(n, c') for n >= t - s + 1, c' >= c.
 */
export function revolvePlan(table: readonly Float64Array[], s: number, t: number, c: number): ChainPlan {
  if (s === t) return { kind: "chain", s };
  const j = s + optimalAdvance(table, t - s + 1, Math.min(c, t - s + 1));
  return {
    kind: "leaf",
    s,
    j,
    right: revolvePlan(table, j, t, c - 1),
    left: revolvePlan(table, s, j - 1, c),
  };
}

/** Why `instance` is not a homogeneous chain, or undefined. */
export function homogeneousRejection(instance: Instance): string | undefined {
  const chain = chainRejection(instance);
  if (chain !== undefined) return chain;
  const [first, ...rest] = instance.nodes.slice(1);
  const fixed = instance.nodes.slice(1).find((node) => !node.recomputable);
  if (fixed !== undefined)
    return `stage ${fixed.id} may not be recomputed: revolve's binomial schedules recompute every stage (use chain-dp)`;
  const odd = rest.find((node) => node.fwd !== first?.fwd || node.bwd !== first?.bwd);
  return odd === undefined
    ? undefined
    : `stage ${odd.id} has fwd ${odd.fwd} / bwd ${odd.bwd} where ${first?.id} has ${first?.fwd} / ${first?.bwd}: revolve needs equal times (use chain-dp)`;
}

/** The Revolve schedule with c snapshots and the evaluator's peak of it. */
function judged(
  instance: Instance,
  view: ChainView,
  c: number,
): { plan: ChainPlan; schedule: Schedule; peakBytes: number } {
  const n = view.length;
  const plan = revolvePlan(extraForwardsTable(n, Math.min(c, n)), 0, n - 1, Math.min(c, n));
  const schedule = planSchedule(view, plan);
  const evaluation = evaluate(instance, schedule);
  if (!evaluation.valid)
    throw new InternalError(`revolve built an invalid schedule: ${evaluation.error.reason}`);
  return { plan, schedule, peakBytes: evaluation.peakBytes };
}

/** revolve's switches. */
export const REVOLVE_SWITCHES = {
  snapshots: {
    type: "integer",
    default: 0,
    min: 0,
    doc: "snapshot count c; 0 takes the largest c whose schedule fits the budget (bisection on the evaluator's peak)",
  },
} as const;

/** Solves a homogeneous chain by binomial checkpointing. @throws InputError for a bad `extra.snapshots` */
export function solveRevolve(instance: Instance, options: SolverOptions): SolverAnswer {
  const view = chainView(instance);
  const L = view.length;
  const { snapshots } = parseSwitches(REVOLVE_SWITCHES, options.extra, "revolve");
  let c = Math.max(1, snapshots);
  let best = judged(instance, view, c);
  if (snapshots === 0) {
    let low = 1;
    let high = L;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      const candidate = judged(instance, view, mid);
      if (candidate.peakBytes <= options.budgetBytes) {
        low = mid;
        best = candidate;
        c = mid;
      } else high = mid - 1;
    }
  }
  if (best.peakBytes > options.budgetBytes)
    return {
      status: "infeasible",
      minFeasibleBudgetBytes: best.peakBytes,
      reason: `revolve with ${c} snapshot(s) peaks at ${best.peakBytes} bytes, above the budget of ${options.budgetBytes}`,
    };
  return {
    status: "feasible",
    schedule: best.schedule,
    claimedMakespanMs: view.inputMs + planTimeMs(view, best.plan),
    claimedPeakBytes: best.peakBytes,
    counters: { snapshots: c, advances: extraForwards(L, c) },
  };
}

/** The revolve solver (see {@link solveRevolve}). */
export const revolve: Solver = {
  name: "revolve",
  family: "chain",
  problem: "chains whose stages share one forward and one backward time",
  guarantee: "feasible; least forward advances for its snapshot count (Revolve's model)",
  reference: "Griewank & Walther, ACM TOMS 26(1), 2000 (Algorithm 799)",
  objectives: ["time"],
  emits: { time: "persistent-chain" },
  switches: REVOLVE_SWITCHES,
  reads: [],
  rejects: homogeneousRejection,
  solve: solveRevolve,
};
