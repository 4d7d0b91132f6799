/**
 * solveMicrobatched: `planMicrobatches` (src/microbatch/plan.ts) bound to remat's `solve`, so that every
 * micro-batch schedule is checked against the evaluator like any other answer.
 */

import type { Instance } from "../src/instance/types.js";
import { type MicrobatchResult, type MicrobatchSettings, planMicrobatches } from "../src/microbatch/plan.js";
import { type SolveOptions, solve } from "./solve.js";

/** `solve`'s options and the microbatching settings, in one object. */
export interface MicrobatchOptions extends SolveOptions, MicrobatchSettings {}

/**
 * Solves a step of `instance`'s batch as `options.microbatches` micro-batches (`auto`: the k of least
 * step time within the budget, over the divisors of the batch).
 * @throws InputError as `solve`, and for a k that does not divide the batch, an instance whose batch is
 *   unknown, or one at b/k that cannot be made (the message says how to make it)
 */
export function solveMicrobatched(instance: Instance, options: MicrobatchOptions): Promise<MicrobatchResult> {
  const { microbatches, accumulation, accumulationBandwidth, batch, instanceAt, ...solveOptions } = options;
  const settings: MicrobatchSettings = {
    microbatches,
    ...(accumulation === undefined ? {} : { accumulation }),
    ...(accumulationBandwidth === undefined ? {} : { accumulationBandwidth }),
    ...(batch === undefined ? {} : { batch }),
    ...(instanceAt === undefined ? {} : { instanceAt }),
  };
  return planMicrobatches(instance, settings, solveOptions, solve);
}
