/**
 * A schedule of the persistent class as a tree of moves (Beaumont et al. 2019, section 4; rotor's
 * back-pointers), and its translation into remat's instructions (DESIGN.md, "Chain view"):
 * `F_all` = `F v tape`, `F_ck` = `F v`, `F_empty` = `F v` then `D` of its input, `B` = `B v` then `D`
 * of the stage's output. Stage l is node `v_{l+1}`.
 *
 * A plan is up to L deep (an all-chain plan nests L chain moves), so every walk here is a loop with an
 * explicit stack (STYLE.md, "No recursion over instance-sized structures").
 *
 * @see ../../proofs/chain-dp.md, "From the table to a schedule"
 */
import type { StorageMode } from "../../src/instance/types.js";
import { type Instruction, ops, type Schedule } from "../../src/schedule/types.js";
import { type Deadline, NO_DEADLINE } from "../../src/time-limit.js";
import type { ChainView } from "./chain-view.js";

/**
 * Processing segment (s, t) (stages s..t, with `a_s` and `delta_{t+1}` resident on entry; on exit
 * `delta_s` and `a_s` resident, all else the segment made freed):
 * - `chain`: F_all^s, then `rest` (segment (s+1, t), absent when s = t), then B^s;
 * - `leaf`: F_ck^s, F_empty^{s+1..j-1} (so `a_s` and `a_j` are resident), then `right` (segment (j, t)),
 *   free `a_j`, then `left` (segment (s, j-1)).
 * With `mode` (the stored class, proofs/chain-dp.md, "Stored forms"), `a_s` waits in that stored form:
 * `C v_s MODE`, `D a:v_s` right after the move's first forward, and `X v_s`, `D s:v_s` once the part it
 * waits for is done (a chain move's `rest`, before B^s; a leaf's `right`, after freeing `a_j`).
 */
export type ChainPlan =
  | { readonly kind: "chain"; readonly s: number; readonly rest?: ChainPlan; readonly mode?: StorageMode }
  | {
      readonly kind: "leaf";
      readonly s: number;
      readonly j: number;
      readonly right: ChainPlan;
      readonly left: ChainPlan;
      readonly mode?: StorageMode;
    };

/**
 * What {@link buildPlan} asks of a segment (named by a key of the caller's choice, e.g. (s, t, m)):
 * a finished plan, or a chain or leaf move whose parts are the segments named by the keys.
 */
export type PlanStep<K> =
  | { readonly kind: "done"; readonly plan: ChainPlan }
  | { readonly kind: "chain"; readonly s: number; readonly rest?: K; readonly mode?: StorageMode }
  | {
      readonly kind: "leaf";
      readonly s: number;
      readonly j: number;
      readonly right: K;
      readonly left: K;
      readonly mode?: StorageMode;
    };

/**
 * Builds a plan top-down without recursion: `decide` is called once per segment of the plan, the
 * right part of a leaf before its left part (the order the recursive builders used), and the parts are
 * assembled bottom-up. O(plan nodes) besides `decide`.
 */
export function buildPlan<K>(root: K, decide: (key: K) => PlanStep<K>): ChainPlan {
  const work: PlanWork<K>[] = [{ key: root }];
  const built: ChainPlan[] = [];
  while (work.length > 0) {
    const item = work.pop() as PlanWork<K>;
    if (item.step !== undefined) {
      assemble(item.step, built);
      continue;
    }
    const step = decide(item.key);
    if (step.kind === "done") built.push(step.plan);
    else expand(step, work);
  }
  return built[0] as ChainPlan;
}

/** {@link buildPlan}'s work list: a segment still to decide, or a decided move waiting for its parts. */
type PlanWork<K> = { readonly key: K; readonly step?: never } | { readonly step: PlanStep<K> };

/**
 * Queues a decided move, then its parts above it, so that they are decided first: the right part of a
 * leaf before its left part.
 */
function expand<K>(step: Exclude<PlanStep<K>, { kind: "done" }>, work: PlanWork<K>[]): void {
  work.push({ step });
  if (step.kind === "leaf") work.push({ key: step.left }, { key: step.right });
  else if (step.rest !== undefined) work.push({ key: step.rest });
}

/** Replaces a move's finished parts, on top of `built` (the left part last), by the move's plan. */
function assemble<K>(step: PlanStep<K>, built: ChainPlan[]): void {
  if (step.kind === "done") return;
  let plan: ChainPlan;
  if (step.kind === "chain")
    plan =
      step.rest === undefined
        ? { kind: "chain", s: step.s }
        : { kind: "chain", s: step.s, rest: built.pop() as ChainPlan };
  else {
    const left = built.pop() as ChainPlan;
    const right = built.pop() as ChainPlan;
    plan = { kind: "leaf", s: step.s, j: step.j, right, left };
  }
  built.push(step.mode === undefined ? plan : { ...plan, mode: step.mode });
}

/**
 * The whole schedule: load the input, process (0, L-1), free the input.
 * @throws TimeLimitReached when `deadline` passes (checked at every move)
 */
export function planSchedule(view: ChainView, plan: ChainPlan, deadline: Deadline = NO_DEADLINE): Schedule {
  const out: Instruction[] = [ops.forward(view.ids[0] as string)];
  emitPlan(view, plan, out, deadline);
  out.push(ops.freeActivation(view.ids[0] as string));
  return out;
}

/**
 * Appends the instructions of `plan` for its segment (s, t) to `out`: `a_s` and `delta_{t+1}` resident
 * before, `a_s` and `delta_s` after, everything else the segment made freed.
 * @throws TimeLimitReached when `deadline` passes (checked at every move)
 */
export function emitPlan(
  view: ChainView,
  plan: ChainPlan,
  out: Instruction[],
  deadline: Deadline = NO_DEADLINE,
): void {
  const { ids } = view;
  const id = (k: number) => ids[k] as string;
  const stack: EmitItem[] = [plan];
  while (stack.length > 0) {
    const item = stack.pop() as EmitItem;
    if (typeof item === "number") {
      if (item > 0) out.push(ops.backward(id(item)), ops.freeActivation(id(item)));
      else out.push(ops.freeActivation(id(-item)));
    } else if ("expand" in item) out.push(ops.expand(id(item.expand)), ops.freeStored(id(item.expand)));
    else {
      deadline.check("schedule");
      openMove(item, out, stack, id);
    }
  }
}

/**
 * What {@link emitPlan} has left to emit: a plan node, or the instructions that close a move: `B v_k`,
 * `D a:v_k` for a chain move at stage k - 1 (k > 0), `D a:v_{-k}` after a leaf's right part (k < 0),
 * `X v_k`, `D s:v_k` after the part a stored start waited for (`expand`).
 */
type EmitItem = ChainPlan | number | { readonly expand: number };

/** Emits a move's opening instructions and stacks what follows (its parts and closing instructions). */
function openMove(item: ChainPlan, out: Instruction[], stack: EmitItem[], id: (k: number) => string): void {
  const stored = item.mode;
  const convert = () => {
    if (stored !== undefined) out.push(ops.convert(id(item.s), stored), ops.freeActivation(id(item.s)));
  };
  if (item.kind === "chain") {
    out.push(ops.forward(id(item.s + 1), true));
    convert();
    stack.push(item.s + 1);
    if (stored !== undefined) stack.push({ expand: item.s });
    if (item.rest !== undefined) stack.push(item.rest);
    return;
  }
  out.push(ops.forward(id(item.s + 1)));
  convert();
  for (let k = item.s + 1; k < item.j; k++) out.push(ops.forward(id(k + 1)), ops.freeActivation(id(k)));
  stack.push(item.left);
  if (stored !== undefined) stack.push({ expand: item.s });
  stack.push(-item.j, item.right);
}

/** The number of instructions {@link planSchedule} emits for `plan`, in O(plan nodes). */
export function planInstructionCount(plan: ChainPlan): number {
  let count = 2;
  const stack: ChainPlan[] = [plan];
  while (stack.length > 0) {
    const node = stack.pop() as ChainPlan;
    if (node.mode !== undefined) count += 4;
    if (node.kind === "chain") {
      count += 3;
      if (node.rest !== undefined) stack.push(node.rest);
    } else {
      count += 2 * (node.j - node.s);
      stack.push(node.right, node.left);
    }
  }
  return count;
}

/** The all-chain plan of segment (s, t): every stage forward once with tape (store-all). */
export function allChainPlan(s: number, t: number): ChainPlan {
  let plan: ChainPlan = { kind: "chain", s: t };
  for (let k = t - 1; k >= s; k--) plan = { kind: "chain", s: k, rest: plan };
  return plan;
}

/** The time a stored form of `a_s` adds to its move (convert plus expand), ms. */
export type StoredMs = (s: number, mode: StorageMode) => number;

/**
 * Makespan of a plan's stages in the order the DP sums them (without the input's load), ms: a chain
 * move is `(u_f[s] + u_b[s]) + rest`, a leaf `(sweep + right) + left`, evaluated bottom-up so that the
 * float sums are the ones a recursive evaluation gives. A move with a stored form adds `storedMs` to
 * its first term (`((u_f[s] + u_b[s]) + stored) + rest`, `((sweep + stored) + right) + left`).
 */
export function planTimeMs(view: ChainView, plan: ChainPlan, storedMs: StoredMs = () => 0): number {
  // a node is pushed once to expand its parts and once (as `done`) to combine their values
  const stack: { readonly node: ChainPlan; readonly done: boolean }[] = [{ node: plan, done: false }];
  const values: number[] = [];
  while (stack.length > 0) {
    const { node, done } = stack.pop() as { node: ChainPlan; done: boolean };
    if (done) {
      values.push(moveTimeMs(view, node, values, storedMs));
      continue;
    }
    stack.push({ node, done: true });
    if (node.kind === "leaf") stack.push({ node: node.left, done: false }, { node: node.right, done: false });
    else if (node.rest !== undefined) stack.push({ node: node.rest, done: false });
  }
  return values[0] as number;
}

/**
 * The time of one move of a plan, ms, taking its parts' times off the top of `values` (the left part
 * last): `(u_f[s] + u_b[s]) + rest` for a chain move, `(sweep + right) + left` for a leaf.
 */
function moveTimeMs(view: ChainView, node: ChainPlan, values: number[], storedMs: StoredMs): number {
  const withStored = (ms: number) => (node.mode === undefined ? ms : ms + storedMs(node.s, node.mode));
  if (node.kind === "chain") {
    const stageMs = withStored((view.uf[node.s] as number) + (view.ub[node.s] as number));
    return stageMs + (node.rest !== undefined ? (values.pop() as number) : 0);
  }
  const left = values.pop() as number;
  const right = values.pop() as number;
  let sweep = 0;
  for (let k = node.s; k < node.j; k++) sweep += view.uf[k] as number;
  return withStored(sweep) + right + left;
}
