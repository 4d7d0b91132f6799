/**
 * The steps every backend shares around its library call: option checks and defaults, timing, the
 * answer for a model without variables, turning library failures into {@link LpBackendError}, telling
 * "unbounded" from "infeasible" when a library cannot, and loading a WASM runtime once.
 */
import { InternalError } from "../errors.js";
import { type LpBackend, LpBackendError, type LpResult, type LpSolveOptions } from "./backend.js";
import { type LpModel, withoutObjective } from "./model.js";

/** What a backend's core returns: a result without the fields {@link runBackend} fills in. */
export type LpAnswer = Omit<LpResult, "wallMs" | "backend">;

/** {@link LpSolveOptions} with defaults filled in. */
export interface ResolvedOptions {
  /** Seconds; `Infinity` for no limit. */
  readonly timeLimitSec: number;
  readonly mipGap: number;
  readonly relax: boolean;
  /** The MILP start, when given. */
  readonly start?: { readonly indices: Int32Array; readonly values: Float64Array };
}

/**
 * Runs `solve` for backend `name`: checks the options, answers a model without variables directly,
 * times the call and wraps anything the library throws.
 * @throws InternalError for invalid options; LpBackendError for any failure inside `solve`
 */
export async function runBackend(
  name: string,
  model: LpModel,
  options: LpSolveOptions,
  solve: (model: LpModel, options: ResolvedOptions) => Promise<LpAnswer>,
): Promise<LpResult> {
  const resolved = resolveOptions(`${name}.solve`, options);
  const start = performance.now();
  let answer: LpAnswer;
  if (model.variables.length === 0) answer = solveWithoutVariables(model);
  else {
    try {
      answer = await solve(model, resolved);
    } catch (error) {
      if (error instanceof LpBackendError) throw error;
      throw new LpBackendError(name, describeError(error), error);
    }
  }
  return { ...answer, wallMs: performance.now() - start, backend: name };
}

function resolveOptions(site: string, options: LpSolveOptions): ResolvedOptions {
  const timeLimitSec = options.timeLimitSec ?? Number.POSITIVE_INFINITY;
  const mipGap = options.mipGap ?? 0;
  if (!(timeLimitSec > 0))
    throw new InternalError(`${site}: timeLimitSec must be > 0 or Infinity, got ${timeLimitSec}`);
  if (!(mipGap >= 0 && Number.isFinite(mipGap)))
    throw new InternalError(`${site}: mipGap must be a finite number >= 0, got ${mipGap}`);
  return {
    timeLimitSec,
    mipGap,
    relax: options.relax ?? false,
    ...(options.start === undefined ? {} : { start: options.start }),
  };
}

/** With no variables every row's activity is 0: optimal at the offset when 0 is within every row's bounds. */
function solveWithoutVariables(model: LpModel): LpAnswer {
  const feasible = model.constraints.every((row) => row.lower <= 0 && 0 <= row.upper);
  if (!feasible) return { status: "infeasible" };
  return {
    status: "optimal",
    objective: model.offset,
    values: new Float64Array(0),
    bound: model.offset,
    gap: 0,
  };
}

/** `Name: message` of a thrown value, or its string form. */
function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Settles a MILP whose LP relaxation is unbounded (the library says "unbounded or infeasible") by
 * solving the feasibility problem with `backend`: with rational data a feasible MILP whose relaxation
 * is unbounded is itself unbounded (Meyer 1974), so a feasible point means `unbounded`.
 * @param elapsedMs time already spent, deducted from the time limit
 */
export async function settleUnboundedOrInfeasible(
  backend: LpBackend,
  model: LpModel,
  options: ResolvedOptions,
  elapsedMs: number,
): Promise<LpAnswer> {
  const remainingSec = options.timeLimitSec - elapsedMs / 1000;
  if (remainingSec <= 0) return { status: "timeout" };
  const probe = await backend.solve(withoutObjective(model), { ...options, timeLimitSec: remainingSec });
  if (probe.status === "infeasible") return { status: "infeasible" };
  if (probe.status === "timeout") return { status: "timeout" };
  if (probe.status === "optimal" || probe.status === "feasible") return { status: "unbounded" };
  throw new LpBackendError(backend.name, `feasibility probe answered ${probe.status} for a zero objective`);
}

/**
 * Whether `error` is a backend failure caused by a WebAssembly trap (an Emscripten abort throws a
 * `RuntimeError`), after which the runtime's memory cannot be trusted and it must be loaded again.
 */
export function isRuntimeCrash(error: unknown): boolean {
  return (
    error instanceof LpBackendError && error.cause instanceof Error && error.cause.name === "RuntimeError"
  );
}

/** A runtime loaded on first use and kept; a failed load, or `reset` after a crash, loads it again. */
export interface LazyRuntime<T> {
  get(): Promise<T>;
  reset(): void;
}

/** Wraps `load` so that it runs at most once until it fails or is reset. */
export function lazyRuntime<T>(load: () => Promise<T>): LazyRuntime<T> {
  let cached: Promise<T> | undefined;
  return {
    get() {
      cached ??= load().catch((error: unknown) => {
        cached = undefined;
        throw error;
      });
      return cached;
    },
    reset() {
      cached = undefined;
    },
  };
}

/**
 * A backend over a runtime loaded on first use (a WebAssembly module): `solveWith` does one solve;
 * after a WebAssembly trap the runtime is loaded again for the next solve.
 */
export function lazyBackend<T>(
  name: string,
  load: () => Promise<T>,
  solveWith: (runtime: T, model: LpModel, options: ResolvedOptions, backend: LpBackend) => Promise<LpAnswer>,
): LpBackend {
  const runtime = lazyRuntime(load);
  const backend: LpBackend = {
    name,
    solve: (model: LpModel, options: LpSolveOptions = {}) =>
      runBackend(name, model, options, async (m, resolved) =>
        solveWith(await runtime.get(), m, resolved, backend),
      ).catch((error: unknown) => {
        if (isRuntimeCrash(error)) runtime.reset();
        throw error;
      }),
  };
  return backend;
}
