/**
 * Independent exhaustive search over every kept set of an instance's recomputable non-sources, each
 * judged by the evaluator: the reference the memory objective's exactness tests compare against.
 */
import { keepSchedule } from "../../solvers/baselines/checkpoints.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { graphOf } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";

/** Least evaluated peak over all kept sets (2^free evaluations), with one kept set reaching it. */
export function exhaustiveLeastPeak(instance: Instance): { peak: number; kept: number[] } {
  const g = graphOf(instance);
  const free = instance.nodes.flatMap((_, v) => (g.isSource[v] === 0 && g.recomputable[v] === 1 ? [v] : []));
  let best = { peak: Number.POSITIVE_INFINITY, kept: [] as number[] };
  for (let mask = 0; mask < 2 ** free.length; mask++) {
    const kept = free.filter((_, bit) => Math.floor(mask / 2 ** bit) % 2 === 1);
    const evaluation = evaluate(instance, keepSchedule(instance, kept));
    if (!evaluation.valid) throw new Error(evaluation.error.reason);
    if (evaluation.peakBytes < best.peak) best = { peak: evaluation.peakBytes, kept };
  }
  return best;
}
