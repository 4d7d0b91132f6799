/**
 * Exhaustive partitions for the pipeline tests, written apart from the solvers: every contiguous
 * partition of a graph's units (src/pipeline/units.ts) into S stages, and the (period, latency) that
 * pipeline-dp's recurrence (proofs/pipeline-dp.md) gives a partition with its menu's stage costs.
 */
import { linkLatencyMs, linkPeriodMs } from "../../solvers/pipeline/assemble.js";
import type { StageMenu } from "../../solvers/pipeline/stage-menu.js";
import { inFlightCount } from "../../src/pipeline/order.js";
import type { PipelineProblem } from "../../src/pipeline/types.js";
import { pipelineUnits } from "../../src/pipeline/units.js";

/** (period, latency) of a partition (node ends) with the menu's stage costs, as the DP defines them. */
export function objective(p: PipelineProblem, menu: StageMenu, ends: readonly number[]): [number, number] {
  let period = 0;
  let latency = 0;
  let first = 1;
  for (const [s, last] of ends.entries()) {
    const option = menu.bestFor(first, last, inFlightCount(p.schedule, s, ends.length, p.microbatches));
    if (option === null) return [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
    const c = option.profile.forwardMs + option.profile.backwardMs;
    if (s > 0) {
      period = Math.max(period, linkPeriodMs(p, first - 1));
      latency += linkLatencyMs(p, first - 1);
    }
    period = Math.max(period, c);
    latency += c;
    first = last + 1;
  }
  return [period, latency];
}

/** Every contiguous partition of the problem's graph into `stages` stages, as node ends (each a unit end). */
export function* partitions(p: PipelineProblem, stages: number): Generator<number[]> {
  const ends = pipelineUnits(p.instance).ends;
  for (const chosen of choices(ends.length - 1, stages - 1, 0))
    yield [...chosen.map((i) => ends[i] as number), ends[ends.length - 1] as number];
}

/** Every increasing list of `count` indices from `from` to `below - 1`. */
function* choices(below: number, count: number, from: number): Generator<number[]> {
  if (count === 0) {
    yield [];
    return;
  }
  for (let i = from; i <= below - count; i++)
    for (const rest of choices(below, count - 1, i + 1)) yield [i, ...rest];
}
