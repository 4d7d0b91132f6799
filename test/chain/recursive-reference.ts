/**
 * The recursive walks of the chain family as they were before they became loops (commit f98450a:
 * solvers/chain/plan.ts, reconstruct.ts, chain-dp.ts `leastPeak`, revolve.ts, binomial.ts), kept only
 * here as oracles: the iterative versions must give identical output on chains short enough for
 * recursion (test/chain/iterative.test.ts).
 */
import type { ChainView } from "../../solvers/chain/chain-view.js";
import type { SegmentEdges } from "../../solvers/chain/feasibility.js";
import { chainNeed, sweepNeed } from "../../solvers/chain/memory.js";
import { allChainPlan, type ChainPlan } from "../../solvers/chain/plan.js";
import { tableValue } from "../../solvers/chain/reconstruct.js";
import type { TimeTable } from "../../solvers/chain/table.js";
import { type Instruction, ops, type Schedule } from "../../src/schedule/types.js";

/** planSchedule, recursive. */
export function planScheduleRecursive(view: ChainView, plan: ChainPlan): Schedule {
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

/** planTimeMs, recursive. */
export function planTimeMsRecursive(view: ChainView, plan: ChainPlan): number {
  if (plan.kind === "chain")
    return (
      (view.uf[plan.s] as number) +
      (view.ub[plan.s] as number) +
      (plan.rest ? planTimeMsRecursive(view, plan.rest) : 0)
    );
  let sweep = 0;
  for (let k = plan.s; k < plan.j; k++) sweep += view.uf[k] as number;
  return sweep + planTimeMsRecursive(view, plan.right) + planTimeMsRecursive(view, plan.left);
}

/** leastPeak's `build`: the arg-min plan of the edges, recursive. */
export function edgePlanRecursive(edges: SegmentEdges, s: number, t: number): ChainPlan {
  const L = edges.length;
  const j = edges.choice[s * L + t] as number;
  if (j < 0)
    return s === t ? { kind: "chain", s } : { kind: "chain", s, rest: edgePlanRecursive(edges, s + 1, t) };
  return {
    kind: "leaf",
    s,
    j,
    right: edgePlanRecursive(edges, j, t),
    left: edgePlanRecursive(edges, s, j - 1),
  };
}

/** tablePlan, recursive. */
export function tablePlanRecursive(table: TimeTable, s: number, t: number, m: number): ChainPlan {
  const { view, edges } = table;
  const { sizes } = table.slots;
  const L = view.length;
  const p = s * L + t;
  const found = tableValue(table, s, t, m);
  if (found === undefined) throw new Error(`segment (${s}, ${t}) infeasible at ${m} slots`);
  const T = table.rows.time;
  const N = table.rows.forwards;
  const { timeMs, forwards } = found;
  const first = (table.rows.base[p] as number) + (edges.need[p] as number);
  let index = found.index;
  while (index > first && T[index - 1] === timeMs && N[index - 1] === forwards) index--;
  const at = index - (table.rows.base[p] as number);
  if (at >= (edges.full[p] as number)) return allChainPlan(s, t);
  if (s < t) {
    const xb = sizes.xbar[s + 1] as number;
    const sub = at >= chainNeed(sizes, s, t) ? tableValue(table, s + 1, t, at - xb) : undefined;
    if (
      sub !== undefined &&
      (view.uf[s] as number) + (view.ub[s] as number) + sub.timeMs === timeMs &&
      1 + sub.forwards === forwards
    )
      return { kind: "chain", s, rest: tablePlanRecursive(table, s + 1, t, at - xb) };
  }
  let sweep = 0;
  for (let j = s + 1; j <= t; j++) {
    if (view.recomputable[j - 1] === 0) break;
    sweep = Math.max(sweep, sweepNeed(sizes, s, t, j - 1));
    if (at < sweep) continue;
    const xj = sizes.x[j] as number;
    const right = tableValue(table, j, t, at - xj);
    const left = tableValue(table, s, j - 1, at);
    if (right === undefined || left === undefined) continue;
    const sweepMs = (table.prefixF[j] as number) - (table.prefixF[s] as number);
    if (
      sweepMs + right.timeMs + left.timeMs === timeMs &&
      j - s + right.forwards + left.forwards === forwards
    )
      return {
        kind: "leaf",
        s,
        j,
        right: tablePlanRecursive(table, j, t, at - xj),
        left: tablePlanRecursive(table, s, j - 1, at),
      };
  }
  throw new Error(`no move attains the table's value at (${at}, ${s}, ${t})`);
}

/** binomial.ts's beta, as it was. */
function beta(s: number, t: number): number {
  if (t < 0 || s < 0) return 0;
  let value = 1;
  const k = Math.min(s, t);
  for (let i = 1; i <= k; i++) value = (value * (s + t - k + i)) / i;
  return Math.round(value);
}

/** E(k, c) for every k <= n and c <= s by the closed form (binomial.ts's extraForwardsTable, as it was). */
export function extraForwardsTable(n: number, s: number): Float64Array[] {
  const rows: Float64Array[] = [];
  for (let c = 0; c <= s; c++) {
    const row = new Float64Array(n + 1);
    let t = 0;
    for (let k = 2; k <= n; k++) {
      if (c === 0) {
        row[k] = Number.POSITIVE_INFINITY;
        continue;
      }
      while (beta(c, t) < k) t++;
      row[k] = t * k - beta(c + 1, t - 1);
    }
    rows.push(row);
  }
  return rows;
}

/** The least i attaining min i + E(i, s) + E(n - i, s - 1), by a scan (binomial.ts's optimalAdvance, as it was). */
export function optimalAdvanceByScan(table: readonly Float64Array[], n: number, s: number): number {
  const same = table[s] as Float64Array;
  const fewer = table[s - 1] as Float64Array;
  let best = Number.POSITIVE_INFINITY;
  let at = 1;
  for (let i = 1; i < n; i++) {
    const value = i + (same[i] as number) + (fewer[n - i] as number);
    if (value < best) {
      best = value;
      at = i;
    }
  }
  return at;
}

/** revolvePlan, recursive, over extraForwardsTable(n, c') with n >= t - s + 1 and c' >= c. */
export function revolvePlanRecursive(
  table: readonly Float64Array[],
  s: number,
  t: number,
  c: number,
): ChainPlan {
  if (s === t) return { kind: "chain", s };
  const j = s + optimalAdvanceByScan(table, t - s + 1, Math.min(c, t - s + 1));
  return {
    kind: "leaf",
    s,
    j,
    right: revolvePlanRecursive(table, j, t, c - 1),
    left: revolvePlanRecursive(table, s, j - 1, c),
  };
}
