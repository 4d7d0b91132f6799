/**
 * One probe of `remat fit --microbatches`: the step of batch b planned as k micro-batches
 * (src/microbatch/plan.ts), each micro-batch instance taken from fit's own cache of regenerated zoo
 * instances. With k fixed, fit searches the micro-batch size m and the step's batch is k m; with `auto`
 * it searches b and chooses k per b among its divisors. Without an overhead cap every batch fits once
 * batch 1 does (k = b runs micro-batches of 1), so the search then stops at the largest batch tried;
 * with a cap, whether b fits depends on its divisors and is not monotone in b (a prime b has only
 * k = 1 and k = b): the doubling search then reports a batch that fits, not always the largest.
 */
import type { Accumulation } from "../evaluate/microbatch.js";
import type { Instance } from "../instance/types.js";
import { planMicrobatches } from "../microbatch/plan.js";
import type { SolveResult } from "../solve-result.js";

/** Runs one solver on one instance under a budget in bytes (fit's `FitSolve`, remat's `solve`). */
export type ProbeSolve = (
  instance: Instance,
  options: { readonly solver: string; readonly budget: number; readonly timeLimitSec?: number },
) => Promise<SolveResult>;

/** What fit records of one microbatched probe. */
export interface MicrobatchProbe {
  readonly status: "optimal" | "feasible" | "infeasible" | "timeout";
  readonly peakBytes: number | null;
  readonly overhead: number | null;
  readonly solveMs: number;
  /** The k chosen (null when none fits). */
  readonly microbatches: number | null;
}

/** What a microbatched probe needs. */
export interface MicrobatchProbeSetting {
  readonly solver: string;
  readonly memoryBytes: number;
  readonly microbatches: number | "auto";
  readonly accumulation?: Accumulation;
  readonly timeLimitSec?: number;
  /** The instance at any batch (fit's cache). */
  readonly instanceAt: (batch: number) => Instance;
  readonly solve: ProbeSolve;
}

/** Plans the step of `batch` (k micro-batches of batch / k) within the memory. */
export async function microbatchProbe(
  batch: number,
  setting: MicrobatchProbeSetting,
): Promise<MicrobatchProbe> {
  const started = performance.now();
  const plan = await planMicrobatches(
    setting.instanceAt(batch),
    {
      microbatches: setting.microbatches,
      batch,
      instanceAt: setting.instanceAt,
      ...(setting.accumulation === undefined ? {} : { accumulation: setting.accumulation }),
    },
    {
      solver: setting.solver,
      budget: setting.memoryBytes,
      ...(setting.timeLimitSec === undefined ? {} : { timeLimitSec: setting.timeLimitSec }),
    },
    setting.solve,
  );
  return {
    status: plan.status,
    peakBytes: plan.step?.peakBytes ?? null,
    overhead: plan.overhead,
    solveMs: performance.now() - started,
    microbatches: plan.microbatches,
  };
}
