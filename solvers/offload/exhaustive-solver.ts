/**
 * offload-exhaustive: the exact optimum over the `offload` class (store-all's operation order, any
 * offloads, frees and prefetches) for tiny instances, by branch and bound (exhaustive.ts) seeded with the
 * best offloaded set placed by the timing routine. The oracle the other offload solvers are tested
 * against (test/offload/, test/conformance/class-optimum.ts).
 *
 * - No link, or store-all fits: store-all's answer (nothing to offload, or nothing faster).
 * - Budget below the class's least peak: `infeasible`, proven (least-peak.ts).
 * - Otherwise `optimal` with an `enumeration` certificate over `offload` when the search ends within
 *   `maxNodes` search nodes; else `feasible` with the best found (never worse than the seed).
 * Refuses instances of more than MAX_EXHAUSTIVE_NODES nodes (the search is exponential).
 * @see ../../proofs/offload-exhaustive.md
 */

import { InternalError } from "../../src/errors.js";
import { sumOfTimesBound } from "../../src/evaluate/bounds.js";
import type { ValidEvaluation } from "../../src/evaluate/evaluate.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import type { Instance } from "../../src/instance/types.js";
import type { OptionsTable, OptionValues } from "../../src/options.js";
import type { Schedule } from "../../src/schedule/types.js";
import type { Solver, SolverAnswer, SolverOptions } from "../../src/solver.js";
import { Deadline, NO_DEADLINE, TimeLimitReached } from "../../src/time-limit.js";
import { infeasibleAnswer, placedAnswer, storeAllShortcut } from "./answers.js";
import { MAX_EXHAUSTIVE_NODES, searchOffloadClass } from "./exhaustive.js";
import { classLeastPeak, leastPeakSchedule } from "./least-peak.js";
import { type OffloadOrder, offloadOrder } from "./order.js";
import { bestOfSets, largestFirstPrefixes, offloadableBySize, type PlacedSet } from "./set-search.js";

/** Offloadable activations up to which the seed tries every subset (2^8 placements). */
const EVERY_SUBSET_LIMIT = 8;

/** What the certificate says was enumerated. */
const ENUMERATED = "search nodes of the offload class (branch and bound, proofs/offload-exhaustive.md)";

export const EXHAUSTIVE_SWITCHES = {
  maxNodes: {
    type: "integer",
    default: 20_000_000,
    min: 1,
    doc: "search nodes allowed; past it the best schedule found is answered `feasible`",
  },
} as const satisfies OptionsTable;

/** The exact optimum found by {@link exactOffloadOptimum}. */
export interface ExactOptimum {
  readonly schedule: Schedule;
  readonly evaluation: ValidEvaluation;
  /** Search nodes visited (0 when the seed met the sum of times or store-all fit). */
  readonly nodes: number;
  readonly complete: boolean;
  /** The time limit stopped the search: the schedule is the best found by then. */
  readonly timedOut: boolean;
}

/** The seed: the fastest of every subset (few offloadables) or of the largest-first prefixes. */
function seed(order: OffloadOrder, budgetBytes: number, deadline: Deadline): PlacedSet | undefined {
  const list = offloadableBySize(order);
  if (list.length > EVERY_SUBSET_LIMIT)
    return bestOfSets(order, largestFirstPrefixes(order), budgetBytes, deadline);
  const subsets = Array.from({ length: 2 ** list.length }, (_, mask) =>
    list.filter((_, bit) => ((mask >>> bit) & 1) === 1),
  );
  return bestOfSets(order, subsets, budgetBytes, deadline);
}

/**
 * The least makespan over the offload class within `budgetBytes` (a link, and a budget at least the
 * class's least peak, assumed), with a schedule reaching it.
 * @throws TimeLimitReached when `deadline` passes while the seed is placed (the search itself stops with
 *   `timedOut` and its best schedule)
 */
export function exactOffloadOptimum(
  instance: Instance,
  budgetBytes: number,
  maxNodes: number = EXHAUSTIVE_SWITCHES.maxNodes.default,
  deadline: Deadline = NO_DEADLINE,
): ExactOptimum | undefined {
  const order = offloadOrder(instance);
  if (classLeastPeak(order) > budgetBytes) return undefined;
  const seeded = seed(order, budgetBytes, deadline);
  const incumbent = seeded?.evaluation.makespanMs ?? Number.POSITIVE_INFINITY;
  if (seeded !== undefined && incumbent <= sumOfTimesBound(instance).value)
    return {
      schedule: seeded.schedule,
      evaluation: seeded.evaluation,
      nodes: 0,
      complete: true,
      timedOut: false,
    };
  const result = searchOffloadClass(order, budgetBytes, incumbent, maxNodes, deadline);
  const schedule = result.schedule ?? seeded?.schedule ?? leastPeakSchedule(order);
  if (schedule === undefined)
    throw new InternalError("offload-exhaustive: nothing fits although the class's least peak does");
  const evaluation = evaluate(instance, schedule);
  if (!evaluation.valid)
    throw new InternalError(`offload-exhaustive: invalid schedule: ${evaluation.error.reason}`);
  return { schedule, evaluation, nodes: result.nodes, complete: result.complete, timedOut: result.timedOut };
}

function solveExhaustive(instance: Instance, options: SolverOptions): SolverAnswer {
  const shortcut = storeAllShortcut(instance, options);
  if (shortcut !== undefined) return shortcut;
  const order = offloadOrder(instance);
  const least = classLeastPeak(order);
  if (least > options.budgetBytes) return infeasibleAnswer(order, options, least);
  const settings = options.extra as OptionValues<typeof EXHAUSTIVE_SWITCHES>;
  const deadline = new Deadline(options.timeLimitSec);
  let found: ExactOptimum | undefined;
  try {
    found = exactOffloadOptimum(instance, options.budgetBytes, settings.maxNodes, deadline);
  } catch (caught) {
    if (!(caught instanceof TimeLimitReached)) throw caught;
    return timeoutAnswer(order, caught.message, leastPeakSchedule(order), 0);
  }
  if (found === undefined) throw new InternalError("offload-exhaustive: no optimum above the least peak");
  if (found.timedOut)
    return timeoutAnswer(
      order,
      "the time limit was reached during the exhaustive offload search",
      found.schedule,
      found.nodes,
    );
  const counters = { searchNodes: found.nodes, complete: found.complete ? 1 : 0 };
  const answer = placedAnswer(instance, found.schedule, found.evaluation, undefined, counters);
  if (answer.status === "optimal" || !found.complete) return answer;
  return {
    status: "optimal",
    schedule: found.schedule,
    claimedMakespanMs: found.evaluation.makespanMs,
    claimedPeakBytes: found.evaluation.peakBytes,
    counters,
    certificate: { kind: "enumeration", over: "offload", count: Math.max(1, found.nodes), of: ENUMERATED },
    lowerBoundMs: {
      value: found.evaluation.makespanMs,
      over: "offload",
      method: "the exact optimum by enumeration, proofs/offload-exhaustive.md",
    },
  };
}

/** `timeout` with the best schedule known (within the budget) and the sum-of-times bound. */
function timeoutAnswer(order: OffloadOrder, reason: string, schedule: Schedule, nodes: number): SolverAnswer {
  const evaluation = evaluate(order.instance, schedule);
  if (!evaluation.valid)
    throw new InternalError(`offload-exhaustive: invalid schedule: ${evaluation.error.reason}`);
  return {
    status: "timeout",
    reason,
    schedule,
    claimedMakespanMs: evaluation.makespanMs,
    claimedPeakBytes: evaluation.peakBytes,
    lowerBoundMs: sumOfTimesBound(order.instance),
    counters: { searchNodes: nodes, complete: 0 },
  };
}

/** offload-exhaustive, as a Solver. */
export const offloadExhaustive: Solver = {
  name: "offload-exhaustive",
  family: "offload",
  problem: `any DAG of at most ${MAX_EXHAUSTIVE_NODES} nodes`,
  guarantee: "optimal over offload schedules (store-all's order) by exhaustive branch and bound",
  reference: "Beaumont, Eyraud-Dubois, Shilova 2020 (the problem); exhaustive search",
  objectives: ["time"],
  emits: { time: "offload" },
  switches: EXHAUSTIVE_SWITCHES,
  reads: [],
  rejects: (instance) =>
    instance.nodes.length > MAX_EXHAUSTIVE_NODES
      ? `${instance.nodes.length} nodes (offload-exhaustive takes at most ${MAX_EXHAUSTIVE_NODES})`
      : undefined,
  solve: solveExhaustive,
};
