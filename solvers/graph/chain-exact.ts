/**
 * Exact memory objective on chains: the least evaluated peak over all kept sets K of the checkpoint
 * schedule (Feng & Huang 2021, section 3.2, "linear computation graphs", with their threshold search;
 * graph-remat.md section 2), with every segment cost taken from the evaluator.
 *
 * Decomposition (proofs/graph-mincut.md, "Chains"): on a chain x = v_0 -> ... -> v_L with kept nodes
 * 0 = k_0 < k_1 < ... < k_m, every instruction of the schedule belongs to one segment (k_i, k_{i+1}]
 * (forward of v in it; backward step of v in it, with the recomputations it triggers), and memory
 * during it equals base(k_i) + h(k_i, k_{i+1}), where base(k) is the memory after the forward of k
 * and h depends on the pair only; base(k_{i+1}) - base(k_i) = carry(k_i, k_{i+1}) also depends on the
 * pair only. Both are read off the evaluator's trace of the schedule that keeps just {k_i, k_{i+1}}.
 * The peak is then max_i base(k_i) + h(k_i, k_{i+1}), and "is there a K with peak <= T" is a
 * shortest-path question in which the least base(a) dominates; bisection on the integer T gives the
 * optimum.
 *
 * Complexity: O(L^2) evaluations of O(L) each to tabulate, then O(L^2 log(peak)) for the search.
 */
import { InternalError } from "../../src/errors.js";
import type { InstanceGraph } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";
import { type JudgedKeep, judgeKeep } from "./kept-evaluation.js";

/** True when the instance is one path x -> v_1 -> ... -> loss (node v reads exactly node v - 1). */
export function isChain(g: InstanceGraph): boolean {
  for (let v = 0; v < g.size; v++) {
    const inputs = g.inputs[v] as readonly number[];
    if (v === 0 ? inputs.length !== 0 : inputs.length !== 1 || inputs[0] !== v - 1) return false;
  }
  return true;
}

/** Segment tables; index `end = L + 1` stands for "no further kept node" (the tail). */
interface SegmentTables {
  /** high[a][b] - base(a): extra memory of segment (a, b], for a < b <= L + 1. */
  readonly rise: Float64Array[];
  /** base(b) - base(a) for a < b <= L. */
  readonly carry: Float64Array[];
  readonly base0: number;
  readonly evaluations: number;
}

/**
 * Evaluates the schedule keeping {a, b} (or {a} for the tail) and reads the segment (a, b]:
 * forward instructions of nodes in (a, b] (and of x when a = 0), backward steps of nodes in (a, b].
 */
function measure(instance: Instance, g: InstanceGraph, a: number, b: number) {
  const L = g.loss;
  const keep = b <= L ? [a, b] : [a];
  const judged = judgeKeep(instance, keep, { trace: true });
  const trace = judged.evaluation.trace ?? [];
  const schedule = judged.schedule;
  let forwards = 0;
  let baseA = Number.NaN;
  let baseB = Number.NaN;
  let high = Number.NEGATIVE_INFINITY;
  let stepNode = -1; // forward phase while -1; then the node of the next B
  const nextB = new Int32Array(schedule.length).fill(-1);
  for (let i = schedule.length - 1, next = -1; i >= 0; i--) {
    const op = schedule[i] as (typeof schedule)[number];
    if (op.op === "B") next = g.indexOf.get(op.node) as number;
    nextB[i] = next;
  }
  let lastForward = -1;
  for (let i = 0; i < schedule.length; i++) {
    const op = schedule[i] as (typeof schedule)[number];
    const during = (trace[i] as { duringBytes: number }).duringBytes;
    const after = (trace[i] as { afterBytes: number }).afterBytes;
    if (stepNode === -1 && forwards < g.size) {
      if (op.op === "F") {
        lastForward = g.indexOf.get(op.node) as number;
        forwards++;
        if ((lastForward > a && lastForward <= b) || (a === 0 && lastForward === 0))
          high = Math.max(high, during);
      }
      if (lastForward === a) baseA = after;
      if (lastForward === b) baseB = after;
      continue;
    }
    stepNode = nextB[i] as number;
    if (stepNode > a && stepNode <= b) high = Math.max(high, during);
  }
  return { rise: high - baseA, carry: baseB - baseA, base0: a === 0 ? baseA : Number.NaN };
}

function tabulate(instance: Instance, g: InstanceGraph): SegmentTables {
  const L = g.loss;
  const rise: Float64Array[] = [];
  const carry: Float64Array[] = [];
  let base0 = Number.NaN;
  let evaluations = 0;
  for (let a = 0; a <= L; a++) {
    const riseRow = new Float64Array(L + 2).fill(Number.POSITIVE_INFINITY);
    const carryRow = new Float64Array(L + 1).fill(Number.NaN);
    for (let b = a + 1; b <= L + 1; b++) {
      if (b - 1 > a && g.recomputable[b - 1] === 0) break; // a segment cannot skip a forced node
      const measured = measure(instance, g, a, b);
      evaluations++;
      riseRow[b] = measured.rise;
      if (b <= L) carryRow[b] = measured.carry;
      if (a === 0 && b === 1) base0 = measured.base0;
    }
    rise.push(riseRow);
    carry.push(carryRow);
  }
  return { rise, carry, base0, evaluations };
}

/**
 * Least-base search under threshold T: base[b] = min over feasible a of base[a] + carry(a, b); an
 * ending is the tail after some a (base[a] + rise(a, end) <= T) or the loss kept (base[L] finite).
 * @returns the kept nodes (x excluded), or undefined when no kept set peaks at most T
 */
function keptUnder(tables: SegmentTables, L: number, threshold: number): number[] | undefined {
  const base = new Float64Array(L + 1).fill(Number.POSITIVE_INFINITY);
  const parent = new Int32Array(L + 1).fill(-1);
  base[0] = tables.base0;
  for (let b = 1; b <= L; b++) {
    for (let a = 0; a < b; a++) {
      const from = base[a] as number;
      if (!(from + ((tables.rise[a] as Float64Array)[b] as number) <= threshold)) continue;
      const reached = from + ((tables.carry[a] as Float64Array)[b] as number);
      if (reached < (base[b] as number)) {
        base[b] = reached;
        parent[b] = a;
      }
    }
  }
  let last = -1;
  for (let a = 0; a <= L && last === -1; a++)
    if ((base[a] as number) + ((tables.rise[a] as Float64Array)[L + 1] as number) <= threshold) last = a;
  if (last === -1 && Number.isFinite(base[L] as number)) last = L;
  if (last === -1) return undefined;
  const kept: number[] = [];
  for (let v = last; v > 0; v = parent[v] as number) kept.push(v);
  return kept.reverse();
}

/** The exact memory-objective answer on a chain, with the evaluator's verdict. */
export function chainExact(instance: Instance, g: InstanceGraph): { best: JudgedKeep; evaluations: number } {
  const L = g.loss;
  const tables = tabulate(instance, g);
  let low = 0;
  let high = judgeKeep(instance, []).evaluation.peakBytes;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (keptUnder(tables, L, middle) === undefined) low = middle + 1;
    else high = middle;
  }
  const kept = keptUnder(tables, L, high);
  if (kept === undefined) throw new InternalError("chainExact: no kept set at the upper bound");
  const best = judgeKeep(instance, kept);
  if (best.evaluation.peakBytes !== high)
    throw new InternalError(
      `chainExact: the decomposition predicts ${high} bytes but the evaluator says ${best.evaluation.peakBytes}`,
    );
  return { best, evaluations: tables.evaluations + 2 };
}
