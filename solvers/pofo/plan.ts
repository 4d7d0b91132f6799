/**
 * From pofo's filled table to a schedule (proofs/pofo.md, "From the table to a schedule"): the spine's
 * moves read back from the root state, each leaf's left part as rotor's plan of its segment, and their
 * translation into remat's instructions with the copies placed as the recurrence prices them:
 * - an offloaded spine checkpoint `a_s`: `O v_s` before the move's first forward, `D a:v_s` after its
 *   last (the wait for the copy, if any, falls there);
 * - the prefetch a move carries (of `a_p`): `P v_p` just before its backward part (overlap) or just after
 *   it (serial); the reader of `a_p` (the caller's backward part) waits for it.
 * Loops only (STYLE.md, "No recursion over instance-sized structures").
 */
import { InternalError } from "../../src/errors.js";
import { type Instruction, ops, type Schedule } from "../../src/schedule/types.js";
import type { Deadline } from "../../src/time-limit.js";
import { type ChainPlan, emitPlan, planInstructionCount } from "../chain/plan.js";
import { tablePlan } from "../chain/reconstruct.js";
import { spineChoice } from "./spine.js";
import { backwardSlots, type CopyAction, type PrefetchMode, type SpineTable } from "./spine-layout.js";

/** One move of the spine, as read back. */
export interface SpineStep {
  readonly s: number;
  readonly kind: "chain" | "leaf";
  /** The leaf's j (s + 1 for a chain move). */
  readonly j: number;
  /** What the move does with `a_s`: keeps it, copies and frees it at its forward's end, or lets the copy run on. */
  readonly copy: CopyAction;
  /** The checkpoint whose pending copy this move frees at its forward's end (-1: none). */
  readonly frees: number;
  /** The activation whose prefetch this move's backward carries (-1: none). */
  readonly carries: number;
  readonly mode: PrefetchMode;
  /** A leaf's left part: rotor's plan of segment (s, j - 1). */
  readonly left?: ChainPlan;
}

/**
 * The spine's moves from the root state (0, topSlots, none).
 * @throws InternalError when the root is infeasible (the caller checks) or a state has no move
 * @throws TimeLimitReached when `deadline` passes (checked per move)
 */
export function readSpine(table: SpineTable, topSlots: number, deadline: Deadline): SpineStep[] {
  const steps: SpineStep[] = [];
  let state: State | undefined = { s: 0, m: topSlots, carries: -1, pending: -1 };
  while (state !== undefined) {
    deadline.check("read-back");
    const step = stepAt(table, state, deadline);
    steps.push(step);
    state = nextState(table, state, step);
  }
  return steps;
}

/**
 * A spine state: stage s, m free slots, the checkpoint whose prefetch it carries and the one whose copy
 * is still pending (-1: none).
 */
interface State {
  readonly s: number;
  readonly m: number;
  readonly carries: number;
  readonly pending: number;
}

/** The best move at `state`, with a leaf's left part read from rotor's table. */
function stepAt(table: SpineTable, { s, m, carries, pending }: State, deadline: Deadline): SpineStep {
  const choice = spineChoice(table, s, m, carries, pending);
  if (choice.timeMs === Number.POSITIVE_INFINITY)
    throw new InternalError(`pofo: no move at state (${s}, ${m}, ${carries}, ${pending})`);
  const frees = choice.frees ? pending : -1;
  const step = { s, kind: choice.kind, j: choice.j, copy: choice.copy, frees, carries, mode: choice.mode };
  if (choice.kind === "chain") return step;
  const backSlots = backwardSlots(table, m, pending);
  const leftSlots = choice.mode === "overlap" ? backSlots - (table.sizes.x[carries] as number) : backSlots;
  return { ...step, left: tablePlan(table.rotor, s, choice.j - 1, leftSlots, deadline) };
}

/** The state after `step` (undefined after the last stage's chain move). */
function nextState(table: SpineTable, { s, m, pending }: State, step: SpineStep): State | undefined {
  if (step.kind === "chain" && s === table.view.length - 1) return undefined;
  const { x, xbar } = table.sizes;
  const freed =
    (step.copy === "now" ? (x[s] as number) : 0) + (step.frees >= 0 ? (x[step.frees] as number) : 0);
  const made = step.kind === "chain" ? (xbar[s + 1] as number) : (x[step.j] as number);
  const stillPending = step.copy === "lagged" ? s : step.frees >= 0 ? -1 : pending;
  return { s: step.j, m: m + freed - made, carries: step.copy === "keep" ? -1 : s, pending: stillPending };
}

/** The instructions a spine of `steps` emits, counted before emitting (limits.ts caps them). */
export function spineInstructionCount(steps: readonly SpineStep[]): number {
  let count = 2;
  for (const step of steps) {
    count += (step.copy === "keep" ? 0 : 3) + (step.frees >= 0 ? 1 : 0) + (step.carries >= 0 ? 1 : 0);
    count += step.left === undefined ? 3 : 2 * (step.j - step.s) + planInstructionCount(step.left) - 2;
  }
  return count;
}

/**
 * The schedule of a spine: load the input, each move's forward part in order, then their backward parts
 * in reverse order, free the input.
 * @throws TimeLimitReached when `deadline` passes (checked per move and inside the left parts)
 */
export function spineSchedule(table: SpineTable, steps: readonly SpineStep[], deadline: Deadline): Schedule {
  const { ids } = table.view;
  const id = (k: number) => ids[k] as string;
  const out: Instruction[] = [ops.forward(id(0))];
  for (const step of steps) {
    deadline.check("schedule");
    emitForward(step, table.view.length, id, out);
  }
  for (let i = steps.length - 1; i >= 0; i--) emitBackward(table, steps[i] as SpineStep, id, out, deadline);
  out.push(ops.freeActivation(id(0)));
  return out;
}

/** A move's forward part: the copy of `a_s` around its forwards, and the free of a pending copy. */
function emitForward(step: SpineStep, L: number, id: (k: number) => string, out: Instruction[]): void {
  const { s, j } = step;
  if (step.copy !== "keep") out.push(ops.offload(id(s)));
  if (step.kind === "chain") out.push(ops.forward(id(s + 1), true));
  else {
    out.push(ops.forward(id(s + 1)));
    for (let k = s + 1; k < j; k++) out.push(ops.forward(id(k + 1)), ops.freeActivation(id(k)));
  }
  if (step.frees >= 0) out.push(ops.freeActivation(id(step.frees)));
  if (step.copy !== "now") return;
  out.push(ops.freeActivation(id(s)));
  // the last stage's rest is empty: the copy comes straight back for its backward
  if (step.kind === "chain" && s === L - 1) out.push(ops.prefetch(id(s)));
}

/** A move's backward part, with the prefetch it carries before (overlap) or after (serial) it. */
function emitBackward(
  table: SpineTable,
  step: SpineStep,
  id: (k: number) => string,
  out: Instruction[],
  deadline: Deadline,
): void {
  const prefetch = step.carries >= 0 ? ops.prefetch(id(step.carries)) : undefined;
  if (step.kind === "leaf") out.push(ops.freeActivation(id(step.j)));
  if (prefetch !== undefined && step.mode === "overlap") out.push(prefetch);
  if (step.kind === "chain") out.push(ops.backward(id(step.s + 1)), ops.freeActivation(id(step.s + 1)));
  else emitPlan(table.view, step.left as ChainPlan, out, deadline);
  if (prefetch !== undefined && step.mode === "serial") out.push(prefetch);
}
