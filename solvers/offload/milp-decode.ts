/**
 * Reads an offload decision off a solution of offload-milp's model: the absences used and their windows,
 * and each channel's order (by start time, ties broken by the order binaries). O(columns + k log k).
 */
import type { OffloadColumns } from "./milp-model.js";
import type { OffloadPlan } from "./milp-plan.js";
import type { OffloadDecision, Window } from "./milp-rebuild.js";

/** A binary's value read as a boolean (solutions are integral within the backend's tolerance). */
const on = (values: ArrayLike<number>, column: number): boolean => (values[column] as number) > 0.5;

/**
 * Orders `items` by their time column, ties by the pairwise order binaries `order[i][j]` (i < j: 1 when
 * i goes first).
 */
function channelOrder(
  items: readonly number[],
  time: (i: number) => number,
  order: readonly (readonly number[])[],
  values: ArrayLike<number>,
): number[] {
  return [...items].sort((i, j) => {
    const dt = time(i) - time(j);
    if (Math.abs(dt) > 1e-9 * Math.max(1, Math.abs(time(i)))) return dt;
    if (i < j) return on(values, order[i]?.[j] as number) ? -1 : 1;
    return on(values, order[j]?.[i] as number) ? 1 : -1;
  });
}

/** The decision a solution's `values` encode; undefined when a used absence has no window (bad rounding). */
export function decodeDecision(
  plan: OffloadPlan,
  columns: OffloadColumns,
  values: ArrayLike<number>,
): OffloadDecision | undefined {
  const windows: Window[] = [];
  const usedAbsences: number[] = [];
  const offloaded = new Set<number>();
  let broken = false;
  plan.absences.forEach((absence, c) => {
    if (!on(values, columns.use[c] as number)) return;
    const first = absence.overOps.findIndex((_, t) => on(values, columns.alpha[c]?.[t] as number));
    const last = absence.overOps.findIndex((_, t) => on(values, columns.beta[c]?.[t] as number));
    if (first < 0 || last < first) broken = true;
    windows.push({
      absence: c,
      first: absence.overOps[first] as number,
      last: absence.overOps[last] as number,
    });
    usedAbsences.push(c);
    offloaded.add(absence.node);
  });
  if (broken) return undefined;
  const positions = plan.offloadNodes.flatMap((v, i) => (offloaded.has(v) ? [i] : []));
  const sigma = (i: number) => values[columns.sigma[i] as number] as number;
  const offloadOrder = channelOrder(positions, sigma, columns.y, values).map(
    (i) => plan.offloadNodes[i] as number,
  );
  const pi = (c: number) => values[columns.pi[c] as number] as number;
  const prefetchAbsences = channelOrder(usedAbsences, pi, columns.z, values);
  const windowOf = new Map(usedAbsences.map((c, w) => [c, w]));
  return { windows, offloadOrder, prefetchOrder: prefetchAbsences.map((c) => windowOf.get(c) as number) };
}
