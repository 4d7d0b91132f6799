/**
 * Valid inequalities that give offload-milp's LP relaxation the fluid bound (proofs/offload-milp.md,
 * "Energy cuts"): the offloads whose frees come before op k share one channel, each starting after its
 * activation's earliest production, so op k cannot start before the earliest of those releases plus
 * their total transfer time; and the prefetches whose windows reach op k run after it and end before
 * the reads they serve. Rows: over-budget ops x (distinct release times + distinct reads), each with at
 * most one term per absence.
 */
import type { LpTerm, ModelBuilder } from "../../src/lp/model.js";
import type { Deadline } from "../../src/time-limit.js";
import type { OffloadPlan } from "./milp-plan.js";

/** Absence c's columns: its use, prefetch start, window binaries and their running sums. */
export interface AbsenceColumns {
  readonly use: number;
  readonly pi: number;
  readonly alpha: readonly number[];
  readonly beta: readonly number[];
  /** `started[t]` = sum of alpha[0..t]: the free came before over-op t (continuous, defined by a row). */
  readonly started: readonly number[];
  /** `ending[t]` = u - sum of beta[0..t-1]: the window ends at over-op t or later. */
  readonly ending: readonly number[];
}

/** Earliest start of each op (compute only, no stalls), ms. */
function earliestStarts(plan: OffloadPlan): number[] {
  const starts: number[] = [];
  let t = 0;
  for (const ms of plan.opMs) {
    starts.push(t);
    t += ms;
  }
  return starts;
}

/** The column (or none) equal to 1 when absence c's free came before op k: 0 before its window, u after it. */
function startedBy(plan: OffloadPlan, cols: AbsenceColumns, c: number, k: number): number | undefined {
  const overOps = (plan.absences[c] as OffloadPlan["absences"][number]).overOps;
  const t = overOps.indexOf(k);
  if (t >= 0) return cols.started[t];
  if (k > (overOps[overOps.length - 1] as number)) return cols.use;
  return undefined;
}

/** The column (or none) equal to 1 when absence c's window ends at op k or later. */
function endingAfter(plan: OffloadPlan, cols: AbsenceColumns, c: number, k: number): number | undefined {
  const overOps = (plan.absences[c] as OffloadPlan["absences"][number]).overOps;
  const t = overOps.indexOf(k);
  if (t >= 0) return cols.ending[t];
  if (k < (overOps[0] as number)) return cols.use;
  return undefined;
}

/** The absences of nodes with exactly one absence (their offload is counted once). */
function singleAbsences(plan: OffloadPlan): number[] {
  const count = new Map<number, number>();
  for (const a of plan.absences) count.set(a.node, (count.get(a.node) ?? 0) + 1);
  return plan.absences.flatMap((a, c) => (count.get(a.node) === 1 ? [c] : []));
}

/** The release of absence c's offload: the earliest end of its node's forward, ms. */
function releaseOf(plan: OffloadPlan, earliest: readonly number[], c: number): number {
  const prod = plan.production[(plan.absences[c] as { node: number }).node] as number;
  return (earliest[prod] as number) + (plan.opMs[prod] as number);
}

/** Offload energy: S[k] >= r + sum of d over single absences released at or after r with their free before k. */
function addOffloadCuts(
  m: ModelBuilder,
  plan: OffloadPlan,
  start: readonly number[],
  absences: readonly AbsenceColumns[],
  earliest: readonly number[],
) {
  const single = singleAbsences(plan);
  const thresholds = [...new Set(single.map((c) => releaseOf(plan, earliest, c)))].sort((a, b) => a - b);
  for (const k of plan.overOps)
    for (const r of thresholds) {
      const terms: LpTerm[] = [[start[k] as number, 1]];
      for (const c of single)
        if (releaseOf(plan, earliest, c) >= r)
          pushTerm(terms, startedBy(plan, absences[c] as AbsenceColumns, c, k), plan, c);
      if (terms.length > 1) m.addConstraint(`energyO${k}_${r}`, terms, { lower: r });
    }
}

/** Appends `-d * column` for absence c's transfer time d, when there is a column. */
function pushTerm(terms: LpTerm[], column: number | undefined, plan: OffloadPlan, c: number): void {
  const node = (plan.absences[c] as { node: number }).node;
  if (column !== undefined) terms.push([column, -(plan.transferMs[node] as number)]);
}

/** Prefetch energy: S[j] >= S[k] + opMs[k] + sum of d over absences read by j or earlier whose window reaches k. */
function addPrefetchCuts(
  m: ModelBuilder,
  plan: OffloadPlan,
  start: readonly number[],
  absences: readonly AbsenceColumns[],
  deadline: Deadline,
) {
  const reads = [...new Set(plan.absences.map((a) => a.before))].sort((a, b) => a - b);
  for (const k of plan.overOps) {
    deadline.check("building the offload MILP's cuts");
    for (const j of reads) {
      if (j <= k) continue;
      const terms: LpTerm[] = [
        [start[j] as number, 1],
        [start[k] as number, -1],
      ];
      plan.absences.forEach((a, c) => {
        if (a.before <= j) pushTerm(terms, endingAfter(plan, absences[c] as AbsenceColumns, c, k), plan, c);
      });
      if (terms.length > 2) m.addConstraint(`energyP${k}_${j}`, terms, { lower: plan.opMs[k] as number });
    }
  }
}

/** Adds both families of energy cuts. @throws TimeLimitReached when `deadline` passes */
export function addEnergyCuts(
  m: ModelBuilder,
  plan: OffloadPlan,
  start: readonly number[],
  absences: readonly AbsenceColumns[],
  deadline: Deadline,
): void {
  const earliest = earliestStarts(plan);
  addOffloadCuts(m, plan, start, absences, earliest);
  addPrefetchCuts(m, plan, start, absences, deadline);
}
