/**
 * An exhaustive enumerator of the persistent class (proofs/chain-dp.md, "The class"), written apart
 * from the solver: every tree of chain and leaf moves over segment (0, L-1), as remat instructions,
 * judged only by the evaluator. Sizes: 1, 2, 6, 22, 90, 394, 1806 schedules for L = 1..7.
 */
import { evaluate, type ValidEvaluation } from "../../src/evaluate/evaluate.js";
import type { Instance } from "../../src/instance/types.js";
import { type Instruction, ops } from "../../src/schedule/types.js";

/**
 * The persistent class's segments of a chain with node ids `ids`: `segment(s, t)` lists every
 * instruction sequence processing stages s..t (`a_s` and `delta_{t+1}` resident before; `a_s` and
 * `delta_s` after). Memoized per segment.
 */
export function persistentSegments(ids: readonly string[]): (s: number, t: number) => Instruction[][] {
  const id = (k: number) => ids[k] as string;
  const memo = new Map<string, Instruction[][]>();
  const segment = (s: number, t: number): Instruction[][] => {
    const key = `${s},${t}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const out: Instruction[][] = [];
    for (const rest of s < t ? segment(s + 1, t) : [[]])
      out.push([
        ops.forward(id(s + 1), true),
        ...rest,
        ops.backward(id(s + 1)),
        ops.freeActivation(id(s + 1)),
      ]);
    for (let j = s + 1; j <= t; j++) {
      const sweep: Instruction[] = [ops.forward(id(s + 1))];
      for (let k = s + 1; k < j; k++) sweep.push(ops.forward(id(k + 1)), ops.freeActivation(id(k)));
      for (const right of segment(j, t))
        for (const left of segment(s, j - 1))
          out.push([...sweep, ...right, ops.freeActivation(id(j)), ...left]);
    }
    memo.set(key, out);
    return out;
  };
  return segment;
}

/** Every schedule of the persistent class of a chain instance (all nodes recomputable but the input). */
export function persistentSchedules(instance: Instance): Instruction[][] {
  const ids = instance.nodes.map((node) => node.id);
  const L = ids.length - 1;
  const segment = persistentSegments(ids);
  return segment(0, L - 1).map((body) => [
    ops.forward(ids[0] as string),
    ...body,
    ops.freeActivation(ids[0] as string),
  ]);
}

/** The best evaluation within `budgetBytes`, by (makespan, recomputations, peak), or undefined. */
export function exhaustiveBest(instance: Instance, budgetBytes: number): ValidEvaluation | undefined {
  let best: ValidEvaluation | undefined;
  for (const schedule of persistentSchedules(instance)) {
    const evaluation = evaluate(instance, schedule);
    if (!evaluation.valid) throw new Error(`enumerated an invalid schedule: ${evaluation.error.reason}`);
    if (evaluation.peakBytes > budgetBytes) continue;
    if (
      best === undefined ||
      evaluation.makespanMs < best.makespanMs ||
      (evaluation.makespanMs === best.makespanMs &&
        (evaluation.recomputations < best.recomputations ||
          (evaluation.recomputations === best.recomputations && evaluation.peakBytes < best.peakBytes)))
    )
      best = evaluation;
  }
  return best;
}

/** The least and the largest peak over the class. */
export function peakRange(instance: Instance): { readonly least: number; readonly most: number } {
  let least = Number.POSITIVE_INFINITY;
  let most = 0;
  for (const schedule of persistentSchedules(instance)) {
    const evaluation = evaluate(instance, schedule);
    if (!evaluation.valid) throw new Error(`enumerated an invalid schedule: ${evaluation.error.reason}`);
    least = Math.min(least, evaluation.peakBytes);
    most = Math.max(most, evaluation.peakBytes);
  }
  return { least, most };
}
