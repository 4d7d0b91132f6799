/**
 * The schedule of an offload decision (proofs/offload-milp.md, "Rebuilding the schedule"): store-all's
 * schedule with, at the end of each gap, the offloads issued there (in device-to-host channel order),
 * then the frees, then the prefetches (in host-to-device channel order). Each offload is issued in the
 * first gap where it and every offload before it on the channel exist; each absence's free right before
 * the first over-budget op it covers; each prefetch right after the last over-budget op it covers, or
 * later when a prefetch before it on the channel is issued later. Also the decision that offloads every
 * candidate over its widest window (the incumbent of last resort). O(schedule + decision).
 */
import { ops, type Schedule } from "../../src/schedule/types.js";
import type { OffloadPlan } from "./milp-plan.js";

/** One absence used: `plan.absences[absence]`, off the device from before op `first` to after op `last`. */
export interface Window {
  readonly absence: number;
  /** First over-budget op covered (the free is issued just before it). */
  readonly first: number;
  /** Last over-budget op covered (the prefetch is issued after it). */
  readonly last: number;
}

/** Which activations leave the device, when, and in which order each channel serves them. */
export interface OffloadDecision {
  readonly windows: readonly Window[];
  /** Offloaded nodes, in device-to-host channel order (each once). */
  readonly offloadOrder: readonly number[];
  /** Indices into `windows`, in host-to-device channel order (each once). */
  readonly prefetchOrder: readonly number[];
}

/** Instructions inserted at the end of each gap (gap k follows op k). */
interface GapInserts {
  readonly offloads: number[];
  readonly frees: number[];
  readonly prefetches: number[];
}

/**
 * The gaps' inserts of `decision`, or undefined when its orders cannot be issued in time (an offload
 * issued after its own free, a prefetch after the read it serves): the model's times rule that out
 * (proofs/offload-milp.md), so undefined means values rounded badly, and the caller falls back.
 */
function gapInserts(plan: OffloadPlan, decision: OffloadDecision): Map<number, GapInserts> | undefined {
  const gaps = new Map<number, GapInserts>();
  const at = (k: number): GapInserts => {
    let inserts = gaps.get(k);
    if (inserts === undefined) {
      inserts = { offloads: [], frees: [], prefetches: [] };
      gaps.set(k, inserts);
    }
    return inserts;
  };
  const offloadGap = new Map<number, number>();
  let gap = 0;
  for (const v of decision.offloadOrder) {
    gap = Math.max(gap, plan.production[v] as number);
    offloadGap.set(v, gap);
    at(gap).offloads.push(v);
  }
  for (const window of decision.windows) {
    const node = (plan.absences[window.absence] as { node: number }).node;
    const issued = offloadGap.get(node);
    if (issued === undefined || issued > window.first - 1) return undefined;
    at(window.first - 1).frees.push(node);
  }
  gap = 0;
  for (const w of decision.prefetchOrder) {
    const window = decision.windows[w] as Window;
    const absence = plan.absences[window.absence] as { node: number; before: number };
    gap = Math.max(gap, window.last);
    if (gap > absence.before - 1) return undefined;
    at(gap).prefetches.push(absence.node);
  }
  return gaps;
}

/** Appends the inserts of one gap: offloads, then frees, then prefetches. */
function pushInserts(out: Schedule[number][], ids: readonly string[], inserts: GapInserts | undefined): void {
  if (inserts === undefined) return;
  for (const v of inserts.offloads) out.push(ops.offload(ids[v] as string));
  for (const v of inserts.frees) out.push(ops.freeActivation(ids[v] as string));
  for (const v of inserts.prefetches) out.push(ops.prefetch(ids[v] as string));
}

/** The schedule of `decision`, or undefined when its orders cannot be issued in time (see {@link gapInserts}). */
export function rebuildSchedule(plan: OffloadPlan, decision: OffloadDecision): Schedule | undefined {
  const gaps = gapInserts(plan, decision);
  if (gaps === undefined) return undefined;
  const out: Schedule[number][] = [];
  let op = 0;
  for (let index = 0; index < plan.storeAll.length; index++) {
    if (plan.opIndex[op] === index) {
      pushInserts(out, plan.graph.ids, gaps.get(op - 1));
      op++;
    }
    out.push(plan.storeAll[index] as Schedule[number]);
  }
  return out;
}

/**
 * Every candidate absence over its widest window (first to last over-budget op of its interval), offloads
 * in production order, prefetches in the order of the reads they serve: the least memory the class
 * allows at every op (plan.leastOpBytes), so within the budget whenever anything is.
 */
export function everythingDecision(plan: OffloadPlan): OffloadDecision {
  return widestDecision(
    plan,
    plan.absences.map((_, index) => index),
  );
}

/**
 * The absences `chosen` (indices into `plan.absences`) over their widest windows, offloads in production
 * order, prefetches in the order of the reads they serve.
 */
export function widestDecision(plan: OffloadPlan, chosen: readonly number[]): OffloadDecision {
  const windows = chosen.map((index) => {
    const absence = plan.absences[index] as OffloadPlan["absences"][number];
    return {
      absence: index,
      first: absence.overOps[0] as number,
      last: absence.overOps[absence.overOps.length - 1] as number,
    };
  });
  const nodes = [...new Set(windows.map((w) => (plan.absences[w.absence] as { node: number }).node))];
  const offloadOrder = nodes.sort(
    (a, b) => (plan.production[a] as number) - (plan.production[b] as number) || a - b,
  );
  const before = (w: number) => (plan.absences[(windows[w] as Window).absence] as { before: number }).before;
  const prefetchOrder = windows.map((_, w) => w).sort((a, b) => before(a) - before(b) || a - b);
  return { windows, offloadOrder, prefetchOrder };
}

/**
 * Largest activations first: absences by decreasing size, each taken while an over-budget op it covers
 * is still over the budget, over its widest window (a second incumbent, often far fewer transfers than
 * {@link everythingDecision}). O(absences x over-budget ops).
 */
export function largestFirstDecision(plan: OffloadPlan): OffloadDecision {
  const excess = new Map(plan.overOps.map((k) => [k, (plan.opBytes[k] as number) - plan.budgetBytes]));
  const bytes = (c: number) => plan.graph.bytes[(plan.absences[c] as { node: number }).node] as number;
  const order = plan.absences.map((_, c) => c).sort((a, b) => bytes(b) - bytes(a) || a - b);
  const chosen: number[] = [];
  for (const c of order) {
    const overOps = (plan.absences[c] as OffloadPlan["absences"][number]).overOps;
    if (!overOps.some((k) => (excess.get(k) as number) > 0)) continue;
    chosen.push(c);
    for (const k of overOps) excess.set(k, (excess.get(k) as number) - bytes(c));
  }
  return widestDecision(plan, chosen);
}
