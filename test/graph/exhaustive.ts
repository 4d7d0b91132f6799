/**
 * Independent exhaustive search over every kept set of an instance's recomputable non-sources, each
 * judged by the evaluator: the reference the memory objective's exactness tests compare against.
 */

import { evaluate } from "../../src/evaluate/evaluate.js";
import { graphOf } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";
import { keepSchedule } from "../../src/schedule/builders.js";

/** Every kept set (2^free of them) with the evaluator's peak and makespan for its checkpoint schedule. */
export function everyKeep(instance: Instance): { kept: number[]; peak: number; makespan: number }[] {
  const g = graphOf(instance);
  const free = instance.nodes.flatMap((_, v) => (g.isSource[v] === 0 && g.recomputable[v] === 1 ? [v] : []));
  return Array.from({ length: 2 ** free.length }, (_, mask) => {
    const kept = free.filter((_, bit) => Math.floor(mask / 2 ** bit) % 2 === 1);
    const evaluation = evaluate(instance, keepSchedule(instance, kept));
    if (!evaluation.valid) throw new Error(evaluation.error.reason);
    return { kept, peak: evaluation.peakBytes, makespan: evaluation.makespanMs };
  });
}

/** Least evaluated peak over all kept sets, with one kept set reaching it. */
export function exhaustiveLeastPeak(instance: Instance): { peak: number; kept: number[] } {
  let best = { peak: Number.POSITIVE_INFINITY, kept: [] as number[] };
  for (const { kept, peak } of everyKeep(instance)) if (peak < best.peak) best = { peak, kept };
  return best;
}
