/**
 * An exhaustive enumerator of pofo's class, `offload-chain` (proofs/pofo.md, "The class"), written apart
 * from the solver from the class's definition: every spine of chain and leaf moves, every offload choice
 * of each spine checkpoint that may go to the host (`O` before the move's first forward, `D` after its
 * last), every placement of the prefetch a move carries (just before its backward part, or just after
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

/** Every schedule of the offload-chain class of a chain instance. */
export function offloadChainSchedules(instance: Instance): Instruction[][] {
  const ids = instance.nodes.map((node) => node.id);
  const id = (k: number) => ids[k] as string;
  const L = ids.length - 1;
  const linked = (instance.hardware?.bandwidth ?? 0) > 0;
  const canOffload = instance.nodes.map((node) => linked && node.offloadable !== false);
  const segment = persistentSegments(ids);
  const memo = new Map<string, SpineRun[]>();
  const spine = (s: number, carries: number): SpineRun[] => {
    const key = `${s},${carries}`;
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
    for (const offload of canOffload[s] ? [false, true] : [false]) {
      const before = offload ? [ops.offload(id(s))] : [];
      const after = offload ? [ops.freeActivation(id(s))] : [];
      const next = offload ? s : -1;
      const chainForward = [...before, ops.forward(id(s + 1), true), ...after];
      const chainRests =
        s === L - 1 ? [{ forward: offload ? [ops.prefetch(id(s))] : [], backward: [] }] : spine(s + 1, next);
      // a chain move offloads its checkpoint only when its backward reads it
      const readsInput = (instance.nodes[s + 1]?.needs ?? []).includes("inputs");
      for (const rest of offload && !readsInput ? [] : chainRests)
        for (const back of placements([ops.backward(id(s + 1)), ops.freeActivation(id(s + 1))]))
          out.push({ forward: [...chainForward, ...rest.forward], backward: [...rest.backward, ...back] });
      for (let j = s + 1; j < L; j++) {
        const sweep: Instruction[] = [ops.forward(id(s + 1))];
        for (let k = s + 1; k < j; k++) sweep.push(ops.forward(id(k + 1)), ops.freeActivation(id(k)));
        const forward = [...before, ...sweep, ...after];
        for (const rest of spine(j, next))
          for (const left of segment(s, j - 1))
            for (const back of placements(left))
              out.push({
                forward: [...forward, ...rest.forward],
                backward: [...rest.backward, ops.freeActivation(id(j)), ...back],
              });
      }
    }
    memo.set(key, out);
    return out;
  };
  return spine(0, -1).map((run) => [
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
