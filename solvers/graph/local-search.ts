/**
 * First-improvement local search over kept sets, judged by the evaluator: toggle one free candidate
 * in or out of the kept set and accept the change when the order `better` prefers it. Passes repeat
 * until a pass improves nothing or the evaluation budget runs out (counted work: the time limit only
 * stops it through `search`). Each step costs one evaluation, O(n + m); a pass costs O(n (n + m)).
 */
import type { Judged, JudgedKeep } from "./kept-evaluation.js";
import type { Search } from "./search.js";

/**
 * Improves `start` by single toggles of `candidates`.
 * @param better strict preference between two judged sets (e.g. lessMemory)
 * @param maxEvaluations most evaluations to spend
 * @returns the best set found (at least as good as `start`) and the evaluations spent
 * @throws TimeLimitReached when the time limit passes (the incumbent holds the best so far)
 */
export function toggleSearch(
  search: Search,
  start: JudgedKeep,
  candidates: readonly number[],
  better: (a: Judged, b: Judged) => boolean,
  maxEvaluations: number,
): { best: JudgedKeep; evaluations: number } {
  let best = start;
  let evaluations = 0;
  let improved = true;
  while (improved) {
    improved = false;
    for (const v of candidates) {
      if (evaluations >= maxEvaluations) return { best, evaluations };
      const kept = new Set(best.kept);
      if (kept.has(v)) kept.delete(v);
      else kept.add(v);
      const trial = search.keep(kept, "the local search");
      evaluations++;
      if (better(trial, best)) {
        best = trial;
        improved = true;
      }
    }
  }
  return { best, evaluations };
}
