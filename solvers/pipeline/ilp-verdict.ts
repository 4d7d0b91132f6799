/**
 * What one of pipeline-ilp's MILP solves proves (proofs/pipeline-ilp.md, "Bounds"), shared by the
 * per-stage models (ilp.ts) and the per-micro-batch model (ilp-microbatch.ts).
 */
import { InternalError } from "../../src/errors.js";
import type { LpResult } from "../../src/lp/backend.js";

/** Relative tolerance between the MILP's objective and the evaluator's step time of the decoded plan. */
export const PIPELINE_ILP_TOLERANCE = 1e-6;

/** `proven`: optimal or infeasible with a proof; `open`: finished without proof; `timeout`. */
export type Verdict = "proven" | "open" | "timeout";

/**
 * What a result proves for its model's class: `proven` for an optimum or an infeasibility from a
 * proving backend, `timeout`, else `open`; and a bound on the class's plans: the optimum, the cutoff
 * when infeasible under it (no plan is faster than the best so far), the backend's dual bound, at most
 * the cutoff, or 0 when nothing is proven.
 */
export function verdictOf(
  result: LpResult,
  proving: boolean,
  cutoffMs: number,
): { verdict: Verdict; boundMs: number } {
  if (result.status === "unbounded") throw new InternalError("pipeline-ilp: the MILP is unbounded (a bug)");
  if (!proving) return { verdict: result.status === "timeout" ? "timeout" : "open", boundMs: 0 };
  if (result.status === "infeasible") return { verdict: "proven", boundMs: cutoffMs };
  if (result.status === "optimal") return { verdict: "proven", boundMs: result.objective as number };
  return {
    verdict: result.status === "timeout" ? "timeout" : "open",
    boundMs: Math.min(result.bound ?? 0, cutoffMs),
  };
}

/** Whether two step times agree within PIPELINE_ILP_TOLERANCE (relative, at least 1 ms absolute scale). */
export function agrees(a: number, b: number): boolean {
  return Math.abs(a - b) <= PIPELINE_ILP_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}
