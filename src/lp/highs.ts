/**
 * The HiGHS backend (npm `highs`, HiGHS 1.15 compiled to WASM; the default): the persistent model API
 * fed with CSR arrays. The runtime is loaded once, on first use (~60 ms); each solve creates a native
 * model and always disposes it, since garbage collection never frees WASM memory (a model left to
 * the collector leaks). Solves are synchronous and block the event loop.
 *
 * Reports simplex iterations; for MILPs also `mip_dual_bound` (the bound), `mip_gap` and
 * `mip_node_count`, including under a time limit.
 */
import highsModule, { type Highs, type Model } from "highs";
import { type LpBackend, LpBackendError } from "./backend.js";
import { isMixedInteger, type LpModel, modelArrays } from "./model.js";
import { type LpAnswer, lazyBackend, type ResolvedOptions, settleUnboundedOrInfeasible } from "./run.js";

const NAME = "highs";

/** HiGHS `primal_solution_status` meaning "feasible point available". */
const PRIMAL_FEASIBLE = 2;

/**
 * Creates a HiGHS backend.
 * @param load loads the runtime (a seam for tests; default: the bundled WASM, loaded once)
 */
export function createHighsBackend(load: () => Promise<Highs> = () => highsLoader()()): LpBackend {
  return lazyBackend(NAME, load, async (highs, model, options, backend) => {
    const start = performance.now();
    const answer = solveOnce(highs, model, options);
    if (answer !== "unbounded-or-infeasible") return answer;
    return settleUnboundedOrInfeasible(backend, model, options, performance.now() - start);
  });
}

/** The default HiGHS backend, sharing one runtime across solves. */
export const highsBackend: LpBackend = createHighsBackend();

/**
 * The loader. The package's types describe its CommonJS build (loader at `exports.default`), while
 * Node's ESM resolution loads `highs.mjs`, whose default export is the loader itself: accept both.
 */
function highsLoader(): () => Promise<Highs> {
  const exported: unknown = highsModule;
  if (typeof exported === "function") return exported as () => Promise<Highs>;
  return highsModule.default;
}

function solveOnce(
  highs: Highs,
  model: LpModel,
  options: ResolvedOptions,
): LpAnswer | "unbounded-or-infeasible" {
  const arrays = modelArrays(model, options.relax);
  const mip = !options.relax && isMixedInteger(model);
  const sense = highs.constants.objectiveSense;
  const native = highs.createModel();
  try {
    native.passModel({
      numCols: arrays.numCols,
      numRows: arrays.numRows,
      sense: model.sense === "maximize" ? sense.maximize : sense.minimize,
      offset: model.offset,
      colCost: arrays.colCost,
      colLower: arrays.colLower,
      colUpper: arrays.colUpper,
      rowLower: arrays.rowLower,
      rowUpper: arrays.rowUpper,
      matrix: {
        format: "csr",
        numRows: arrays.numRows,
        numCols: arrays.numCols,
        starts: arrays.starts,
        indices: arrays.indices,
        values: arrays.values,
      },
      ...(mip ? { integrality: Int32Array.from(arrays.integer) } : {}),
    });
    native.options.set({
      output_flag: false,
      mip_rel_gap: options.mipGap,
      ...(Number.isFinite(options.timeLimitSec) ? { time_limit: options.timeLimitSec } : {}),
    });
    if (mip && options.start !== undefined && options.start.indices.length > 0)
      trySetStart(native, options.start);
    const status = native.run().modelStatus;
    return readAnswer(highs, native, status, mip);
  } finally {
    native.dispose();
  }
}

/**
 * Offers HiGHS a MILP start. A start HiGHS refuses (it checks rather than assumes feasibility) only
 * leaves it to find its own first incumbent, so a refusal is not a failure of the solve.
 */
function trySetStart(native: Model, start: NonNullable<ResolvedOptions["start"]>): void {
  try {
    native.setSolution({ indices: start.indices, values: start.values });
  } catch {
    // refused: the search starts without it, as with no start at all
  }
}

function readAnswer(
  highs: Highs,
  native: Model,
  status: number,
  mip: boolean,
): LpAnswer | "unbounded-or-infeasible" {
  const codes = highs.constants.modelStatus;
  const stats = statistics(native, mip);
  switch (status) {
    case codes.optimal: {
      const objective = native.getObjectiveValue();
      const values = native.getSolution().colValue;
      if (!mip) return { status: "optimal", objective, values, bound: objective, gap: 0, ...stats };
      return { status: "optimal", objective, values, ...mipBounds(native), ...stats };
    }
    case codes.infeasible:
      return { status: "infeasible", ...stats };
    case codes.unbounded:
      return { status: "unbounded", ...stats };
    case codes.unboundedOrInfeasible:
      return "unbounded-or-infeasible";
    case codes.timeLimit: {
      const bounds = mip ? mipBounds(native) : {};
      if (native.info.get("primal_solution_status") !== PRIMAL_FEASIBLE)
        return { status: "timeout", ...("bound" in bounds ? { bound: bounds.bound } : {}), ...stats };
      const objective = native.getObjectiveValue();
      return { status: "timeout", objective, values: native.getSolution().colValue, ...bounds, ...stats };
    }
    default:
      throw new LpBackendError(NAME, `unexpected model status ${status} (${statusName(highs, status)})`);
  }
}

/** `mip_dual_bound` and `mip_gap` when finite (HiGHS reports ±Infinity or NaN before it has them). */
function mipBounds(native: Model): { bound?: number; gap?: number } {
  const bound = Number(native.info.get("mip_dual_bound"));
  const gap = Number(native.info.get("mip_gap"));
  return {
    ...(Number.isFinite(bound) ? { bound } : {}),
    ...(Number.isFinite(gap) ? { gap } : {}),
  };
}

/** Simplex iterations, and B&B nodes for a MILP (HiGHS leaves the MIP counters unset on LPs). */
function statistics(native: Model, mip: boolean): { iterations?: number; nodes?: number } {
  const iterations = Number(native.info.get("simplex_iteration_count"));
  const nodes = mip ? Number(native.info.get("mip_node_count")) : -1;
  return {
    ...(iterations >= 0 ? { iterations } : {}),
    ...(nodes >= 0 ? { nodes } : {}),
  };
}

function statusName(highs: Highs, status: number): string {
  const entry = Object.entries(highs.constants.modelStatus).find(([, code]) => code === status);
  return entry === undefined ? "unknown code" : entry[0];
}
