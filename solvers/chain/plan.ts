/**
 * A schedule of the persistent class as a tree of moves (Beaumont et al. 2019, section 4; rotor's
 * back-pointers), and its translation into remat's instructions (DESIGN.md, "Chain view"):
 * `F_all` = `F v tape`, `F_ck` = `F v`, `F_empty` = `F v` then `D` of its input, `B` = `B v` then `D`
 * of the stage's output. Stage l is node `v_{l+1}`.
 *
 * @see ../../proofs/chain-dp.md, "From the table to a schedule"
 */
import { type Instruction, ops, type Schedule } from "../../src/schedule/types.js";
import type { ChainView } from "./chain-view.js";

/**
 * Processing segment (s, t) (stages s..t, with `a_s` and `delta_{t+1}` resident on entry; on exit
 * `delta_s` and `a_s` resident, all else the segment made freed):
 * - `chain`: F_all^s, then `rest` (segment (s+1, t), absent when s = t), then B^s;
 * - `leaf`: F_ck^s, F_empty^{s+1..j-1} (so `a_s` and `a_j` are resident), then `right` (segment (j, t)),
 *   free `a_j`, then `left` (segment (s, j-1)).
 */
export type ChainPlan =
  | { readonly kind: "chain"; readonly s: number; readonly rest?: ChainPlan }
  | {
      readonly kind: "leaf";
      readonly s: number;
      readonly j: number;
      readonly right: ChainPlan;
      readonly left: ChainPlan;
    };

/** The whole schedule: load the input, process (0, L-1), free the input. */
export function planSchedule(view: ChainView, plan: ChainPlan): Schedule {
  const { ids } = view;
  const id = (k: number) => ids[k] as string;
  const out: Instruction[] = [ops.forward(id(0))];
  const emit = (node: ChainPlan): void => {
    if (node.kind === "chain") {
      out.push(ops.forward(id(node.s + 1), true));
      if (node.rest !== undefined) emit(node.rest);
      out.push(ops.backward(id(node.s + 1)), ops.freeActivation(id(node.s + 1)));
      return;
    }
    out.push(ops.forward(id(node.s + 1)));
    for (let k = node.s + 1; k < node.j; k++) out.push(ops.forward(id(k + 1)), ops.freeActivation(id(k)));
    emit(node.right);
    out.push(ops.freeActivation(id(node.j)));
    emit(node.left);
  };
  emit(plan);
  out.push(ops.freeActivation(id(0)));
  return out;
}

/** The all-chain plan of segment (s, t): every stage forward once with tape (store-all). */
export function allChainPlan(s: number, t: number): ChainPlan {
  let plan: ChainPlan = { kind: "chain", s: t };
  for (let k = t - 1; k >= s; k--) plan = { kind: "chain", s: k, rest: plan };
  return plan;
}

/** Makespan of a plan's stages in the order the DP sums them (without the input's load), ms. */
export function planTimeMs(view: ChainView, plan: ChainPlan): number {
  if (plan.kind === "chain")
    return (
      (view.uf[plan.s] as number) +
      (view.ub[plan.s] as number) +
      (plan.rest ? planTimeMs(view, plan.rest) : 0)
    );
  let sweep = 0;
  for (let k = plan.s; k < plan.j; k++) sweep += view.uf[k] as number;
  return sweep + planTimeMs(view, plan.right) + planTimeMs(view, plan.left);
}
