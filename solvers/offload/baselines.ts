/**
 * The offload baselines (issue 11, item 5):
 * - `offload-all` (vDNN, Rhu et al., MICRO 2016): offload every offloadable activation that a backward
 *   step reads and that could be absent in between, as soon as it is produced; free it after its last
 *   forward read (waiting for its copy); prefetch it one backward step ahead of its first backward
 *   reader (issued before the step before it). One fixed schedule: `infeasible` when it does not fit.
 * - `offload-largest`: offload the largest activations first, as few as make the peak fit, placed by
 *   the timing routine (placement.ts); the fewest is found by bisection, since C(S)'s least peak only
 *   falls as S grows (proofs/offload-timing.md).
 * Both answer as store-all does without a link; offload-largest also when store-all fits.
 */

import type { Instance } from "../../src/instance/types.js";
import { NO_SWITCHES } from "../../src/options.js";
import { type Instruction, ops, type Schedule } from "../../src/schedule/types.js";
import type { Solver, SolverAnswer, SolverOptions } from "../../src/solver.js";
import { judgeFixedSchedule } from "../baselines/judge.js";
import { storeAllShortcut } from "./answers.js";
import { heuristicAnswer } from "./fallback.js";
import { type OffloadOrder, offloadOrder } from "./order.js";
import { largestFirstSet } from "./set-search.js";

/** The activations vDNN moves: offloadable, read by a backward step, with a step between to be absent at. */
function vdnnSet(order: OffloadOrder): number[] {
  const { g } = order;
  const list: number[] = [];
  for (let u = 0; u < g.size; u++) {
    const first = order.firstBackwardRead[u] as number;
    if (g.offloadable[u] === 1 && first > (order.lastForwardRead[u] as number) + 1) list.push(u);
  }
  return list;
}

/** vDNN's schedule: offload at production, free after the last forward read, prefetch one step ahead. */
export function vdnnSchedule(order: OffloadOrder): Schedule {
  const { g, steps, forwardSteps: n } = order;
  const moved = new Uint8Array(g.size);
  for (const u of vdnnSet(order)) moved[u] = 1;
  const prefetchAt = new Map<number, number[]>(); // gap -> activations
  for (let u = 0; u < g.size; u++)
    if (moved[u] === 1) {
      const gap = Math.max(n - 1, (order.firstBackwardRead[u] as number) - 2);
      prefetchAt.set(gap, [...(prefetchAt.get(gap) ?? []), u]);
    }
  const out: Instruction[] = [];
  for (let s = 0; s < steps.length; s++) {
    const step = steps[s] as { backward: boolean; node: number };
    const id = g.ids[step.node] as string;
    out.push(step.backward ? ops.backward(id) : ops.forward(id, true));
    if (!step.backward && moved[step.node] === 1) out.push(ops.offload(id));
    vdnnFrees(order, s, moved, out);
    for (const u of prefetchAt.get(s) ?? []) out.push(ops.prefetch(g.ids[u] as string));
  }
  return Object.freeze(out);
}

/** After step `s`: store-all's frees, and the forward frees of the moved activations last read at `s`. */
function vdnnFrees(order: OffloadOrder, s: number, moved: Uint8Array, out: Instruction[]): void {
  const { g } = order;
  for (let u = 0; u < g.size; u++) {
    const forwardFree = moved[u] === 1 && order.lastForwardRead[u] === s;
    if (order.lastUse[u] === s || forwardFree) out.push(ops.freeActivation(g.ids[u] as string));
  }
}

function solveAll(instance: Instance, options: SolverOptions): SolverAnswer {
  const order = offloadOrder(instance);
  if (!order.hasLink) return storeAllShortcut(instance, options) as SolverAnswer;
  return judgeFixedSchedule(instance, vdnnSchedule(order), options);
}

function solveLargest(instance: Instance, options: SolverOptions): SolverAnswer {
  const shortcut = storeAllShortcut(instance, options);
  if (shortcut !== undefined) return shortcut;
  const order = offloadOrder(instance);
  return heuristicAnswer(order, options, largestFirstSet(order, options.budgetBytes));
}

const common = {
  family: "offload",
  problem: "any DAG",
  objectives: ["time"],
  emits: { time: "offload" },
  switches: NO_SWITCHES,
  reads: [],
} as const;

/** offload-all (vDNN), as a Solver. */
export const offloadAll: Solver = {
  ...common,
  name: "offload-all",
  guarantee: "feasible only (one fixed schedule; optimal only when it meets the sum of times)",
  reference: "vDNN (Rhu et al., MICRO 2016): offload everything, prefetch one step ahead",
  solve: solveAll,
};

/** offload-largest, as a Solver. */
export const offloadLargest: Solver = {
  ...common,
  name: "offload-largest",
  guarantee: "feasible only (optimal only when it meets the sum of times)",
  reference: "largest activations first until the peak fits, placed by the timing routine",
  solve: solveLargest,
};
