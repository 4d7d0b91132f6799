/**
 * Everything a solver says is checked here before a user sees it (DESIGN.md, "Solvers"): the status and
 * its required parts; every claimed number present where required, finite, and equal to the evaluator's
 * (1e-9 relative); every schedule valid and, for optimal/feasible/timeout, within the budget; every bound
 * finite and at most the answer's evaluated cost (equal to it when the certificate says the answer meets
 * it; the sum-of-times bound recomputed); every front point
 * re-evaluated; `minFeasibleBudgetBytes` above the budget; counters finite. A failed check is a bug in
 * the solver: InternalError.
 */
import { describeCertificate } from "../src/certificate.js";
import { InternalError } from "../src/errors.js";
import { makespanLowerBound, SUM_OF_TIMES } from "../src/evaluate/bounds.js";
import { evaluate, type ValidEvaluation } from "../src/evaluate/evaluate.js";
import type { Instance } from "../src/instance/types.js";
import type { Bound, Certificate, Objective, ScheduleClass } from "../src/optimality.js";
import { SCHEDULE_CLASS_WORDS } from "../src/optimality.js";
import { formatSchedule } from "../src/schedule/text.js";
import type { Schedule } from "../src/schedule/types.js";
import type { ReportedBound, ResultOptions, SolveResult } from "../src/solve-result.js";
import type { InfeasibleAnswer, Solver, SolverAnswer, SolverOptions } from "../src/solver.js";
import { storedModesUsed, unallowedConversion } from "./storage-option.js";

/** Relative tolerance between a solver's claimed cost and the evaluator's (float sums in another order). */
const CLAIM_TOLERANCE = 1e-9;

const STATUSES = ["optimal", "feasible", "infeasible", "timeout"];
const CLASSES = Object.keys(SCHEDULE_CLASS_WORDS) as readonly ScheduleClass[];

/** What `describeAnswer` needs. */
export interface AnswerContext {
  readonly instance: Instance;
  readonly solver: Solver;
  readonly options: SolverOptions;
  readonly recorded: ResultOptions;
  readonly answer: SolverAnswer;
  readonly wallMs: number;
  /** The store-all evaluation (overhead reference). */
  readonly reference: ValidEvaluation;
}

/** Throws InternalError naming the solver and the broken promise. */
type Fail = (message: string) => never;

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= CLAIM_TOLERANCE * Math.max(1, Math.abs(b));
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/** Checks a solver's answer and builds the result. @throws InternalError at the first broken promise */
export function describeAnswer(context: AnswerContext): SolveResult {
  const { solver, answer } = context;
  const fail = (message: string): never => {
    throw new InternalError(`${solver.name}: ${message}`);
  };
  if (typeof answer !== "object" || answer === null || !STATUSES.includes(answer.status))
    fail(`answered with an unknown status ${JSON.stringify((answer as { status?: unknown })?.status)}`);
  const evaluation = checkSchedule(context, fail);
  const bounds = checkBounds(context, evaluation, fail);
  const certificate = answer.status === "optimal" ? checkCertificate(context, evaluation, fail) : null;
  if (answer.status === "infeasible") checkInfeasible(answer, context.options, fail);
  for (const [name, value] of Object.entries(answer.counters ?? {}))
    if (!isFiniteNumber(value)) fail(`counter ${name} is ${value}, not a finite number`);
  const front = checkFront(context, fail);
  return resultOf(context, { evaluation, bounds, certificate, front });
}

/** What the checks of `describeAnswer` established, as the result reports it. */
interface CheckedParts {
  readonly evaluation: ValidEvaluation | undefined;
  readonly bounds: readonly ReportedBound[];
  readonly certificate: Certificate | null;
  readonly front: SolveResult["front"];
}

/** Checks that an infeasible answer gives a reason and, if it names a least budget, one above the budget. */
function checkInfeasible(answer: InfeasibleAnswer, options: SolverOptions, fail: Fail): void {
  if (typeof answer.reason !== "string" || answer.reason === "") fail("answered infeasible without a reason");
  const least = answer.minFeasibleBudgetBytes;
  if (least !== undefined && !(isFiniteNumber(least) && least > options.budgetBytes))
    fail(
      `answered infeasible with minFeasibleBudgetBytes ${least}, not above the budget ${options.budgetBytes}`,
    );
}

/** The result of a checked answer: the evaluator's numbers, the checked bounds, certificate and front. */
function resultOf(context: AnswerContext, checked: CheckedParts): SolveResult {
  const { instance, solver, options, answer } = context;
  const { evaluation, bounds, certificate, front } = checked;
  const storeAllMs = context.reference.makespanMs;
  const bound = (objective: Objective) => bounds.find((b) => b.objective === objective)?.value ?? null;
  return {
    format: "remat-result/1",
    status: answer.status,
    solver: solver.name,
    instance: instance.name,
    objective: options.objective,
    budgetBytes: Number.isFinite(options.budgetBytes) ? options.budgetBytes : null,
    makespanMs: evaluation?.makespanMs ?? null,
    peakBytes: evaluation?.peakBytes ?? null,
    overhead: evaluation === undefined ? null : overheadOf(evaluation.makespanMs, storeAllMs),
    optimalOver: certificate === null ? null : overWords(certificate, evaluation?.lossy === true),
    certificate,
    lowerBoundMs: bound("time"),
    lowerBoundBytes: bound("memory"),
    bounds,
    minFeasibleBudgetBytes: answer.status === "infeasible" ? (answer.minFeasibleBudgetBytes ?? null) : null,
    reason: "reason" in answer && typeof answer.reason === "string" ? answer.reason : null,
    schedule: answer.schedule === undefined ? [] : formatSchedule(answer.schedule),
    options: context.recorded,
    stats: { wallMs: context.wallMs, ...answer.counters },
    ...(front === undefined ? {} : { front }),
    ...storedFormsOf(context, evaluation),
  };
}

/** What a certificate is optimal over, in words; a lossy schedule says that it is lossy. */
function overWords(certificate: Certificate, lossy: boolean): string {
  const words = describeCertificate(certificate);
  return lossy ? `${words}; lossy: a stored form in fp16/bf16 changes the gradients` : words;
}

/** `storedModes` and `lossy`, when storage modes were allowed or the schedule holds a stored form. */
function storedFormsOf(
  context: AnswerContext,
  evaluation: ValidEvaluation | undefined,
): Pick<SolveResult, "storedModes" | "lossy"> {
  const schedule = context.answer.schedule ?? [];
  const used = storedModesUsed(schedule);
  if (used.length === 0 && (context.options.storage ?? []).length === 0) return {};
  return { storedModes: used, lossy: evaluation?.lossy === true };
}

/** Evaluates the answer's schedule and checks its claims; undefined when there is none. */
function checkSchedule(context: AnswerContext, fail: Fail): ValidEvaluation | undefined {
  const { answer, options } = context;
  const schedule = "schedule" in answer ? answer.schedule : undefined;
  if (schedule === undefined) {
    if (answer.status === "optimal" || answer.status === "feasible")
      fail(`answered ${answer.status} without a schedule`);
    return undefined;
  }
  if (answer.status === "infeasible") fail("answered infeasible with a schedule");
  checkStorage(context, schedule, fail);
  const evaluation = evaluateClaimed(context, schedule, fail);
  const claimedMs = "claimedMakespanMs" in answer ? answer.claimedMakespanMs : undefined;
  const claimedPeak = "claimedPeakBytes" in answer ? answer.claimedPeakBytes : undefined;
  if (claimedMs === undefined) fail(`answered ${answer.status} with a schedule but no claimed makespan`);
  if (options.objective === "memory" && claimedPeak === undefined)
    fail("answered the memory objective without a claimed peak");
  checkClaim("makespan", claimedMs, evaluation.makespanMs, fail);
  checkClaim("peak", claimedPeak, evaluation.peakBytes, fail);
  if (evaluation.peakBytes > options.budgetBytes)
    fail(
      `answered ${answer.status} with a peak of ${evaluation.peakBytes} above the budget ${options.budgetBytes}`,
    );
  return evaluation;
}

/** Fails when the schedule converts to a storage mode the solver was not allowed. */
function checkStorage(context: AnswerContext, schedule: Schedule, fail: Fail): void {
  const unallowed = unallowedConversion(schedule, context.options.storage ?? []);
  const allowed = (context.options.storage ?? []).join(",") || "none";
  if (unallowed !== undefined)
    fail(`emitted ${unallowed}, a storage mode it was not allowed (storage: ${allowed})`);
}

function evaluateClaimed(context: AnswerContext, schedule: Schedule, fail: Fail) {
  const evaluation = evaluate(context.instance, schedule);
  if (!evaluation.valid)
    fail(`emitted an invalid schedule: ${evaluation.error.reason} (instruction ${evaluation.error.index})`);
  return evaluation as ValidEvaluation;
}

function checkClaim(what: string, claimed: unknown, evaluated: number, fail: Fail): void {
  if (claimed === undefined) return;
  if (!isFiniteNumber(claimed) || !close(claimed, evaluated))
    fail(`claims a ${what} of ${String(claimed)} but the evaluator says ${evaluated}`);
}

/** Checks each bound and returns them as the result reports them. */
function checkBounds(
  context: AnswerContext,
  evaluation: ValidEvaluation | undefined,
  fail: Fail,
): ReportedBound[] {
  const { answer } = context;
  const given: [Objective, Bound | undefined][] = [
    ["time", answer.lowerBoundMs],
    ["memory", answer.lowerBoundBytes],
  ];
  const reported: ReportedBound[] = [];
  for (const [objective, bound] of given) {
    if (bound === undefined) continue;
    checkBoundShape(objective, bound, fail);
    checkBoundValue(context, evaluation, objective, bound, fail);
    reported.push({ objective, value: bound.value, over: bound.over, method: bound.method });
  }
  return reported;
}

/** Checks that a bound is a Bound object: a finite non-negative value, a known class and a method. */
function checkBoundShape(objective: Objective, bound: Bound, fail: Fail): void {
  if (typeof bound !== "object" || bound === null)
    fail(`reports a ${objective} bound that is not a Bound object`);
  if (!isFiniteNumber(bound.value) || bound.value < 0) fail(`reports a ${objective} bound of ${bound.value}`);
  if (!CLASSES.includes(bound.over)) fail(`reports a ${objective} bound over an unknown class ${bound.over}`);
  if (typeof bound.method !== "string" || bound.method === "")
    fail(`reports a ${objective} bound without its method`);
}

/** Checks a bound's value: the sum-of-times bound recomputed, and at most the answer's evaluated cost. */
function checkBoundValue(
  context: AnswerContext,
  evaluation: ValidEvaluation | undefined,
  objective: Objective,
  bound: Bound,
  fail: Fail,
): void {
  if (bound.method === SUM_OF_TIMES && !close(bound.value, makespanLowerBound(context.instance)))
    fail(`reports the sum-of-times bound as ${bound.value}, not ${makespanLowerBound(context.instance)}`);
  if (evaluation === undefined) return;
  const cost = objective === "time" ? evaluation.makespanMs : evaluation.peakBytes;
  if (bound.value > cost * (1 + CLAIM_TOLERANCE))
    fail(`reports a ${objective} lower bound of ${bound.value} above its own answer's ${cost}`);
}

/** Checks the certificate of an optimal answer against the evaluated schedule. */
function checkCertificate(
  context: AnswerContext,
  evaluation: ValidEvaluation | undefined,
  fail: Fail,
): Certificate {
  const { answer } = context;
  const certificate = answer.status === "optimal" ? answer.certificate : undefined;
  if (certificate === undefined || certificate === null || typeof certificate !== "object")
    return fail("answered optimal without a certificate");
  if (!CLASSES.includes(certificate.over))
    fail(`certifies optimality over an unknown class ${certificate.over}`);
  switch (certificate.kind) {
    case "meets-bound":
      checkMeetsBound(context, certificate, evaluation, fail);
      break;
    case "dynamic-program":
      checkDynamicProgram(certificate, fail);
      break;
    case "enumeration":
    case "decomposition":
      checkPartCount(certificate, fail);
      break;
    case "milp":
      checkMilp(certificate, evaluation, fail);
      break;
    default:
      fail(`certifies optimality with an unknown kind ${(certificate as { kind: unknown }).kind}`);
  }
  return certificate;
}

/** Checks a meets-bound certificate: the answer's objective, its evaluated cost equal to the bound. */
function checkMeetsBound(
  context: AnswerContext,
  certificate: Extract<Certificate, { kind: "meets-bound" }>,
  evaluation: ValidEvaluation | undefined,
  fail: Fail,
): void {
  const { options } = context;
  const cost = options.objective === "time" ? evaluation?.makespanMs : evaluation?.peakBytes;
  if (certificate.objective !== options.objective)
    fail(`certifies the ${options.objective} objective by a ${certificate.objective} bound`);
  if (!isFiniteNumber(certificate.value) || cost === undefined || !close(certificate.value, cost))
    fail(`certifies that its cost ${cost} meets the bound ${certificate.value}, but they differ`);
  if (certificate.bound === SUM_OF_TIMES && !close(certificate.value, makespanLowerBound(context.instance)))
    fail(`cites the sum-of-times bound as ${certificate.value}, not ${makespanLowerBound(context.instance)}`);
}

/** Relative tolerance within which a MILP certificate's bound must meet the evaluated makespan (LP tolerances). */
const MILP_TOLERANCE = 1e-6;

/** Checks a MILP certificate: a named backend, a gap in [0, 1e-6], the evaluated makespan meeting its bound. */
function checkMilp(
  certificate: Extract<Certificate, { kind: "milp" }>,
  evaluation: ValidEvaluation | undefined,
  fail: Fail,
): void {
  if (typeof certificate.backend !== "string" || certificate.backend === "")
    fail("certifies a MILP optimum without naming its backend");
  if (!(isFiniteNumber(certificate.gap) && certificate.gap >= 0 && certificate.gap <= MILP_TOLERANCE))
    fail(`certifies a MILP optimum with a gap of ${certificate.gap}`);
  const cost = evaluation?.makespanMs;
  if (
    !isFiniteNumber(certificate.bound) ||
    cost === undefined ||
    Math.abs(cost - certificate.bound) > MILP_TOLERANCE * Math.max(1, Math.abs(cost))
  )
    fail(`certifies that its makespan ${cost} meets the MILP bound ${certificate.bound}, but they differ`);
}

/** Checks a dynamic-program certificate: a positive unit and a whole number of budget units (or none). */
function checkDynamicProgram(
  certificate: Extract<Certificate, { kind: "dynamic-program" }>,
  fail: Fail,
): void {
  if (!(isFiniteNumber(certificate.unitBytes) && certificate.unitBytes > 0))
    fail(`certifies a dynamic program with a unit of ${certificate.unitBytes} bytes`);
  if (certificate.budgetUnits !== null && !Number.isSafeInteger(certificate.budgetUnits))
    fail(`certifies a dynamic program over ${certificate.budgetUnits} budget units`);
}

/** Checks an enumeration or decomposition certificate: at least one candidate or part, counted exactly. */
function checkPartCount(
  certificate: Extract<Certificate, { kind: "enumeration" | "decomposition" }>,
  fail: Fail,
): void {
  const count = certificate.kind === "enumeration" ? certificate.count : certificate.parts;
  if (!(Number.isSafeInteger(count) && count >= 1))
    fail(`certifies an ${certificate.kind} of ${count} parts`);
}

/** Re-evaluates every front point; undefined when the answer has no front. */
function checkFront(context: AnswerContext, fail: Fail): SolveResult["front"] {
  const { answer } = context;
  if (answer.front === undefined) return undefined;
  return answer.front.map((point, index) => {
    const evaluation = evaluateClaimed(context, point.schedule, fail);
    if (point.makespanMs === undefined || point.peakBytes === undefined)
      fail(`front[${index}] lacks its costs`);
    checkClaim(`front[${index}] makespan`, point.makespanMs, evaluation.makespanMs, fail);
    checkClaim(`front[${index}] peak`, point.peakBytes, evaluation.peakBytes, fail);
    return {
      peakBytes: evaluation.peakBytes,
      makespanMs: evaluation.makespanMs,
      overhead: overheadOf(evaluation.makespanMs, context.reference.makespanMs),
    };
  });
}

/** makespan / store-all makespan - 1 (0 when both are 0). */
function overheadOf(makespanMs: number, storeAllMakespanMs: number): number {
  return storeAllMakespanMs > 0 ? makespanMs / storeAllMakespanMs - 1 : 0;
}
