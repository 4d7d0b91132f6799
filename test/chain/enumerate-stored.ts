/**
 * An exhaustive enumerator of the stored class (proofs/chain-dp.md, "Stored forms"), written apart from
 * the solver: every tree of chain and leaf moves over segment (0, L-1) as enumerate.ts builds them, each
 * move that waits (a chain move with a sub-segment, a leaf) holding its start `a_s` as itself or in any
 * stored form the node offers among `modes` (smaller or not: the enumerator leaves out nothing), as
 * remat instructions judged only by the evaluator.
 */
import { evaluate, type ValidEvaluation } from "../../src/evaluate/evaluate.js";
import type { Instance, StorageMode } from "../../src/instance/types.js";
import { type Instruction, ops } from "../../src/schedule/types.js";

/** Every schedule of the stored class of a chain instance (all nodes recomputable but the input). */
export function storedSchedules(instance: Instance, modes: readonly StorageMode[]): Instruction[][] {
  const ids = instance.nodes.map((node) => node.id);
  const id = (k: number) => ids[k] as string;
  const offered = (k: number): (StorageMode | undefined)[] => [
    undefined,
    ...modes.filter((mode) => instance.nodes[k]?.storage[mode] !== undefined),
  ];
  const store = (k: number, mode: StorageMode | undefined): [Instruction[], Instruction[]] =>
    mode === undefined
      ? [[], []]
      : [
          [ops.convert(id(k), mode), ops.freeActivation(id(k))],
          [ops.expand(id(k)), ops.freeStored(id(k))],
        ];
  const memo = new Map<string, Instruction[][]>();
  const segment = (s: number, t: number): Instruction[][] => {
    const key = `${s},${t}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const out: Instruction[][] = [];
    const tail = [ops.backward(id(s + 1)), ops.freeActivation(id(s + 1))];
    if (s === t) out.push([ops.forward(id(s + 1), true), ...tail]);
    else
      for (const mode of offered(s))
        for (const rest of segment(s + 1, t)) {
          const [convert, expand] = store(s, mode);
          out.push([ops.forward(id(s + 1), true), ...convert, ...rest, ...expand, ...tail]);
        }
    for (let j = s + 1; j <= t; j++)
      for (const mode of offered(s)) {
        const [convert, expand] = store(s, mode);
        const sweep: Instruction[] = [ops.forward(id(s + 1)), ...convert];
        for (let k = s + 1; k < j; k++) sweep.push(ops.forward(id(k + 1)), ops.freeActivation(id(k)));
        for (const right of segment(j, t))
          for (const left of segment(s, j - 1))
            out.push([...sweep, ...right, ops.freeActivation(id(j)), ...expand, ...left]);
      }
    memo.set(key, out);
    return out;
  };
  return segment(0, ids.length - 2).map((body) => [ops.forward(id(0)), ...body, ops.freeActivation(id(0))]);
}

/** The evaluations of every schedule of the stored class (each must be valid). */
export function storedEvaluations(instance: Instance, modes: readonly StorageMode[]): ValidEvaluation[] {
  return storedSchedules(instance, modes).map((schedule) => {
    const evaluation = evaluate(instance, schedule);
    if (!evaluation.valid) throw new Error(`enumerated an invalid schedule: ${evaluation.error.reason}`);
    return evaluation;
  });
}

/** The best of `evaluations` within `budgetBytes` by (makespan, recomputations, peak), or undefined. */
export function bestWithin(
  evaluations: readonly ValidEvaluation[],
  budgetBytes: number,
): ValidEvaluation | undefined {
  let best: ValidEvaluation | undefined;
  for (const e of evaluations) {
    if (e.peakBytes > budgetBytes) continue;
    if (
      best === undefined ||
      e.makespanMs < best.makespanMs ||
      (e.makespanMs === best.makespanMs &&
        (e.recomputations < best.recomputations ||
          (e.recomputations === best.recomputations && e.peakBytes < best.peakBytes)))
    )
      best = e;
  }
  return best;
}
