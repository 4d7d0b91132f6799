/**
 * revolve: binomial checkpointing (Griewank & Walther 2000) for chains whose stages all have the same
 * forward and backward times. With c snapshots it reverses the L stages with the least number of
 * forward advances, E(L, c) = t L - beta(c + 1, t - 1), each step taped once more when reversed;
 * snapshots are `a_k` checkpoints of the persistent class (a Revolve schedule is a leaf-only plan), so
 * the schedule is emitted by the chain family's translation and judged by the evaluator.
 *
 * Options: `extra.snapshots` fixes c; otherwise (0, the default) c is the largest count (found by
 * bisection, each count judged by its plan's peak read off its moves, plan-memory.ts, without building
 * its schedule) that fits the budget. Statuses: `feasible` (Revolve's optimality holds in its own
 * model, snapshots free and memory counted in snapshots, not in remat's bytes), `infeasible` (even
 * c = 1 does not fit; its peak is the least budget), `timeout` (the limit is checked at every plan node
 * and while emitting; it carries the best fitting count found so far when its schedule has at most
 * 200,000 instructions). Schedules past 2^23 instructions are refused (limits.ts). O(L log^2 L) a count;
 * 20,000 stages at 40% take 1.1 to 1.7 s (bench/results/chain-dp-limits.md).
 *
 * @see ../../proofs/chain-dp.md, "Revolve"
 */
import type { Instance } from "../../src/instance/types.js";
import { parseSwitches } from "../../src/options.js";
import type { Solver, SolverAnswer, SolverOptions } from "../../src/solver.js";
import { Deadline, TimeLimitReached } from "../../src/time-limit.js";
import { extraForwards } from "./binomial.js";
import { type ChainView, chainRejection, chainView } from "./chain-view.js";
import { FALLBACK_INSTRUCTIONS, requireScheduleFits } from "./limits.js";
import { planInstructionCount, planSchedule, planTimeMs } from "./plan.js";
import { type Judged, SnapshotJudge } from "./snapshots.js";

/** Why `instance` is not a homogeneous chain of recomputable stages, or undefined. */
export function homogeneousRejection(instance: Instance): string | undefined {
  const chain = chainRejection(instance);
  if (chain !== undefined) return chain;
  const [first, ...rest] = instance.nodes.slice(1);
  const odd = rest.find((node) => node.fwd !== first?.fwd || node.bwd !== first?.bwd);
  if (odd !== undefined)
    return `stage ${odd.id} has fwd ${odd.fwd} / bwd ${odd.bwd} where ${first?.id} has ${first?.fwd} / ${first?.bwd}: revolve needs equal times (use chain-dp)`;
  const fixed = instance.nodes.slice(1).find((node) => !node.recomputable);
  return fixed === undefined
    ? undefined
    : `stage ${fixed.id} is not recomputable, and revolve's schedules run every stage but the last forward at least twice (use chain-dp)`;
}

/** revolve's switches. */
export const REVOLVE_SWITCHES = {
  snapshots: {
    type: "integer",
    default: 0,
    min: 0,
    doc: "snapshot count c; 0 takes the largest c whose schedule fits the budget (bisection on the plan's peak, which is the evaluator's)",
  },
} as const;

/**
 * Solves a homogeneous chain by binomial checkpointing. Each snapshot count is judged by its plan's
 * peak (plan-memory.ts, O(L log^2 L) a count), so only the chosen count's schedule is built.
 * @param deadline the time limit (default: `options.timeLimitSec` from now)
 * @throws InputError for a bad `extra.snapshots`, or when the chosen schedule would pass
 *   MAX_SCHEDULE_INSTRUCTIONS (limits.ts; path `budget`, or `extra.snapshots` when given)
 */
export function solveRevolve(
  instance: Instance,
  options: SolverOptions,
  deadline: Deadline = new Deadline(options.timeLimitSec),
): SolverAnswer {
  const view = chainView(instance);
  const L = view.length;
  const { snapshots } = parseSwitches(REVOLVE_SWITCHES, options.extra, "revolve");
  const judge = new SnapshotJudge(instance, view, deadline);
  let best: Judged | undefined;
  try {
    best =
      snapshots === 0
        ? judge.most(options.budgetBytes, (fitting) => {
            best = fitting;
          })
        : judge.judge(snapshots);
    if (best.peakBytes > options.budgetBytes)
      return {
        status: "infeasible",
        minFeasibleBudgetBytes: best.peakBytes,
        reason: `revolve with ${best.c} snapshot(s) peaks at ${best.peakBytes} bytes, above the budget of ${options.budgetBytes}`,
      };
    requireScheduleFits(
      "revolve",
      planInstructionCount(best.plan),
      snapshots === 0 ? "budget" : "extra.snapshots",
      snapshots === 0 ? "a budget" : "a snapshot count",
      instance.name,
    );
    return {
      status: "feasible",
      schedule: planSchedule(view, best.plan, deadline),
      claimedMakespanMs: view.inputMs + planTimeMs(view, best.plan),
      claimedPeakBytes: best.peakBytes,
      counters: { snapshots: best.c, advances: extraForwards(L, best.c) },
    };
  } catch (error: unknown) {
    if (!(error instanceof TimeLimitReached)) throw error;
    return revolveTimeout(view, best, options, error);
  }
}

/** The timeout answer: the best fitting plan found so far, when there is one and its schedule is short. */
function revolveTimeout(
  view: ChainView,
  best: Judged | undefined,
  options: SolverOptions,
  reached: TimeLimitReached,
): SolverAnswer {
  const fits =
    best !== undefined &&
    best.peakBytes <= options.budgetBytes &&
    planInstructionCount(best.plan) <= FALLBACK_INSTRUCTIONS;
  return {
    status: "timeout",
    reason: `${reached.message}${fits ? `; the best fitting snapshot count found so far is ${best.c}` : ""}`,
    ...(fits
      ? {
          schedule: planSchedule(view, best.plan),
          claimedMakespanMs: view.inputMs + planTimeMs(view, best.plan),
          claimedPeakBytes: best.peakBytes,
          counters: { snapshots: best.c, advances: extraForwards(view.length, best.c) },
        }
      : {}),
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
