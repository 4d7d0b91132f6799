/**
 * First-improvement local search over kept sets, judged by the evaluator: toggle one free candidate
 * in or out of the kept set and accept the change when the order `better` prefers it. Passes repeat
 * until a pass improves nothing or the evaluation budget or deadline runs out. Each step costs one
 * evaluation, O(n + m); a pass costs O(n (n + m)).
 */
import type { Instance } from "../../src/instance/types.js";
import { type JudgedKeep, judgeKeep } from "./kept-evaluation.js";

export interface LocalSearchLimits {
  /** Most evaluations to spend. */
  readonly evaluations: number;
  /** `performance.now()` after which to stop. */
  readonly deadline: number;
}

/**
 * Improves `start` by single toggles of `candidates`.
 * @param better strict preference between two judged sets (e.g. lessMemory)
 * @returns the best set found (at least as good as `start`) and the evaluations spent
 */
export function toggleSearch(
  instance: Instance,
  start: JudgedKeep,
  candidates: readonly number[],
  better: (a: JudgedKeep, b: JudgedKeep) => boolean,
  limits: LocalSearchLimits,
): { best: JudgedKeep; evaluations: number } {
  let best = start;
  let evaluations = 0;
  let improved = true;
  while (improved) {
    improved = false;
    for (const v of candidates) {
      if (evaluations >= limits.evaluations || performance.now() > limits.deadline)
        return { best, evaluations };
      const kept = new Set(best.kept);
      if (kept.has(v)) kept.delete(v);
      else kept.add(v);
      const trial = judgeKeep(instance, kept);
      evaluations++;
      if (better(trial, best)) {
        best = trial;
        improved = true;
      }
    }
  }
  return { best, evaluations };
}
