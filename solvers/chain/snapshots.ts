/**
 * Revolve's plans (Griewank & Walther 2000) on any chain of the persistent class, and the search for
 * the most snapshots whose plan fits a budget: used by the revolve solver, and by chain-dp for a plan
 * within the budget known before its O(L^3) phases start (its `timeout` answers carry it). A plan is
 * judged by its peak read off its moves (plan-memory.ts), O(plan nodes log^2 L), never by building its
 * schedule.
 *
 * @see ../../proofs/chain-dp.md, "Revolve"
 */
import type { Instance } from "../../src/instance/types.js";
import { type Deadline, NO_DEADLINE } from "../../src/time-limit.js";
import { leastAdvance } from "./binomial.js";
import type { ChainView } from "./chain-view.js";
import { byteSizes } from "./discretize.js";
import { buildPlan, type ChainPlan } from "./plan.js";
import { planNeed, SweepMaxima } from "./plan-memory.js";

/**
 * The Revolve plan of segment (s, t) with c snapshots: advance optimally (the least optimal advance,
 * binomial.ts `leastAdvance`), reverse the right part with c - 1 snapshots, then the left with c. Built
 * without recursion; O(plan nodes log^2 L).
 * @param phase the phase named when the time limit is reached
 * @throws TimeLimitReached when `deadline` passes (checked at every segment)
 */
export function revolvePlan(
  s: number,
  t: number,
  c: number,
  deadline: Deadline = NO_DEADLINE,
  phase = "snapshot search",
): ChainPlan {
  return buildPlan<readonly [number, number, number]>([s, t, c], ([s0, t0, c0]) => {
    deadline.check(phase);
    if (s0 === t0) return { kind: "chain", s: s0 };
    const n = t0 - s0 + 1;
    const j = s0 + leastAdvance(n, Math.min(c0, n));
    return { kind: "leaf", s: s0, j, right: [j, t0, c0 - 1], left: [s0, j - 1, c0] };
  });
}

/** The Revolve plan of the whole chain with c snapshots and its peak (bytes, fixedBytes included). */
export interface Judged {
  readonly c: number;
  readonly plan: ChainPlan;
  readonly peakBytes: number;
}

/** Judges snapshot counts of one chain. */
export class SnapshotJudge {
  private readonly maxima: SweepMaxima;

  constructor(
    private readonly instance: Instance,
    private readonly view: ChainView,
    private readonly deadline: Deadline = NO_DEADLINE,
    private readonly phase = "snapshot search",
  ) {
    this.maxima = new SweepMaxima(byteSizes(view), view.length);
  }

  /** The plan with c snapshots (c >= 1; more than L act as L) and its peak. */
  judge(c: number): Judged {
    const { view } = this;
    const L = view.length;
    const plan = revolvePlan(0, L - 1, Math.min(c, L), this.deadline, this.phase);
    const need = planNeed(byteSizes(view), plan, L, this.maxima);
    return { c, plan, peakBytes: this.instance.fixedBytes + (view.x[0] as number) + need };
  }

  /**
   * The most snapshots whose plan fits `budgetBytes`, by bisection over c in [1, L] (taking the peak as
   * growing with c), or the plan with one snapshot when no larger count fits (it may not fit either).
   * @param found told of every fitting plan as the bisection finds it (for a timeout's best so far)
   */
  most(budgetBytes: number, found?: (fitting: Judged) => void): Judged {
    let best: Judged | undefined;
    let low = 1;
    let high = this.view.length;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      const candidate = this.judge(mid);
      if (candidate.peakBytes <= budgetBytes) {
        low = mid;
        best = candidate;
        found?.(candidate);
      } else high = mid - 1;
    }
    return best ?? this.judge(1);
  }
}
