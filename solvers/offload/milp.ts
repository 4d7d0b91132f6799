/**
 * offload-milp: the fixed-order offload problem (Beaumont, Eyraud-Dubois, Shilova, Euro-Par 2020) as a
 * disjunctive MILP on the LP layer (src/lp/): store-all's operation order, which activations leave the
 * device, where each `O`, `D` and `P` is issued, least makespan with peak <= budget. The model is a
 * relaxation of the offload class whose solutions all rebuild into valid schedules within the budget
 * (proofs/offload-milp.md): its proven bound is a bound over the class, and an answer whose evaluated
 * makespan meets it is optimal. Strongly NP-hard (proofs/offload-np-hard.md), so exponential in the
 * worst case; the model has O(n^2 + candidates x over-budget ops) columns.
 */

import { InternalError } from "../../src/errors.js";
import { makespanLowerBound, sumOfTimesBound } from "../../src/evaluate/bounds.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import type { Instance } from "../../src/instance/types.js";
import type { LpResult } from "../../src/lp/backend.js";
import { loadLpBackend } from "../../src/lp/load.js";
import type { Bound } from "../../src/optimality.js";
import { type OptionValues, parseSwitches } from "../../src/options.js";
import type { Schedule } from "../../src/schedule/types.js";
import type { Solver, SolverAnswer, SolverOptions } from "../../src/solver.js";
import { Deadline, TimeLimitReached } from "../../src/time-limit.js";
import { judgeFixedSchedule } from "../baselines/judge.js";
import { storeAllShortcut } from "./answers.js";
import { decodeDecision } from "./milp-decode.js";
import { buildOffloadModel, modelBinaries, type OffloadModel } from "./milp-model.js";
import { leastPeakBytes, type OffloadPlan, offloadPlan } from "./milp-plan.js";
import { everythingDecision, largestFirstDecision, rebuildSchedule } from "./milp-rebuild.js";

/** offload-milp's switches. */
export const MILP_SWITCHES = {
  lp: {
    type: "choice",
    values: ["highs", "glpk", "jslp"],
    default: "highs",
    doc: "LP/MILP backend: highs (proves bounds, also at a time limit), glpk, jslp (no proofs)",
  },
  maxBinaries: {
    type: "integer",
    default: 10_000,
    min: 0,
    doc: "build no model with more binaries than this (counted before building): answer the incumbent (feasible) instead",
  },
} as const;

type MilpSwitches = OptionValues<typeof MILP_SWITCHES>;

/**
 * Relative slack under which the evaluated makespan counts as meeting the MILP's bound: the backends'
 * own feasibility tolerances are 1e-7 to 1e-6 (src/lp/check.ts), so their bound is only that exact.
 */
export const MILP_CERTIFICATE_TOLERANCE = 1e-6;

/** Words for the MILP's bound, with its proof. */
const MILP_BOUND =
  "offload-milp's proven MILP bound (a relaxation of the offload class), proofs/offload-milp.md";

/** A schedule the evaluator accepted within the budget, with its makespan. */
interface Judged {
  readonly schedule: Schedule;
  readonly makespanMs: number;
  readonly peakBytes: number;
}

/** Supplies incumbents (e.g. the offload heuristics' schedules) for an instance and its options. */
export type IncumbentSource = (
  instance: Instance,
  options: SolverOptions,
) => readonly Schedule[] | Promise<readonly Schedule[]>;

/** Evaluates `schedule`; undefined when it is invalid or over the budget. */
function judge(instance: Instance, schedule: Schedule | undefined, budgetBytes: number): Judged | undefined {
  if (schedule === undefined) return undefined;
  const e = evaluate(instance, schedule);
  if (!e.valid || e.peakBytes > budgetBytes) return undefined;
  return { schedule, makespanMs: e.makespanMs, peakBytes: e.peakBytes };
}

/** The faster of two judged schedules (the first on ties). */
function better(a: Judged | undefined, b: Judged | undefined): Judged | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b.makespanMs < a.makespanMs ? b : a;
}

/** What the solve tracks while it runs: the best schedule so far and the model's size. */
interface Run {
  readonly instance: Instance;
  readonly options: SolverOptions;
  readonly switches: MilpSwitches;
  readonly deadline: Deadline;
  best: Judged | undefined;
  counters: Record<string, number>;
}

/** The claims of `best` with the larger of the sum-of-times bound and `milpBound` (clamped to `best`). */
function claims(run: Run, best: Judged, milpBound: number | undefined) {
  const sum = makespanLowerBound(run.instance);
  let lowerBoundMs: Bound = sumOfTimesBound(run.instance);
  if (milpBound !== undefined && milpBound > sum) {
    if (milpBound > best.makespanMs * (1 + MILP_CERTIFICATE_TOLERANCE) + MILP_CERTIFICATE_TOLERANCE)
      throw new InternalError(
        `offload-milp: the MILP bound ${milpBound} exceeds the evaluated makespan ${best.makespanMs} of a schedule of the class (the model is not a relaxation: a bug)`,
      );
    lowerBoundMs = { value: Math.min(milpBound, best.makespanMs), over: "offload", method: MILP_BOUND };
  }
  return {
    schedule: best.schedule,
    claimedMakespanMs: best.makespanMs,
    claimedPeakBytes: best.peakBytes,
    lowerBoundMs,
    counters: run.counters,
  };
}

/** Rebuilds the schedule of a solution and keeps it when it beats the best so far. */
function takeSolution(run: Run, plan: OffloadPlan, built: OffloadModel, values: Float64Array): void {
  const decision = decodeDecision(plan, built.columns, values);
  const schedule = decision === undefined ? undefined : rebuildSchedule(plan, decision);
  if (schedule === undefined) run.counters.rebuildFailures = 1;
  else run.best = better(run.best, judgeRebuilt(run, schedule));
}

/** The answer once the backend returned (proofs/offload-milp.md, "Claims"). */
function answerFrom(run: Run, plan: OffloadPlan, built: OffloadModel, result: LpResult): SolverAnswer {
  Object.assign(run.counters, {
    lpNodes: result.nodes ?? 0,
    lpIterations: result.iterations ?? 0,
    lpWallMs: result.wallMs,
  });
  if (result.gap !== undefined && Number.isFinite(result.gap)) run.counters.gap = result.gap;
  if (result.status === "unbounded") throw new InternalError("offload-milp: the MILP is unbounded (a bug)");
  if (result.values !== undefined) takeSolution(run, plan, built, result.values);
  const best = run.best as Judged;
  const bound = result.bound !== undefined && Number.isFinite(result.bound) ? result.bound : undefined;
  const base = claims(run, best, bound);
  if (result.status === "timeout")
    return {
      status: "timeout",
      reason: `the time limit stopped ${result.backend} before it proved optimality`,
      ...base,
    };
  if (
    bound !== undefined &&
    best.makespanMs <= bound * (1 + MILP_CERTIFICATE_TOLERANCE) + MILP_CERTIFICATE_TOLERANCE
  )
    return {
      status: "optimal",
      ...base,
      certificate: {
        kind: "milp",
        over: "offload",
        backend: result.backend,
        bound,
        gap: result.gap ?? 0,
        method: MILP_BOUND,
      },
    };
  return { status: "feasible", ...base };
}

/** Judges a rebuilt schedule. @throws InternalError when the evaluator rejects it or it exceeds the budget (a bug) */
function judgeRebuilt(run: Run, schedule: Schedule): Judged {
  const judged = judge(run.instance, schedule, run.options.budgetBytes);
  if (judged === undefined)
    throw new InternalError(
      "offload-milp: a schedule rebuilt from the MILP is invalid or over the budget (a bug)",
    );
  return judged;
}

/** Builds and solves the model, the incumbent's makespan as cutoff. */
async function solveModel(run: Run, plan: OffloadPlan): Promise<SolverAnswer> {
  const best = run.best as Judged;
  run.counters.binaries = modelBinaries(plan);
  if (run.counters.binaries > run.switches.maxBinaries) {
    run.counters.modelSkipped = 1;
    return { status: "feasible", ...claims(run, best, undefined) };
  }
  const built = buildOffloadModel(plan, best.makespanMs, run.deadline);
  Object.assign(run.counters, {
    variables: built.model.variables.length,
    constraints: built.model.constraints.length,
  });
  const remainingSec = (run.deadline.atMs - performance.now()) / 1000;
  if (!(remainingSec > 0)) throw new TimeLimitReached("building the offload MILP", run.options.timeLimitSec);
  const backend = await loadLpBackend(run.switches.lp);
  const result = await backend.solve(built.model, { timeLimitSec: remainingSec });
  return answerFrom(run, plan, built, result);
}

/** The solve past the trivial cases: the plan, infeasibility, the incumbents, the model. */
async function solveWithLink(run: Run, incumbents: readonly Schedule[]): Promise<SolverAnswer> {
  const { instance, options } = run;
  const plan = offloadPlan(instance, options.budgetBytes, run.deadline);
  const least = leastPeakBytes(plan);
  Object.assign(run.counters, { absences: plan.absences.length, overBudgetOps: plan.overOps.length });
  if (least > options.budgetBytes)
    return {
      status: "infeasible",
      minFeasibleBudgetBytes: least,
      reason: `every schedule of the offload class peaks at ${least} bytes or more, above the budget of ${options.budgetBytes}`,
      counters: run.counters,
    };
  run.best = better(
    judge(instance, rebuildSchedule(plan, everythingDecision(plan)), options.budgetBytes),
    judge(instance, rebuildSchedule(plan, largestFirstDecision(plan)), options.budgetBytes),
  );
  if (run.best === undefined)
    throw new InternalError(
      "offload-milp: offloading every candidate does not fit, yet the class fits (a bug)",
    );
  let best: Judged = run.best;
  for (const schedule of incumbents)
    best = better(best, judge(instance, schedule, options.budgetBytes)) as Judged;
  run.best = best;
  if (best.makespanMs <= makespanLowerBound(instance))
    return judgeFixedSchedule(instance, best.schedule, options);
  return solveModel(run, plan);
}

/**
 * offload-milp's solve.
 * @param incumbents schedules tried as incumbents (any valid ones; those over the budget are ignored)
 */
export async function solveOffloadMilp(
  instance: Instance,
  options: SolverOptions,
  incumbents: readonly Schedule[] = [],
): Promise<SolverAnswer> {
  const switches = parseSwitches(MILP_SWITCHES, options.extra, "offload-milp");
  const shortcut = storeAllShortcut(instance, options);
  if (shortcut !== undefined) return shortcut;
  const run: Run = {
    instance,
    options,
    switches,
    deadline: new Deadline(options.timeLimitSec),
    best: undefined,
    counters: {},
  };
  try {
    return await solveWithLink(run, incumbents);
  } catch (error: unknown) {
    if (!(error instanceof TimeLimitReached)) throw error;
    const best = run.best;
    return best === undefined
      ? {
          status: "timeout",
          reason: `${error.message}, before any schedule within the budget was found`,
          lowerBoundMs: sumOfTimesBound(instance),
          counters: run.counters,
        }
      : { status: "timeout", reason: error.message, ...claims(run, best, undefined) };
  }
}

/**
 * offload-milp with incumbents from `source` (the registered one takes the offload heuristics',
 * milp-incumbents.ts).
 * @param source called once per solve; its schedules are judged and the best is the MILP's cutoff
 */
export function createOffloadMilp(source?: IncumbentSource): Solver {
  return {
    name: "offload-milp",
    family: "offload",
    problem: "any DAG with a host link (store-all's order; no link: answers as store-all)",
    guarantee:
      "optimal over the offload class when the evaluated makespan meets the MILP's proven bound (proofs/offload-milp.md); else feasible with that bound",
    reference:
      "Beaumont, Eyraud-Dubois, Shilova 2020 (the offload problem); disjunctive MILP, proofs/offload-milp.md",
    objectives: ["time"],
    emits: { time: "offload" },
    switches: MILP_SWITCHES,
    reads: [],
    solve: async (instance, options) =>
      solveOffloadMilp(instance, options, (await source?.(instance, options)) ?? []),
  };
}
