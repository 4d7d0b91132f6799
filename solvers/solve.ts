/**
 * solve: checks the options, runs one solver on an instance under a budget, then checks everything the
 * solver says against the evaluator (check-answer.ts) and returns the one result shape, recording every
 * option (switch defaults included) so the result can be reproduced from its JSON.
 */
import type { Budget } from "../src/budget.js";
import { describeValue, InputError, type InputIssue } from "../src/errors.js";
import { applyLink } from "../src/hardware/apply.js";
import { type HardwareChoice, type LinkRecord, type LinkSetting, linkSetting } from "../src/hardware/link.js";
import { requireInstance } from "../src/instance/parsed.js";
import type { Instance, StorageMode } from "../src/instance/types.js";
import type { Objective } from "../src/optimality.js";
import { parseSwitches } from "../src/options.js";
import { resolveBudget, storeAllEvaluation } from "../src/schedule/builders.js";
import type { ResultOptions, SolveResult } from "../src/solve-result.js";
import type { CommonOption, Solver, SolverOptions } from "../src/solver.js";
import { describeAnswer } from "./check-answer.js";
import { findSolver } from "./registry.js";
import { type StorageChoice, storageModes } from "./storage-option.js";

/** Default memory discretization (rotor's S). */
export const DEFAULT_SLOTS = 500;

/** The time a solver is given when preparing the solve already used up the limit: none, in effect. */
const MIN_LIMIT_SEC = Number.MIN_VALUE;

/** What `solve` accepts; every field but `solver` is optional. */
export interface SolveOptions {
  /** Solver name (see `solvers`), or a Solver object of your own (checked the same way). */
  readonly solver: string | Solver;
  /** Bytes, a text budget (`1.5GB`, `50%`, `none`) or a parsed Budget; default none. */
  readonly budget?: number | string | Budget;
  /** Default: the solver's first objective. */
  readonly objective?: Objective;
  /** Memory discretization, for solvers that read it (default 500). */
  readonly slots?: number;
  /** Seconds (default none; null or Infinity for none): an unfinished search answers `timeout` with the best it has. */
  readonly timeLimitSec?: number | null;
  /** Kept node ids, for solvers that read them. */
  readonly checkpoints?: readonly string[];
  /** The solver's switches (see its `switches` table); unknown keys are refused. */
  readonly extra?: Readonly<Record<string, unknown>>;
  /**
   * The host link: a preset name (`"pcie4"`, `"none"` for no link; see HARDWARE_PRESETS) replacing the
   * instance's own `hardware` block, and/or `bandwidth` (bytes/ms, or text such as `"16GB/s"`) and
   * `latency` (ms, or `"10us"`) overriding one figure of the link in force (the preset's, else the
   * instance's); with no link in force both figures are needed (src/hardware/link.ts). Default: the
   * instance's own block. The result records the link used in `options.hardware`.
   */
  readonly hardware?: HardwareChoice;
  /**
   * The stored forms the solver may plan for kept activations (DESIGN.md, "Storage modes"): `"none"`
   * (default), a comma-separated list (`"bitmap"`, `"bitmap,bf16"`) or a list of modes; lossy modes
   * (`fp16`, `bf16`) only when named. A solver that does not plan a named mode refuses it (InputError).
   */
  readonly storage?: StorageChoice;
}

const OPTION_FIELDS = [
  "solver",
  "budget",
  "objective",
  "slots",
  "timeLimitSec",
  "checkpoints",
  "extra",
  "hardware",
  "storage",
];

function optionIssue(path: string, expected: string, value: unknown): InputIssue {
  return { code: "option", path, expected, received: describeValue(value) };
}

/** Every issue with the options themselves (shape, types, fields the solver does not read). */
function optionIssues(solver: Solver, options: SolveOptions): InputIssue[] {
  return [...unknownFieldIssues(options), ...valueIssues(solver, options), ...unreadIssues(solver, options)];
}

/** One issue per field of `options` that `solve` does not know. */
function unknownFieldIssues(options: SolveOptions): InputIssue[] {
  const issues: InputIssue[] = [];
  for (const key of Object.keys(options))
    if (!OPTION_FIELDS.includes(key))
      issues.push({
        code: "unknown-field",
        path: key,
        expected: `one of ${OPTION_FIELDS.join(", ")}`,
        received: `unknown option "${key}"`,
      });
  return issues;
}

/** One issue per given option of the wrong type or range (objective, slots, timeLimitSec, ...). */
function valueIssues(solver: Solver, options: SolveOptions): InputIssue[] {
  const issues: InputIssue[] = [];
  const { objective, slots, timeLimitSec, checkpoints, extra } = options;
  if (objective !== undefined && !solver.objectives.includes(objective))
    issues.push(
      optionIssue("objective", `one of ${solver.objectives.join(", ")} for ${solver.name}`, objective),
    );
  if (slots !== undefined && !(Number.isSafeInteger(slots) && slots >= 1))
    issues.push(optionIssue("slots", "a positive integer", slots));
  if (!isTimeLimit(timeLimitSec))
    issues.push(
      optionIssue("timeLimitSec", "a positive number of seconds (Infinity for none)", timeLimitSec),
    );
  if (
    checkpoints !== undefined &&
    !(Array.isArray(checkpoints) && checkpoints.every((id) => typeof id === "string"))
  )
    issues.push(optionIssue("checkpoints", "a list of node ids", checkpoints));
  if (extra !== undefined && (typeof extra !== "object" || extra === null || Array.isArray(extra)))
    issues.push(optionIssue("extra", "an object of switches", extra));
  return issues;
}

/** Whether `value` is an acceptable `timeLimitSec`: absent, null, or a positive number. */
function isTimeLimit(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "number" && value > 0);
}

/** One issue per common option given to a solver that does not read it. */
function unreadIssues(solver: Solver, options: SolveOptions): InputIssue[] {
  const issues: InputIssue[] = [];
  const given: [CommonOption, unknown][] = [
    ["slots", options.slots],
    ["checkpoints", options.checkpoints],
  ];
  for (const [name, value] of given)
    if (value !== undefined && !solver.reads.includes(name))
      issues.push(
        optionIssue(
          name,
          `absent: ${solver.name} does not read ${name} (it reads ${readsText(solver)})`,
          value,
        ),
      );
  return issues;
}

function readsText(solver: Solver): string {
  const common = ["budget", "objective", "timeLimitSec", ...solver.reads];
  const switches = Object.keys(solver.switches);
  return `${common.join(", ")}${switches.length === 0 ? "" : `, and the switches ${switches.join(", ")}`}`;
}

/** The `hardware` option normalized (undefined when absent), its issues moved into `issues`. */
function hardwareSetting(choice: HardwareChoice | undefined, issues: InputIssue[]): LinkSetting | undefined {
  if (choice === undefined) return undefined;
  try {
    return linkSetting(choice, "solve");
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    issues.push(...error.issues);
    return undefined;
  }
}

/** The budget as text, for the result's options. */
function budgetText(budget: SolveOptions["budget"]): string {
  if (budget === undefined) return "none";
  if (typeof budget === "number") return String(budget);
  if (typeof budget === "string") return budget.trim();
  if (budget.kind === "bytes") return String(budget.bytes);
  return budget.kind === "fraction" ? `${budget.fraction * 100}%` : "none";
}

/**
 * Solves `instance` with the named solver.
 *
 * @param given an instance from `parseInstance` or `loadInstance`; solved under the link that
 *   `options.hardware` chooses (src/hardware/link.ts), by default its own `hardware` block
 * @returns the result: `optimal` (with its certificate) or `feasible` with a schedule whose evaluated
 *   cost is reported, `infeasible` (with the least budget that would work, when the solver knows it) or
 *   `timeout` (with the best schedule found, when there is one)
 * @throws InputError for an unparsed instance, an unknown solver, bad or unread options (an unknown
 *   preset, bad link figures, one figure alone for an instance without a link), unknown switches, or an
 *   instance outside the solver's class
 * @throws InternalError when anything the solver says disagrees with the evaluator (a bug)
 */
export async function solve(given: Instance, options: SolveOptions): Promise<SolveResult> {
  const entered = performance.now();
  requireInstance(given, "solve");
  if (typeof options !== "object" || options === null)
    throw new InputError("solve", [optionIssue("", "an options object with at least `solver`", options)]);
  const solver =
    typeof options.solver === "object" && options.solver !== null
      ? options.solver
      : findSolver(options.solver);
  const issues = optionIssues(solver, options);
  const setting = hardwareSetting(options.hardware, issues);
  const storage = storageModes(solver, options.storage);
  issues.push(...storage.issues);
  if (issues.length > 0) throw new InputError("solve", issues);
  const extra = parseSwitches(solver.switches, options.extra, solver.name);
  const { instance: linked, link } = applyLink(given, setting, "solve");
  return solveLinked(linked, { solver, options, extra, link, entered, storage: storage.modes });
}

/** What `solve` has checked and resolved before the solver runs. */
interface Prepared {
  readonly solver: Solver;
  readonly options: SolveOptions;
  readonly extra: Readonly<Record<string, unknown>>;
  readonly link: LinkRecord | null;
  /** performance.now() when `solve` was called: the time limit counts from it. */
  readonly entered: number;
  /** The storage modes allowed (empty: none). */
  readonly storage: readonly StorageMode[];
}

/** Runs the solver on `instance` (already under its link) and checks its answer. */
async function solveLinked(instance: Instance, prepared: Prepared): Promise<SolveResult> {
  const { solver, options, extra, link, entered, storage } = prepared;
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
  const objective = options.objective ?? (solver.objectives[0] as Objective);
  const limitSec = options.timeLimitSec ?? Number.POSITIVE_INFINITY;
  const budgetBytes = resolveBudget(instance, options.budget ?? "none");
  const reference = storeAllEvaluation(instance);
  const solverOptions: SolverOptions = {
    budgetBytes,
    objective,
    slots: options.slots ?? DEFAULT_SLOTS,
    // the limit counts from the call: what resolving the budget took is already spent
    timeLimitSec: Math.max(MIN_LIMIT_SEC, limitSec - (performance.now() - entered) / 1000),
    ...(options.checkpoints === undefined ? {} : { checkpoints: Object.freeze([...options.checkpoints]) }),
    extra,
    ...(storage.length === 0 ? {} : { storage }),
  };
  const recorded: ResultOptions = {
    budget: budgetText(options.budget),
    objective,
    ...(solver.reads.includes("slots") ? { slots: solverOptions.slots } : {}),
    timeLimitSec: Number.isFinite(limitSec) ? limitSec : null,
    ...(solverOptions.checkpoints === undefined ? {} : { checkpoints: solverOptions.checkpoints }),
    ...(storage.length === 0 ? {} : { storage }),
    extra,
    hardware: link,
  };
  const started = performance.now();
  const answer = await solver.solve(instance, solverOptions);
  const wallMs = performance.now() - started;
  return describeAnswer({ instance, solver, options: solverOptions, recorded, answer, wallMs, reference });
}
