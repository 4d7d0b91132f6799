/**
 * Reads the optimal plan back out of a filled time table (rotor keeps back-pointers; we recompute the
 * winning move instead, which costs O(L) per segment visited and saves a table). At each segment the
 * budget is first lowered to the least m with the same (time, forwards) value: the schedule found
 * there has its peak exactly at that m, so this breaks remaining ties toward the lower peak.
 *
 * @see ../../proofs/chain-dp.md, "From the table to a schedule" and "Ties"
 */
import { InternalError } from "../../src/errors.js";
import { type Deadline, NO_DEADLINE } from "../../src/time-limit.js";
import { chainNeed, sweepNeed } from "./memory.js";
import { allChainPlan, buildPlan, type ChainPlan, type PlanStep } from "./plan.js";
import type { TimeTable } from "./table.js";

/** The table's value at (m, s, t) and its index in the table, or undefined when m is below the segment's need. */
export function tableValue(
  table: TimeTable,
  s: number,
  t: number,
  m: number,
): { readonly timeMs: number; readonly forwards: number; readonly index: number } | undefined {
  const p = s * table.view.length + t;
  const last = table.last[p] as number;
  if (last < 0 || m < (table.edges.need[p] as number)) return undefined;
  const index = (table.rows.base[p] as number) + Math.min(m, last);
  return {
    timeMs: table.rows.time[index] as number,
    forwards: table.rows.forwards[index] as number,
    index,
  };
}

/**
 * The optimal plan of segment (s, t) at budget m (which must be feasible), built without recursion
 * (plan.ts, `buildPlan`).
 * @throws InternalError if no move attains the table's value
 * @throws TimeLimitReached when `deadline` passes (checked at every segment of the plan)
 */
export function tablePlan(
  table: TimeTable,
  s: number,
  t: number,
  m: number,
  deadline: Deadline = NO_DEADLINE,
): ChainPlan {
  return buildPlan<Segment>({ s, t, m }, (segment) => {
    deadline.check("read-back");
    return tableMove(table, segment);
  });
}

/** A segment (s, t) at a budget of m slots. */
interface Segment {
  readonly s: number;
  readonly t: number;
  readonly m: number;
}

/** The move that attains the table's value at (m, s, t), after lowering m to the least with that value. */
function tableMove(table: TimeTable, { s, t, m }: Segment): PlanStep<Segment> {
  const found = tableValue(table, s, t, m);
  if (found === undefined) throw new InternalError(`chain-dp: segment (${s}, ${t}) infeasible at ${m} slots`);
  const p = s * table.view.length + t;
  const at = leastEqualBudget(table, p, found);
  if (at >= (table.edges.full[p] as number)) return { kind: "done", plan: allChainPlan(s, t) };
  const step = chainMoveAt(table, s, t, at, found) ?? leafMoveAt(table, s, t, at, found);
  if (step === undefined)
    throw new InternalError(`chain-dp: no move attains the table's value at (${at}, ${s}, ${t})`);
  return step;
}

/** The table's (time, forwards) at one entry of segment p. */
interface Entry {
  readonly timeMs: number;
  readonly forwards: number;
  readonly index: number;
}

/** The least m of segment p at which the table holds the same (time, forwards) as at `found`. */
function leastEqualBudget(table: TimeTable, p: number, found: Entry): number {
  const T = table.rows.time;
  const N = table.rows.forwards;
  const { timeMs, forwards } = found;
  const first = (table.rows.base[p] as number) + (table.edges.need[p] as number);
  let index = found.index;
  while (index > first && T[index - 1] === timeMs && N[index - 1] === forwards) index--;
  return index - (table.rows.base[p] as number);
}

/** The chain move of (s, t) at m = `at`, when it attains `target` exactly. */
function chainMoveAt(
  table: TimeTable,
  s: number,
  t: number,
  at: number,
  target: Entry,
): PlanStep<Segment> | undefined {
  if (s >= t) return undefined;
  const { view } = table;
  const { sizes } = table.slots;
  const xb = sizes.xbar[s + 1] as number;
  const sub = at >= chainNeed(sizes, s, t) ? tableValue(table, s + 1, t, at - xb) : undefined;
  if (
    sub !== undefined &&
    (view.uf[s] as number) + (view.ub[s] as number) + sub.timeMs === target.timeMs &&
    1 + sub.forwards === target.forwards
  )
    return { kind: "chain", s, rest: { s: s + 1, t, m: at - xb } };
  return undefined;
}

/** The first leaf move of (s, t) at m = `at` (by j ascending) that attains `target` exactly. */
function leafMoveAt(
  table: TimeTable,
  s: number,
  t: number,
  at: number,
  target: Entry,
): PlanStep<Segment> | undefined {
  const { view } = table;
  const { sizes } = table.slots;
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
      sweepMs + right.timeMs + left.timeMs === target.timeMs &&
      j - s + right.forwards + left.forwards === target.forwards
    )
      return { kind: "leaf", s, j, right: { s: j, t, m: at - xj }, left: { s, t: j - 1, m: at } };
  }
  return undefined;
}
