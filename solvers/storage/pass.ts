/**
 * A post-pass that chooses stored forms where they pay (issue 14 item 4; DESIGN.md, "Storage modes"):
 * it solves the plain problem with an inner solver at the budget and at a ladder of larger budgets,
 * holds, in each answer's schedule, every activation that waits across the turn of the step in its
 * smallest allowed stored form (`storeAcrossTurn`), then gives up, one at a time, the stored forms the
 * budget does not need (the costliest conversions first), and answers with the fastest schedule within
 * the budget (time) or the lowest peak (memory). The plain answer at the budget is always a candidate
 * and wins ties, so the pass is never worse than the inner solver; when it wins, it is returned as it
 * was (its certificate included). A stored-form answer is `feasible` (no optimality is claimed over a
 * class with stored forms), carries the sum-of-times bound only (the inner solver's bounds are over
 * classes without stored forms) and costs what the evaluator says.
 *
 * Cost: LADDER + 1 inner solves plus O((LADDER + 1) * k) evaluations of the schedule, k the number of
 * activations stored (each evaluation O(|schedule|) with the in-degrees).
 */
import { sumOfTimesBound } from "../../src/evaluate/bounds.js";
import { evaluate, type ValidEvaluation } from "../../src/evaluate/evaluate.js";
import { storedBytes } from "../../src/evaluate/storage.js";
import type { Instance, InstanceNode, StorageMode } from "../../src/instance/types.js";
import { storeAcrossTurn } from "../../src/schedule/stored-forms.js";
import type { Schedule } from "../../src/schedule/types.js";
import type { SolverAnswer, SolverOptions } from "../../src/solver.js";
import { Deadline } from "../../src/time-limit.js";

/** Rungs of larger budgets tried above the budget: B + saving * i / LADDER for i = 1..LADDER. */
export const LADDER = 8;

/** The inner solver, run at a budget (bytes) with the seconds left. */
export type InnerSolve = (budgetBytes: number, timeLimitSec: number) => Promise<SolverAnswer>;

/** One node's stored form: the mode, the bytes it saves and what its conversions cost, ms. */
interface Choice {
  readonly id: string;
  readonly mode: StorageMode;
  readonly savedBytes: number;
  readonly costMs: number;
}

/** A schedule with its evaluation. */
interface Judged {
  readonly schedule: Schedule;
  readonly evaluation: ValidEvaluation;
}

/**
 * The smallest stored form each node offers among `allowed` that is smaller than the activation itself
 * (ties to the earlier mode of STORAGE_MODES, lossless first), in node order.
 */
export function storageChoices(instance: Instance, allowed: readonly StorageMode[]): Choice[] {
  const choices: Choice[] = [];
  for (const node of instance.nodes) {
    const choice = choiceOf(node, allowed);
    if (choice !== undefined) choices.push(choice);
  }
  return choices;
}

function choiceOf(node: InstanceNode, allowed: readonly StorageMode[]): Choice | undefined {
  let best: Choice | undefined;
  for (const mode of allowed) {
    const costs = node.storage[mode];
    if (costs === undefined) continue;
    const savedBytes = node.bytes - storedBytes(node, mode);
    if (savedBytes > 0 && (best === undefined || savedBytes > best.savedBytes))
      best = { id: node.id, mode, savedBytes, costMs: costs.convertMs + costs.expandMs };
  }
  return best;
}

/** Whether `a` is better than `b` for the objective (strictly: ties keep `b`). */
function better(a: ValidEvaluation, b: ValidEvaluation | undefined, options: SolverOptions): boolean {
  if (b === undefined) return true;
  if (options.objective === "memory")
    return a.peakBytes < b.peakBytes || (a.peakBytes === b.peakBytes && a.makespanMs < b.makespanMs);
  return a.makespanMs < b.makespanMs || (a.makespanMs === b.makespanMs && a.peakBytes < b.peakBytes);
}

/**
 * `schedule` with the stored forms of `choices`, after giving up each one (costliest conversion first,
 * then the smallest saving) whose absence keeps the peak within `limitBytes` (for `least`: the peak with
 * every stored form) and the makespan no longer; undefined when even with all of them the peak passes
 * `limitBytes` or the schedule stores nothing.
 */
function storedWithin(
  instance: Instance,
  schedule: Schedule,
  choices: readonly Choice[],
  limitBytes: number | "least",
): Judged | undefined {
  const judge = (kept: readonly Choice[]): Judged | undefined => {
    const stored = storeAcrossTurn(instance, schedule, new Map(kept.map((c) => [c.id, c.mode])));
    const evaluation = evaluate(instance, stored);
    return evaluation.valid ? { schedule: stored, evaluation } : undefined;
  };
  let kept = [...choices];
  let best = judge(kept);
  if (best === undefined) return undefined;
  const limit = limitBytes === "least" ? best.evaluation.peakBytes : limitBytes;
  if (best.evaluation.peakBytes > limit) return undefined;
  const order = [...choices].sort((a, b) => b.costMs - a.costMs || a.savedBytes - b.savedBytes);
  for (const dropped of order) {
    const fewer = kept.filter((c) => c !== dropped);
    const trial = judge(fewer);
    if (
      trial !== undefined &&
      trial.evaluation.peakBytes <= limit &&
      trial.evaluation.makespanMs <= best.evaluation.makespanMs
    ) {
      kept = fewer;
      best = trial;
    }
  }
  return kept.length === 0 ? undefined : best;
}

/** The schedule of an answer that has one within its budget (optimal, feasible, a timeout's best). */
function scheduleOf(answer: SolverAnswer): Schedule | undefined {
  return answer.status === "infeasible" ? undefined : answer.schedule;
}

/**
 * Solves with `inner` and stored forms of the modes `options.storage` allows (see the file comment).
 *
 * @param inner the plain solver; it is called with `options.budgetBytes` first
 */
export async function solveWithStoredForms(
  instance: Instance,
  options: SolverOptions,
  inner: InnerSolve,
): Promise<SolverAnswer> {
  const deadline = new Deadline(options.timeLimitSec);
  const plain = await inner(options.budgetBytes, options.timeLimitSec);
  const choices = storageChoices(instance, options.storage ?? []);
  if (choices.length === 0 || plain.status === "timeout") return plain;
  const plainSchedule = scheduleOf(plain);
  const plainBest =
    plainSchedule === undefined
      ? undefined
      : { schedule: plainSchedule, evaluation: evaluate(instance, plainSchedule) as ValidEvaluation };
  const search = { instance, options, inner, deadline, choices, plain };
  const { best, stopped, rungs } = await climb(search, plainBest);
  if (best === undefined || best === plainBest) return plain;
  const claims = {
    schedule: best.schedule,
    claimedMakespanMs: best.evaluation.makespanMs,
    claimedPeakBytes: best.evaluation.peakBytes,
    lowerBoundMs: sumOfTimesBound(instance),
    counters: { storedForms: countConversions(best.schedule), rungs },
  };
  return stopped
    ? {
        status: "timeout",
        reason: "the time limit passed while trying larger budgets with stored forms",
        ...claims,
      }
    : { status: "feasible", ...claims };
}

/** What the climb over the ladder reads. */
interface Search {
  readonly instance: Instance;
  readonly options: SolverOptions;
  readonly inner: InnerSolve;
  readonly deadline: Deadline;
  readonly choices: readonly Choice[];
  /** The inner answer at the budget itself. */
  readonly plain: SolverAnswer;
}

/**
 * The best schedule over the rungs (the budget, then larger ones for time), each inner answer with the
 * stored forms it can use; `stopped` when the limit passed before the last rung.
 */
async function climb(
  search: Search,
  plainBest: Judged | undefined,
): Promise<{ best: Judged | undefined; stopped: boolean; rungs: number }> {
  const { instance, options, inner, deadline, choices, plain } = search;
  const budget = options.budgetBytes;
  const saving = choices.reduce((sum, c) => sum + c.savedBytes, 0);
  const rungs =
    options.objective === "memory" || !Number.isFinite(budget) ? [budget] : ladder(budget, saving);
  const left = () => Math.max(Number.MIN_VALUE, (deadline.atMs - performance.now()) / 1000);
  let best = plainBest;
  for (const rung of rungs) {
    if (deadline.passed()) return { best, stopped: true, rungs: rungs.length };
    const schedule = scheduleOf(rung === budget ? plain : await inner(rung, left()));
    if (schedule === undefined) continue;
    const limit = options.objective === "memory" ? "least" : budget;
    const stored = storedWithin(instance, schedule, choices, limit);
    if (stored !== undefined && better(stored.evaluation, best?.evaluation, options)) best = stored;
  }
  return { best, stopped: false, rungs: rungs.length };
}

/** B + saving * i / LADDER for i = 0..LADDER, rounded down to bytes, without repeats. */
function ladder(budget: number, saving: number): number[] {
  const rungs: number[] = [];
  for (let i = 0; i <= LADDER; i++) {
    const rung = i === 0 ? budget : Math.floor(budget + (saving * i) / LADDER);
    if (!rungs.includes(rung)) rungs.push(rung);
  }
  return rungs;
}

function countConversions(schedule: Schedule): number {
  return schedule.reduce((count, instruction) => count + (instruction.op === "C" ? 1 : 0), 0);
}
