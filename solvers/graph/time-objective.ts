/**
 * The time objective under a memory budget, over checkpoint schedules: a pool of kept sets that does
 * not depend on the budget (the memory search's seeds and optimum, Chen's articulation-point sets, and
 * "fill" paths that grow each seed by the nodes saving the most recompute time per byte), each judged
 * by the evaluator (solver.ts adds chain-dp's block-chain schedules, also budget-independent); the
 * answer is the fastest pool member within the budget, or Chen's greedy answer for that budget when
 * it is faster. Because the pool is fixed and chen-greedy is monotone, the answer
 * is monotone in the budget and never slower than chen-sqrt or chen-greedy at any budget. The
 * non-dominated pool members form the `--pareto` front.
 * O(seeds * log n) evaluations of O(n + m) each.
 */
import type { InstanceGraph } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";
import { type Judged, type JudgedKeep, judgeKeep } from "./kept-evaluation.js";

/**
 * Grows `start` by prefixes of length 1, 2, 4, ... of `order` (nodes not yet kept), judging each.
 */
function fillPath(instance: Instance, start: JudgedKeep, order: readonly number[]): JudgedKeep[] {
  const kept = new Set(start.kept);
  const additions = order.filter((v) => !kept.has(v));
  const path: JudgedKeep[] = [];
  for (let length = 1; length <= additions.length; length *= 2)
    path.push(judgeKeep(instance, [...start.kept, ...additions.slice(0, length)]));
  if (additions.length > 0) path.push(judgeKeep(instance, [...start.kept, ...additions]));
  return path;
}

/** Seeds grown by fill paths: spread over the seeds' peaks, so the paths start from every memory level. */
const FILLED_SEEDS = 8;

/**
 * The budget-independent pool: `seeds` plus the fill paths of up to FILLED_SEEDS of them (evenly
 * spread by peak, the least-peak seed always among them).
 * @param fill whether to add fill paths (off when the seeds already cover every kept set)
 */
export function timePool(
  instance: Instance,
  g: InstanceGraph,
  seeds: readonly JudgedKeep[],
  candidates: readonly number[],
  fill: boolean,
): JudgedKeep[] {
  const pool = new Map<string, JudgedKeep>();
  const add = (judged: JudgedKeep) => pool.set(judged.kept.join(","), judged);
  for (const seed of seeds) add(seed);
  if (fill) {
    const score = (v: number) => (g.fwd[v] as number) / Math.max(1, g.bytes[v] as number);
    const order = [...candidates].sort((a, b) => score(b) - score(a) || a - b);
    const byPeak = [...seeds].sort((a, b) => a.evaluation.peakBytes - b.evaluation.peakBytes);
    const step = Math.max(1, Math.ceil(byPeak.length / FILLED_SEEDS));
    for (let i = 0; i < byPeak.length; i += step)
      for (const judged of fillPath(instance, byPeak[i] as JudgedKeep, order)) add(judged);
  }
  return [...pool.values()];
}

/** The fastest member within `budgetBytes` (ties: lower peak), or undefined. */
export function fastestWithin(pool: readonly Judged[], budgetBytes: number): Judged | undefined {
  let best: Judged | undefined;
  for (const judged of pool) {
    const { peakBytes, makespanMs } = judged.evaluation;
    if (peakBytes > budgetBytes) continue;
    if (
      best === undefined ||
      makespanMs < best.evaluation.makespanMs ||
      (makespanMs === best.evaluation.makespanMs && peakBytes < best.evaluation.peakBytes)
    )
      best = judged;
  }
  return best;
}

/** The non-dominated members, by increasing peak (strictly decreasing makespan). */
export function paretoFront(pool: readonly Judged[]): Judged[] {
  const sorted = [...pool].sort(
    (a, b) =>
      a.evaluation.peakBytes - b.evaluation.peakBytes || a.evaluation.makespanMs - b.evaluation.makespanMs,
  );
  const front: Judged[] = [];
  for (const judged of sorted) {
    const last = front[front.length - 1];
    if (last === undefined || judged.evaluation.makespanMs < last.evaluation.makespanMs) front.push(judged);
  }
  return front;
}
