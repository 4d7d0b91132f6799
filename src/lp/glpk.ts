/**
 * The GLPK backend (`glpk.js/node`, GLPK 5.0 compiled to WASM; the cross-check backend). In Node it
 * must be imported from `glpk.js/node`: the default entry is the browser build and crashes without
 * `Worker` in Node. The runtime is loaded once, on first use; solves are synchronous.
 *
 * LPs run the simplex without presolve, so that GLPK tells infeasible from unbounded (with presolve it
 * answers "undefined" for both); MILPs run `glp_intopt`, which needs presolve. GLPK reports no MIP
 * bound, gap, iteration or node count: the bound is given only for a proven optimum with `mipGap` 0.
 * Slow on hard MILPs (30x HiGHS on the remat MILP).
 */
import type { GLPK as Glpk, LP, Options, Result } from "glpk.js/node";
import { type LpBackend, LpBackendError } from "./backend.js";
import { isMixedInteger, type LpModel, modelArrays } from "./model.js";
import { type LpAnswer, lazyBackend, type ResolvedOptions, settleUnboundedOrInfeasible } from "./run.js";

const NAME = "glpk";

/** GLPK takes its time limit as a C `int` of milliseconds; longer limits are no limit. */
const MAX_LIMIT_MS = 2 ** 31 - 1;

/** A solve stopped by GLPK's clock ends within its millisecond granularity of the limit; allow 5%. */
const LIMIT_REACHED_FRACTION = 0.95;

/** Imports and instantiates `glpk.js/node` (imported on first use: it is Node's build). */
async function loadGlpk(): Promise<Glpk> {
  const glpkNode = await import("glpk.js/node");
  return glpkNode.default();
}

/**
 * Creates a GLPK backend.
 * @param load loads the runtime (a seam for tests; default: `glpk.js/node`, loaded once)
 */
export function createGlpkBackend(load: () => Promise<Glpk> = loadGlpk): LpBackend {
  return lazyBackend(NAME, load, async (glpk, model, options, backend) => {
    const start = performance.now();
    const answer = solveOnce(glpk, model, options);
    const elapsedMs = performance.now() - start;
    if (answer === "undefined-mip") return settleUndefinedMip(backend, model, options, elapsedMs);
    return answer;
  });
}

/** The default GLPK backend, sharing one runtime across solves. */
export const glpkBackend: LpBackend = createGlpkBackend();

type Bounds = LP["subjectTo"][number]["bnds"];

function glpkBounds(glpk: Glpk, lower: number, upper: number): Bounds {
  const hasLower = Number.isFinite(lower);
  const hasUpper = Number.isFinite(upper);
  if (hasLower && hasUpper)
    return { type: lower === upper ? glpk.GLP_FX : glpk.GLP_DB, lb: lower, ub: upper };
  if (hasLower) return { type: glpk.GLP_LO, lb: lower, ub: 0 };
  if (hasUpper) return { type: glpk.GLP_UP, lb: 0, ub: upper };
  return { type: glpk.GLP_FR, lb: 0, ub: 0 };
}

/** Column and row names inside GLPK (the model's own names may not be valid GLPK names). */
const column = (j: number): string => `x${j}`;
const row = (i: number): string => `r${i}`;

/** A row that constrains nothing, for models without rows: GLPK's MIP solver fails on those. */
const FREE_ROW = "free";

/** GLPK's problem, or `infeasible` when rounding an integer variable's bounds emptied its range. */
function toGlpk(glpk: Glpk, model: LpModel, relax: boolean): LP | "infeasible" {
  const a = modelArrays(model, relax);
  for (let j = 0; j < a.numCols; j++)
    if ((a.colLower[j] as number) > (a.colUpper[j] as number)) return "infeasible";
  const all = Array.from({ length: a.numCols }, (_, j) => j);
  const rows: LP["subjectTo"] = Array.from({ length: a.numRows }, (_, i) => {
    const vars: { name: string; coef: number }[] = [];
    for (let k = a.starts[i] as number; k < (a.starts[i + 1] as number); k++)
      vars.push({ name: column(a.indices[k] as number), coef: a.values[k] as number });
    return { name: row(i), vars, bnds: glpkBounds(glpk, a.rowLower[i] as number, a.rowUpper[i] as number) };
  });
  if (rows.length === 0)
    rows.push({
      name: FREE_ROW,
      vars: [{ name: column(0), coef: 1 }],
      bnds: glpkBounds(glpk, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY),
    });
  return {
    name: "remat",
    objective: {
      direction: model.sense === "maximize" ? glpk.GLP_MAX : glpk.GLP_MIN,
      name: "objective",
      vars: all.map((j) => ({ name: column(j), coef: a.colCost[j] as number })),
    },
    subjectTo: rows,
    // Integers are `generals`, never `binaries`: GLPK resets a binary's bounds to [0, 1].
    bounds: all.map((j) => ({
      name: column(j),
      ...glpkBounds(glpk, a.colLower[j] as number, a.colUpper[j] as number),
    })),
    generals: all.filter((j) => a.integer[j] === 1).map(column),
  };
}

function solveOnce(glpk: Glpk, model: LpModel, options: ResolvedOptions): LpAnswer | "undefined-mip" {
  const mip = !options.relax && isMixedInteger(model);
  const limitMs = options.timeLimitSec * 1000;
  const solveOptions: Options = {
    msglev: glpk.GLP_MSG_OFF,
    presol: mip,
    mipgap: options.mipGap,
    ...(limitMs < MAX_LIMIT_MS ? { tmlim: options.timeLimitSec } : {}),
  };
  const problem = toGlpk(glpk, model, options.relax);
  if (problem === "infeasible") return { status: "infeasible" };
  const start = performance.now();
  const { result } = glpk.solve(problem, solveOptions);
  const timedOut = performance.now() - start >= LIMIT_REACHED_FRACTION * limitMs;
  return answerOf(glpk, result, { model, mip, mipGap: options.mipGap, timedOut });
}

/** What `answerOf` needs to know about the run besides GLPK's result. */
interface RunFacts {
  readonly model: LpModel;
  /** Whether the run was `glp_intopt` on a mixed-integer model (else the simplex). */
  readonly mip: boolean;
  readonly mipGap: number;
  /** Whether the run took (nearly) its whole time limit. */
  readonly timedOut: boolean;
}

/**
 * The answer for GLPK's result status; "undefined-mip" when `glp_intopt` left it undefined in time.
 * @throws LpBackendError for a status GLPK should not give for this kind of run
 */
function answerOf(glpk: Glpk, result: Result["result"], run: RunFacts): LpAnswer | "undefined-mip" {
  const { model, mip, timedOut } = run;
  switch (result.status) {
    case glpk.GLP_OPT:
      return optimalAnswer(result, run);
    case glpk.GLP_FEAS:
      return { status: timedOut || !mip ? "timeout" : "feasible", ...solutionOf(result, model) };
    case glpk.GLP_NOFEAS:
      return { status: "infeasible" };
    case glpk.GLP_UNBND:
      if (!mip) return { status: "unbounded" };
      break;
    case glpk.GLP_UNDEF:
      if (timedOut) return { status: "timeout" };
      if (mip) return "undefined-mip";
      break;
    default:
      if (timedOut) return { status: "timeout" };
  }
  throw new LpBackendError(NAME, `unexpected ${mip ? "MIP" : "LP"} status ${result.status}`);
}

/** An optimum, with its bound and a zero gap when it is exact (an LP, or a MIP solved with `mipGap` 0). */
function optimalAnswer(result: Result["result"], run: RunFacts): LpAnswer {
  const found = solutionOf(result, run.model);
  const exact = !run.mip || run.mipGap === 0;
  return { status: "optimal", ...found, ...(exact ? { bound: found.objective, gap: 0 } : {}) };
}

/** The objective value (with the model's offset) and column values of a result with a solution. */
function solutionOf(result: Result["result"], model: LpModel): { objective: number; values: Float64Array } {
  // typed as a number, but null when GLPK has no objective value
  const z: unknown = result.z;
  if (typeof z !== "number") throw new LpBackendError(NAME, `objective value ${String(z)}`);
  return { objective: z + model.offset, values: readValues(result.vars, model.variables.length) };
}

function readValues(vars: Readonly<Record<string, number>>, count: number): Float64Array {
  const values = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    const value = vars[column(j)];
    if (typeof value !== "number")
      throw new LpBackendError(NAME, `no value returned for column ${column(j)}`);
    values[j] = value;
  }
  return values;
}

/**
 * `glp_intopt` leaves the MIP status undefined when the LP relaxation has no optimum (or the root LP
 * failed): look at the relaxation, and settle an unbounded one with a feasibility probe.
 */
async function settleUndefinedMip(
  backend: LpBackend,
  model: LpModel,
  options: ResolvedOptions,
  elapsedMs: number,
): Promise<LpAnswer> {
  const remainingSec = options.timeLimitSec - elapsedMs / 1000;
  if (remainingSec <= 0) return { status: "timeout" };
  const relaxation = await backend.solve(model, { ...options, relax: true, timeLimitSec: remainingSec });
  if (relaxation.status === "infeasible") return { status: "infeasible" };
  if (relaxation.status === "timeout") return { status: "timeout" };
  if (relaxation.status === "unbounded")
    return settleUnboundedOrInfeasible(backend, model, options, elapsedMs + relaxation.wallMs);
  throw new LpBackendError(NAME, `undefined MIP status although the LP relaxation is ${relaxation.status}`);
}
