/**
 * One probe of a fit (src/fit/fit.ts): one solver at one level and one batch size, solved whole or as
 * micro-batches, and whether its plan fits the memory and the overhead cap (with why not).
 */
import { InputError } from "../errors.js";
import type { Instance } from "../instance/types.js";
import type { SolveResult } from "../solve-result.js";
import { microbatchProbe } from "./microbatch-probe.js";
import type { FitLevel, FitOptions, FitProbeDetail, FitSolve } from "./types.js";

/** What a probe of one solver at one level needs. */
export interface ProbeSetting {
  readonly solver: string;
  readonly level: FitLevel;
  readonly options: FitOptions;
  readonly instanceAt: (level: FitLevel, batch: number) => Instance;
  readonly solve: FitSolve;
}

/** One solve at `batch`; a refusal past batch 1 is a failing probe. */
export async function solveProbe(
  batch: number,
  { solver, level, options, instanceAt, solve }: ProbeSetting,
): Promise<{ passes: boolean; detail: FitProbeDetail }> {
  let result: SolveResult;
  try {
    result = await solve(instanceAt(level, batch), {
      solver,
      budget: options.memoryBytes,
      ...(options.timeLimitSec === undefined ? {} : { timeLimitSec: options.timeLimitSec }),
    });
  } catch (error) {
    const rejection = batch === 1 ? undefined : notAccepted(error);
    if (rejection === undefined) throw error;
    return { passes: false, detail: { ...REFUSED, why: `not accepted: ${rejection}` } };
  }
  const detail = probeDetail(result, options);
  return { passes: detail.why === null, detail };
}

/** The step of `batch` as micro-batches (src/fit/microbatch-probe.ts). */
export async function stepProbe(
  batch: number,
  microbatches: number | "auto",
  { solver, level, options, instanceAt, solve }: ProbeSetting,
): Promise<{ passes: boolean; detail: FitProbeDetail }> {
  const probe = await microbatchProbe(batch, {
    solver,
    memoryBytes: options.memoryBytes,
    microbatches,
    ...(options.accumulation === undefined ? {} : { accumulation: options.accumulation }),
    ...(options.timeLimitSec === undefined ? {} : { timeLimitSec: options.timeLimitSec }),
    instanceAt: (b) => instanceAt(level, b),
    solve,
  });
  const fits = probe.microbatches !== null;
  const detail = {
    ...probeDetail({ ...probe, makespanMs: fits ? 0 : null, reason: null }, options),
    solveMs: probe.solveMs,
    microbatches: probe.microbatches,
  };
  return { passes: detail.why === null, detail };
}

/** A probe at which the solver refused the instance (only past batch 1: at 1 the row is not applicable). */
const REFUSED: FitProbeDetail = {
  status: "infeasible",
  peakBytes: null,
  overhead: null,
  solveMs: 0,
  why: null,
};

/** The figures of one solve, and why it does not fit (null when it does). */
function probeDetail(
  result: Pick<SolveResult, "status" | "peakBytes" | "overhead" | "makespanMs" | "reason"> & {
    readonly stats?: { readonly wallMs: number };
  },
  options: FitOptions,
): FitProbeDetail {
  const { status, peakBytes, overhead } = result;
  const fits = result.makespanMs !== null && peakBytes !== null && peakBytes <= options.memoryBytes;
  const why = !fits
    ? status === "infeasible"
      ? "infeasible"
      : (result.reason ?? status)
    : options.maxOverhead !== undefined && (overhead ?? 0) > options.maxOverhead
      ? "over the overhead cap"
      : null;
  return { status, peakBytes, overhead, solveMs: result.stats?.wallMs ?? 0, why };
}

/** The reason when `error` says the solver does not accept the instance (its class), else undefined. */
export function notAccepted(error: unknown): string | undefined {
  if (!(error instanceof InputError)) return undefined;
  if (error.issues.length > 0 && error.issues.every((item) => item.path === "storage"))
    return error.issues.map((item) => item.received).join("; ");
  const issue = error.issues.find((item) => item.code === "structure" && item.path === "nodes");
  return issue === undefined || error.issues.length !== 1 ? undefined : issue.received;
}
