/**
 * The javascript-lp-solver backend (pure JS, dense tableau): for LPs and small MILPs only. It is not
 * trusted (after a timeout it has returned a non-integral "feasible" MILP point; test/lp/failures.test.ts),
 * so every point it returns is re-checked with {@link checkSolution}; a bad point without a timeout
 * throws {@link LpBackendError}, a bad point after a timeout is dropped (status `timeout`, no incumbent).
 *
 * The library has no variable bounds, so variables are shifted and split into non-negative columns
 * and ranges become rows (jslp-model.ts). It proves nothing about MILPs: their answers are `feasible`,
 * never `optimal`; only an LP is `optimal` (with its objective as the bound). No bound, gap or counters
 * are reported for MILPs. Its own time limit is checked only between branch-and-bound nodes, so with a
 * time limit it runs in a worker that is terminated at the limit plus a grace period (jslp-runner.ts).
 */
import { type LpBackend, LpBackendError, type LpSolveOptions } from "./backend.js";
import { checkSolution, DEFAULT_TOLERANCE, describeViolations } from "./check.js";
import { type JslpModel, type JslpTranslation, toJslp } from "./jslp-model.js";
import { defaultJslpRunner, type JslpRunner } from "./jslp-runner.js";
import { isMixedInteger, type LpModel } from "./model.js";
import { type LpAnswer, type ResolvedOptions, runBackend, settleUnboundedOrInfeasible } from "./run.js";

const NAME = "jslp";

/** Branch and bound checks its clock once per node; count a run that used 95% of the limit as stopped by it. */
const LIMIT_REACHED_FRACTION = 0.95;

/**
 * The time limit a MILP gets when none is given, s. The library's branch and bound can loop forever on
 * some MILPs (a 7-node offload-milp model did, measured: still running after 240 s, while HiGHS and GLPK
 * proved it in 0.4 s), and it proves nothing about MILPs anyway, so an unlimited run is never worth more
 * than a bounded one: without a limit a MILP runs at most this long and answers `timeout` with its
 * checked incumbent. LPs have no default limit.
 */
export const JSLP_MILP_DEFAULT_LIMIT_SEC = 10;

/** Grace after the time limit before the worker running the library is terminated (jslp-runner.ts), ms. */
const KILL_GRACE_MS = 250;

/**
 * Creates a javascript-lp-solver backend.
 * @param run runs the library (a seam for tests; default: on this thread, or in a worker with a time limit)
 */
export function createJslpBackend(run: JslpRunner = defaultJslpRunner): LpBackend {
  const backend: LpBackend = {
    name: NAME,
    solve: (model: LpModel, options: LpSolveOptions = {}) =>
      runBackend(NAME, model, options, async (m, resolved) => {
        const start = performance.now();
        const answer = await solveOnce(run, m, resolved);
        if (answer !== "unbounded-or-infeasible") return answer;
        return settleUnboundedOrInfeasible(backend, m, resolved, performance.now() - start);
      }),
  };
  return backend;
}

/** The default javascript-lp-solver backend. */
export const jslpBackend: LpBackend = createJslpBackend();

async function solveOnce(
  run: JslpRunner,
  model: LpModel,
  options: ResolvedOptions,
): Promise<LpAnswer | "unbounded-or-infeasible"> {
  const mip = !options.relax && isMixedInteger(model);
  const limitSec =
    mip && !Number.isFinite(options.timeLimitSec) ? JSLP_MILP_DEFAULT_LIMIT_SEC : options.timeLimitSec;
  const translation = toJslp(model, options.relax);
  if (translation === "infeasible") return { status: "infeasible" };
  const jsModel: JslpModel = {
    ...translation.model,
    ...(Number.isFinite(limitSec) ? { timeout: limitSec * 1000 } : {}),
    ...(options.mipGap > 0 ? { tolerance: options.mipGap } : {}),
  };
  const start = performance.now();
  const raw = await run(jsModel, limitSec * 1000 + KILL_GRACE_MS);
  if (raw === "killed") return { status: "timeout" };
  const timedOut = mip && performance.now() - start >= LIMIT_REACHED_FRACTION * limitSec * 1000;
  return answerOf(raw, { model, translation, mip, relax: options.relax, timedOut });
}

/** What `answerOf` needs to know about the run besides the library's answer. */
interface RunFacts {
  readonly model: LpModel;
  readonly translation: JslpTranslation;
  /** Whether the model was solved as a MILP (else as an LP). */
  readonly mip: boolean;
  readonly relax: boolean;
  /** Whether a MILP run took (nearly) its whole time limit. */
  readonly timedOut: boolean;
}

/**
 * The answer for the library's `raw` answer; "unbounded-or-infeasible" for an unbounded MILP.
 * @throws LpBackendError when `raw` has no feasible flag
 */
function answerOf(raw: unknown, run: RunFacts): LpAnswer | "unbounded-or-infeasible" {
  if (typeof raw !== "object" || raw === null || !("feasible" in raw) || typeof raw.feasible !== "boolean")
    throw new LpBackendError(
      NAME,
      `Solve returned ${raw === null ? "null" : typeof raw} without a feasible flag`,
    );
  if (!raw.feasible) return { status: run.timedOut ? "timeout" : "infeasible" };
  if ("bounded" in raw && raw.bounded === false)
    return run.mip ? "unbounded-or-infeasible" : { status: "unbounded" };
  return checkedPoint(raw, run);
}

/**
 * The point of a feasible, bounded answer, re-checked against the model: `optimal` for an LP, `feasible`
 * (or `timeout`) for a MILP; a bad point after a timeout is dropped (`timeout`, no incumbent).
 * @throws LpBackendError for a non-numeric value or a bad point without a timeout
 */
function checkedPoint(raw: object, run: RunFacts): LpAnswer {
  const { model, mip, timedOut } = run;
  const values = run.translation.recover({ ...raw });
  if (typeof values === "string") throw new LpBackendError(NAME, `non-numeric value for column ${values}`);
  const check = checkSolution(model, values, DEFAULT_TOLERANCE, run.relax);
  if (check.violations.length > 0) {
    if (timedOut) return { status: "timeout" };
    throw new LpBackendError(
      NAME,
      `returned a "feasible" point violating ${check.violations.length} requirement(s): ${describeViolations(check.violations)}`,
    );
  }
  const objective = check.objective;
  if (!mip) return { status: "optimal", objective, values, bound: objective, gap: 0 };
  return { status: timedOut ? "timeout" : "feasible", objective, values };
}
