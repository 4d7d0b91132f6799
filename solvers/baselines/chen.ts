/**
 * Chen, Xu, Zhang & Guestrin 2016, "Training deep nets with sublinear memory cost" (arXiv 1604.06174):
 * split the network into segments at candidate nodes and keep only the segment boundaries. Candidates
 * are the articulation points (every source-to-loss path passes through them), so on a chain every node
 * and on a DAG the cut vertices, as in Checkmate's AP baselines.
 *
 * - `chen-sqrt`: every round(sqrt(c))-th of the c candidates (section 3 of the paper).
 * - `chen-greedy`: walk the candidates accumulating activation bytes, keep one whenever the running sum
 *   exceeds a segment budget b, and sweep b; the fastest schedule within the memory budget wins
 *   (the paper's Algorithm 1 with its grid search over b). The time limit is checked before each b:
 *   an unfinished sweep answers `timeout` with the best schedule within the budget so far.
 */

import { InternalError } from "../../src/errors.js";
import { sumOfTimesBound } from "../../src/evaluate/bounds.js";
import { evaluate, type ValidEvaluation } from "../../src/evaluate/evaluate.js";
import { articulationPoints } from "../../src/graph/separators.js";
import { graphOf } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";
import { NO_SWITCHES } from "../../src/options.js";
import { keepSchedule } from "../../src/schedule/builders.js";
import type { Schedule } from "../../src/schedule/types.js";
import type { Solver, SolverAnswer } from "../../src/solver.js";
import { Deadline } from "../../src/time-limit.js";
import { judgeFixedSchedule } from "./judge.js";

/** Candidates: articulation points other than the sources and the loss. */
function candidates(instance: Instance): number[] {
  const g = graphOf(instance);
  return articulationPoints(instance).filter((v) => g.isSource[v] === 0 && v !== g.loss);
}

/** The kept set of chen-sqrt: every k-th candidate, k = round(sqrt(c)). */
export function chenSqrtCheckpoints(instance: Instance): number[] {
  const list = candidates(instance);
  const stride = Math.max(1, Math.round(Math.sqrt(list.length)));
  return list.filter((_, position) => (position + 1) % stride === 0);
}

/** The kept set of Chen's greedy pass with segment budget `segmentBytes`. */
export function chenGreedyCheckpoints(instance: Instance, segmentBytes: number): number[] {
  const g = graphOf(instance);
  const list = candidates(instance);
  const kept: number[] = [];
  let running = 0;
  let previous = 0;
  for (const v of list) {
    // bytes of the segment since the last candidate: every node between the two in topological order
    for (let w = previous + 1; w <= v; w++) running += g.bytes[w] as number;
    previous = v;
    if (running > segmentBytes) {
      kept.push(v);
      running = 0;
    }
  }
  return kept;
}

/** Number of segment budgets tried by chen-greedy (a geometric grid between the smallest and the total). */
const GREEDY_GRID_POINTS = 40;

export const chenSqrt: Solver = {
  name: "chen-sqrt",
  family: "baselines",
  problem: "any DAG (segments at articulation points)",
  guarantee: "feasible only",
  reference: "Chen et al. 2016, sqrt(n) segments",
  objectives: ["time"],
  emits: { time: "checkpoint" },
  switches: NO_SWITCHES,
  reads: [],
  solve: (instance, options) =>
    judgeFixedSchedule(instance, keepSchedule(instance, chenSqrtCheckpoints(instance)), options),
};

/**
 * The segment budgets chen-greedy sweeps: 0 and a geometric grid of GREEDY_GRID_POINTS from the smallest
 * activation to the total (graph-mincut's time objective takes every answer of this grid as a candidate).
 */
export function chenGreedyGrid(instance: Instance): number[] {
  const g = graphOf(instance);
  let total = 0;
  let smallest = Number.POSITIVE_INFINITY;
  for (const bytes of g.bytes) {
    total += bytes;
    if (bytes > 0) smallest = Math.min(smallest, bytes);
  }
  smallest = Number.isFinite(smallest) ? Math.max(1, smallest) : 1;
  return [
    0,
    ...Array.from(
      { length: GREEDY_GRID_POINTS },
      (_, i) => smallest * (total / smallest) ** (i / (GREEDY_GRID_POINTS - 1)),
    ),
  ];
}

/** Whether `a` beats `b` for the objective (time: makespan, then peak; memory: peak). */
function beats(a: ValidEvaluation, b: ValidEvaluation, objective: "time" | "memory"): boolean {
  if (objective === "memory") return a.peakBytes < b.peakBytes;
  return a.makespanMs < b.makespanMs || (a.makespanMs === b.makespanMs && a.peakBytes < b.peakBytes);
}

/** A schedule chen-greedy kept, with the evaluator's verdict on it. */
interface Judged {
  readonly schedule: Schedule;
  readonly evaluation: ValidEvaluation;
}

/**
 * chen-greedy's answer when the time limit passes after `tried` segment budgets: `timeout`, with the
 * best schedule within the budget so far when there is one, and the sum-of-times bound.
 */
function greedyTimeout(instance: Instance, best: Judged | undefined, tried: number): SolverAnswer {
  const reason = `the time limit was reached after ${tried} of the segment budgets`;
  if (best === undefined) return { status: "timeout", reason, lowerBoundMs: sumOfTimesBound(instance) };
  const { schedule, evaluation } = best;
  return {
    status: "timeout",
    reason,
    schedule,
    claimedMakespanMs: evaluation.makespanMs,
    claimedPeakBytes: evaluation.peakBytes,
    lowerBoundMs: sumOfTimesBound(instance),
    counters: { segmentBudgetsTried: tried },
  };
}

export const chenGreedy: Solver = {
  name: "chen-greedy",
  family: "baselines",
  problem: "any DAG (segments at articulation points)",
  guarantee: "feasible only (best of a sweep over the segment budget)",
  reference: "Chen et al. 2016, Algorithm 1 with grid search",
  objectives: ["time", "memory"],
  emits: { time: "checkpoint", memory: "checkpoint" },
  switches: NO_SWITCHES,
  reads: [],
  solve: (instance, options): SolverAnswer => {
    const deadline = new Deadline(options.timeLimitSec);
    let best: Judged | undefined;
    let leastPeak = Number.POSITIVE_INFINITY;
    const seen = new Set<string>();
    for (const segmentBytes of chenGreedyGrid(instance)) {
      if (deadline.passed()) return greedyTimeout(instance, best, seen.size);
      const kept = chenGreedyCheckpoints(instance, segmentBytes);
      const key = kept.join(",");
      if (seen.has(key)) continue;
      seen.add(key);
      const schedule = keepSchedule(instance, kept);
      const evaluation = evaluate(instance, schedule);
      if (!evaluation.valid)
        throw new InternalError(`chen-greedy built an invalid schedule: ${evaluation.error.reason}`);
      leastPeak = Math.min(leastPeak, evaluation.peakBytes);
      if (evaluation.peakBytes > options.budgetBytes) continue;
      if (best === undefined || beats(evaluation, best.evaluation, options.objective))
        best = { schedule, evaluation };
    }
    const counters = { segmentBudgetsTried: seen.size };
    if (best === undefined) {
      return {
        status: "infeasible",
        minFeasibleBudgetBytes: leastPeak,
        reason: `no segment budget gives a peak within ${options.budgetBytes} bytes`,
        counters,
      };
    }
    return { ...judgeFixedSchedule(instance, best.schedule, options), counters };
  },
};
