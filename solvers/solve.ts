/**
 * solve: runs one solver on an instance under a budget, then checks what it claims with the evaluator
 * (the schedule is valid, its peak is within the budget, its claimed cost equals the evaluated cost)
 * and returns the one result shape.
 */
import { type Budget, budgetBytes, parseBudget } from "../src/budget.js";
import { describeValue, InputError, InternalError } from "../src/errors.js";
import { evaluate } from "../src/evaluate/evaluate.js";
import type { Instance } from "../src/instance/types.js";
import { formatSchedule } from "../src/schedule/text.js";
import type { Objective, SolveResult, Solver, SolverAnswer, SolverOptions } from "../src/solver.js";
import { storeAllSchedule } from "./baselines/store-all.js";
import { solvers } from "./index.js";

/** Default memory discretization (rotor's S). */
export const DEFAULT_SLOTS = 500;

/** Relative tolerance between a solver's claimed cost and the evaluator's (float sums in another order). */
const CLAIM_TOLERANCE = 1e-9;

export interface SolveOptions {
  /** Solver name (see `solvers`). */
  readonly solver: string;
  /** Bytes, a text budget (`1.5GB`, `50%`, `none`) or a parsed Budget; default none. */
  readonly budget?: number | string | Budget;
  readonly objective?: Objective;
  readonly slots?: number;
  readonly timeLimitSec?: number;
  readonly checkpoints?: readonly string[];
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Looks a solver up by name. @throws InputError (code `option`) listing the valid names */
export function findSolver(name: string): Solver {
  const solver = solvers.find((candidate) => candidate.name === name);
  if (solver === undefined) {
    throw new InputError("solve", [
      {
        code: "option",
        path: "--solver",
        expected: `one of ${solvers.map((s) => s.name).join(", ")}`,
        received: describeValue(name),
      },
    ]);
  }
  return solver;
}

/**
 * Solves `instance` with the named solver.
 *
 * @returns the result: `optimal`/`feasible` with a schedule whose evaluated cost is reported,
 *   `infeasible` (with the least budget that would work, when the solver knows it) or `timeout`
 * @throws InputError for an unknown solver, bad options, or an instance outside the solver's class
 * @throws InternalError when a solver's claim disagrees with the evaluator (a bug)
 */
export async function solve(instance: Instance, options: SolveOptions): Promise<SolveResult> {
  const solver = findSolver(options.solver);
  const objective = options.objective ?? (solver.objectives[0] as Objective);
  if (!solver.objectives.includes(objective)) {
    throw new InputError("solve", [
      {
        code: "option",
        path: "--objective",
        expected: `one of ${solver.objectives.join(", ")} for ${solver.name}`,
        received: describeValue(objective),
      },
    ]);
  }
  const rejection = solver.rejects?.(instance);
  if (rejection !== undefined)
    throw new InputError(
      "solve",
      [
        {
          code: "structure",
          path: "nodes",
          expected: `an instance ${solver.name} accepts (${solver.problem})`,
          received: rejection,
        },
      ],
      instance.name,
    );
  const slots = options.slots ?? DEFAULT_SLOTS;
  if (!Number.isInteger(slots) || slots < 1)
    throw new InputError("solve", [
      { code: "option", path: "--slots", expected: "a positive integer", received: describeValue(slots) },
    ]);
  const timeLimitSec = options.timeLimitSec ?? Number.POSITIVE_INFINITY;
  if (!(timeLimitSec > 0))
    throw new InputError("solve", [
      {
        code: "option",
        path: "--time-limit",
        expected: "a positive number of seconds",
        received: describeValue(timeLimitSec),
      },
    ]);

  const reference = evaluate(instance, storeAllSchedule(instance));
  if (!reference.valid) throw new InternalError(`store-all schedule invalid: ${reference.error.reason}`);
  const budget = typeof options.budget === "object" ? options.budget : parseBudget(options.budget ?? "none");
  const solverOptions: SolverOptions = {
    budgetBytes: budgetBytes(budget, reference.peakBytes),
    objective,
    slots,
    timeLimitSec,
    ...(options.checkpoints === undefined ? {} : { checkpoints: options.checkpoints }),
    ...(options.extra === undefined ? {} : { extra: options.extra }),
  };
  const started = performance.now();
  const answer = await solver.solve(instance, solverOptions);
  const wallMs = performance.now() - started;
  return describe(instance, solver, solverOptions, answer, wallMs, reference.makespanMs);
}

function describe(
  instance: Instance,
  solver: Solver,
  options: SolverOptions,
  answer: SolverAnswer,
  wallMs: number,
  storeAllMakespanMs: number,
): SolveResult {
  let makespanMs: number | null = null;
  let peakBytes: number | null = null;
  if (answer.schedule !== undefined) {
    const evaluation = evaluate(instance, answer.schedule);
    if (!evaluation.valid)
      throw new InternalError(
        `${solver.name} emitted an invalid schedule: ${evaluation.error.reason} (instruction ${evaluation.error.index})`,
      );
    checkClaim(solver.name, "makespan", answer.claimedMakespanMs, evaluation.makespanMs);
    checkClaim(solver.name, "peak", answer.claimedPeakBytes, evaluation.peakBytes);
    if (
      (answer.status === "optimal" || answer.status === "feasible") &&
      evaluation.peakBytes > options.budgetBytes
    ) {
      throw new InternalError(
        `${solver.name} answered ${answer.status} with a peak of ${evaluation.peakBytes} above the budget ${options.budgetBytes}`,
      );
    }
    makespanMs = evaluation.makespanMs;
    peakBytes = evaluation.peakBytes;
  } else if (answer.status === "optimal" || answer.status === "feasible") {
    throw new InternalError(`${solver.name} answered ${answer.status} without a schedule`);
  }
  return {
    format: "remat-result/1",
    status: answer.status,
    solver: solver.name,
    instance: instance.name,
    objective: options.objective,
    budgetBytes: Number.isFinite(options.budgetBytes) ? options.budgetBytes : null,
    makespanMs,
    peakBytes,
    overhead: makespanMs === null ? null : overheadOf(makespanMs, storeAllMakespanMs),
    lowerBoundMs: answer.lowerBoundMs ?? null,
    lowerBoundBytes: answer.lowerBoundBytes ?? null,
    minFeasibleBudgetBytes: answer.minFeasibleBudgetBytes ?? null,
    reason: answer.reason ?? null,
    schedule: answer.schedule === undefined ? [] : formatSchedule(answer.schedule),
    options: {
      slots: options.slots,
      timeLimitSec: Number.isFinite(options.timeLimitSec) ? options.timeLimitSec : null,
      ...(options.checkpoints === undefined ? {} : { checkpoints: options.checkpoints }),
    },
    stats: { wallMs, ...answer.counters },
    ...(answer.front === undefined
      ? {}
      : {
          front: answer.front.map((point) => ({
            peakBytes: point.peakBytes,
            makespanMs: point.makespanMs,
            overhead: overheadOf(point.makespanMs, storeAllMakespanMs),
          })),
        }),
  };
}

/** makespan / store-all makespan - 1 (0 when both are 0). */
function overheadOf(makespanMs: number, storeAllMakespanMs: number): number {
  return storeAllMakespanMs > 0 ? makespanMs / storeAllMakespanMs - 1 : 0;
}

function checkClaim(solver: string, what: string, claimed: number | undefined, evaluated: number): void {
  if (claimed === undefined) return;
  if (Math.abs(claimed - evaluated) > CLAIM_TOLERANCE * Math.max(1, Math.abs(evaluated))) {
    throw new InternalError(`${solver} claims a ${what} of ${claimed} but the evaluator says ${evaluated}`);
  }
}
