/**
 * An exhaustive enumerator of pofo's class, `offload-chain` (proofs/pofo.md, "The class"), written apart
 * from the solver from the class's definition: every spine of chain and leaf moves, every offload choice
 * of each spine checkpoint that may go to the host (`O` before the move's first forward, `D` after the
 * last forward of that move or of a later one, no other copy starting meanwhile), every placement of the prefetch a move carries (just before its backward part, or just after
 * it), and every persistent plan of each leaf's left part (test/chain/enumerate.ts), judged only by the
 * evaluator. Invalid members (a recomputed node that may not be recomputed) are dropped.
 */
import { evaluate, type ValidEvaluation } from "../../src/evaluate/evaluate.js";
import type { Instance } from "../../src/instance/types.js";
import { type Instruction, ops } from "../../src/schedule/types.js";
import { persistentSegments } from "../chain/enumerate.js";

/** One way to run the spine from a stage on: its forward instructions, and its backward ones in run order. */
interface SpineRun {
  readonly forward: readonly Instruction[];
  readonly backward: readonly Instruction[];
}

/** Every member of the offload-chain class of a chain instance, evaluated (invalid members dropped). */
export function offloadChainEvaluations(instance: Instance): ValidEvaluation[] {
  return offloadChainSchedules(instance)
    .map((schedule) => evaluate(instance, schedule))
    .filter((evaluation): evaluation is ValidEvaluation => evaluation.valid);
}

/** What one spine move does with the copies: its own checkpoint's, and a pending one's. */
interface CopyChoice {
  /** `O v_s` first. */
  readonly offload: boolean;
  /** `D a:v_s` after the move's forwards (the copy ends within this move). */
  readonly freeOwn: boolean;
  /** `D` of the pending copy after the move's forwards. */
  readonly freePending: boolean;
}

/**
 * The copy choices at stage s with `pending` (-1: none) still copying: a pending copy is freed now or
 * (but at the last stage) later, and no other copy starts meanwhile; otherwise `a_s` is kept, copied
 * and freed now, or (but at the last stage) copied and freed by a later move.
 */
function copyChoices(mayCopy: boolean, pending: number, last: boolean): CopyChoice[] {
  const none = { offload: false, freeOwn: false, freePending: false };
  if (pending >= 0) return last ? [{ ...none, freePending: true }] : [{ ...none, freePending: true }, none];
  if (!mayCopy) return [none];
  const choices = [none, { ...none, offload: true, freeOwn: true }];
  return last ? choices : [...choices, { ...none, offload: true }];
}

/** Every schedule of the offload-chain class of a chain instance. */
export function offloadChainSchedules(instance: Instance): Instruction[][] {
  const ids = instance.nodes.map((node) => node.id);
  const id = (k: number) => ids[k] as string;
  const L = ids.length - 1;
  const linked = (instance.hardware?.bandwidth ?? 0) > 0;
  const canOffload = instance.nodes.map((node) => linked && node.offloadable !== false);
  const segment = persistentSegments(ids);
  const memo = new Map<string, SpineRun[]>();
  const spine = (s: number, carries: number, pending: number): SpineRun[] => {
    const key = `${s},${carries},${pending}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const placements = (body: readonly Instruction[]): Instruction[][] =>
      carries < 0
        ? [[...body]]
        : [
            [ops.prefetch(id(carries)), ...body],
            [...body, ops.prefetch(id(carries))],
          ];
    const out: SpineRun[] = [];
    // a chain move offloads its checkpoint only when its backward reads it
    const readsInput = (instance.nodes[s + 1]?.needs ?? []).includes("inputs");
    for (const copy of copyChoices(canOffload[s] === true && readsInput, pending, s === L - 1))
      addRuns(
        copy,
        [ops.forward(id(s + 1), true)],
        s === L - 1 ? undefined : s + 1,
        [],
        [ops.backward(id(s + 1)), ops.freeActivation(id(s + 1))],
      );
    for (let j = s + 1; j < L; j++) {
      const sweep: Instruction[] = [ops.forward(id(s + 1))];
      for (let k = s + 1; k < j; k++) sweep.push(ops.forward(id(k + 1)), ops.freeActivation(id(k)));
      for (const copy of copyChoices(canOffload[s] === true, pending, false))
        for (const left of segment(s, j - 1)) addRuns(copy, sweep, j, [ops.freeActivation(id(j))], left);
    }
    memo.set(key, out);
    return out;

    /** The runs of one move: `before` its backward part (a leaf's `D a:v_j`), then `back` with the prefetch around it. */
    function addRuns(
      copy: CopyChoice,
      forwards: readonly Instruction[],
      next: number | undefined,
      before: readonly Instruction[],
      back: readonly Instruction[],
    ): void {
      const forward = [
        ...(copy.offload ? [ops.offload(id(s))] : []),
        ...forwards,
        ...(copy.freePending ? [ops.freeActivation(id(pending))] : []),
        ...(copy.freeOwn ? [ops.freeActivation(id(s))] : []),
      ];
      const stillPending =
        copy.offload && !copy.freeOwn ? s : pending >= 0 && !copy.freePending ? pending : -1;
      const rests =
        next === undefined
          ? [{ forward: copy.offload ? [ops.prefetch(id(s))] : [], backward: [] }]
          : spine(next, copy.offload ? s : -1, stillPending);
      for (const run of rests)
        for (const placed of placements(back))
          out.push({
            forward: [...forward, ...run.forward],
            backward: [...run.backward, ...before, ...placed],
          });
    }
  };
  return spine(0, -1, -1).map((run) => [
    ops.forward(id(0)),
    ...run.forward,
    ...run.backward,
    ops.freeActivation(id(0)),
  ]);
}

/** The least makespan within `budgetBytes` over `evaluations`, or undefined when none fits. */
export function leastMakespan(
  evaluations: readonly ValidEvaluation[],
  budgetBytes: number,
): number | undefined {
  let best: number | undefined;
  for (const evaluation of evaluations)
    if (evaluation.peakBytes <= budgetBytes && (best === undefined || evaluation.makespanMs < best))
      best = evaluation.makespanMs;
  return best;
}
