/**
 * A bound behind any answer (issue 13, item 4): solve with any solver, then the best lower bound at the
 * same budget of the stage-grid relaxations: the LP relaxation of Checkmate's MILP (lp-round.ts,
 * `solveRelaxation`; proofs/milp.md, claims 5 and 6) and the block relaxation (blocks-bound.ts;
 * proofs/milp-blocks.md), reported with the gap of the answer. The bound holds over the stage-grid class (or over
 * all schedules when the sum of times is larger); it is checked against the answer when the answer's
 * schedule lies in the grid (membership.ts), which every checkpoint, chain-dp and store-all schedule does,
 * and a bound above such an answer's evaluated makespan is a bug (InternalError). For an answer outside
 * the grid (offloading, say) the bound says nothing and no gap is given.
 */
import { InternalError } from "../../src/errors.js";
import { makespanLowerBound, SUM_OF_TIMES } from "../../src/evaluate/bounds.js";
import type { Instance } from "../../src/instance/types.js";
import type { LpBackendName } from "../../src/lp/backends.js";
import type { ScheduleClass } from "../../src/optimality.js";
import { parseSwitches } from "../../src/options.js";
import { parseSchedule } from "../../src/schedule/text.js";
import type { GridBoundReport, ReportedBound, SolveResult } from "../../src/solve-result.js";
import { Deadline, TimeLimitReached } from "../../src/time-limit.js";
import { type SolveOptions, solve } from "../solve.js";
import { BLOCKS_BOUND, blocksBound } from "./blocks-bound.js";
import { stageGrid } from "./grid.js";
import { LP_BOUND, solveRelaxation } from "./lp-round.js";
import { inStageGrid } from "./membership.js";
import { MILP_BLOCKS_SWITCHES } from "./milp-blocks.js";
import { gridBinaries } from "./model.js";

/** Relative slack of the check bound <= makespan (the LP backends' tolerances). */
const BOUND_TOLERANCE = 1e-6;

/** Largest model the bound is computed for (binaries, counted before building). */
export const BOUND_MAX_BINARIES = 500_000;

/** What `solveWithBound` takes besides `solve`'s options. */
export interface BoundOptions {
  /** LP backend of the relaxation (default highs; jslp proves no bound, so it is refused). */
  readonly boundLp?: Exclude<LpBackendName, "jslp">;
  /** Seconds for the relaxation (default: the solve's own limit, or none). */
  readonly boundTimeLimitSec?: number;
}

/**
 * `solve`, then the stage-grid LP bound at the result's budget and the answer's gap to it.
 * @returns the checked result with `gridBound` (and the bound among `bounds` when it covers the answer)
 * @throws what `solve` throws; InternalError when the bound exceeds a grid answer's makespan (a bug)
 */
export async function solveWithBound(
  instance: Instance,
  options: SolveOptions & BoundOptions,
): Promise<SolveResult> {
  const { boundLp = "highs", boundTimeLimitSec, ...rest } = options;
  const result = await solve(instance, rest);
  const report = await gridBoundOf(
    instance,
    result,
    boundLp,
    boundTimeLimitSec ?? rest.timeLimitSec ?? Number.POSITIVE_INFINITY,
  );
  const covered = report.status === "bound" && report.coversAnswer && report.over === "stage-grid";
  const bound: ReportedBound[] = covered
    ? [{ objective: "time", value: report.valueMs as number, over: "stage-grid", method: LP_BOUND }]
    : [];
  return { ...result, bounds: [...result.bounds, ...bound], gridBound: report };
}

/** The best bound at the result's budget (bestBoundAtBudget), checked against its answer. */
async function gridBoundOf(
  instance: Instance,
  result: SolveResult,
  lp: Exclude<LpBackendName, "jslp">,
  limitSec: number,
): Promise<GridBoundReport> {
  const grid = stageGrid(instance);
  if (result.budgetBytes === null) {
    const sum = makespanLowerBound(instance);
    const base = { backend: lp, sumOfTimesMs: sum };
    return judge(result, grid, { ...base, status: "bound", valueMs: sum, over: "all", method: SUM_OF_TIMES });
  }
  const best = await bestBoundAtBudget(instance, result.budgetBytes, lp, limitSec);
  const base = { backend: lp, sumOfTimesMs: best.sumOfTimesMs };
  if (best.status === "infeasible") return { ...base, status: "infeasible" };
  const { valueMs, over, method } = best as Required<BestBound>;
  return judge(result, grid, { ...base, status: "bound", valueMs, over, method });
}

/**
 * The stage-grid LP bound at `budgetBytes`, whatever answered there (what `remat batch --bound` records
 * once per instance and budget): `bound` with the larger of the relaxation's optimum (over `stage-grid`)
 * and the sum of times (over `all`); `infeasible` when the relaxation is (no stage-grid schedule fits);
 * `too-large` past BOUND_MAX_BINARIES; `timeout` when `limitSec` passed first. No `coversAnswer`/`gap`:
 * those need an answer.
 */
export async function boundAtBudget(
  instance: Instance,
  budgetBytes: number,
  lp: Exclude<LpBackendName, "jslp">,
  limitSec: number,
  maxBinaries = BOUND_MAX_BINARIES,
): Promise<GridBoundReport> {
  const sum = makespanLowerBound(instance);
  const grid = stageGrid(instance);
  const base = { backend: lp, sumOfTimesMs: sum };
  const binaries = gridBinaries(grid);
  if (binaries > maxBinaries) return { ...base, status: "too-large", binaries };
  try {
    const relaxed = await solveRelaxation(instance, grid, budgetBytes, lp, new Deadline(limitSec));
    if (relaxed === undefined) return { ...base, status: "infeasible" };
    const over = relaxed.valueMs > sum ? "stage-grid" : "all";
    return {
      ...base,
      status: "bound",
      valueMs: Math.max(sum, relaxed.valueMs),
      over,
      method: over === "all" ? SUM_OF_TIMES : LP_BOUND,
    };
  } catch (error: unknown) {
    if (error instanceof TimeLimitReached) return { ...base, status: "timeout" };
    throw error;
  }
}

/** Whether the bound covers the answer, its gap, and the check bound <= makespan. */
function judge(
  result: SolveResult,
  grid: ReturnType<typeof stageGrid>,
  report: GridBoundReport,
): GridBoundReport {
  const makespan = result.makespanMs;
  const value = report.valueMs as number;
  const covers =
    makespan !== null && (report.over === "all" || inStageGrid(grid, parseSchedule(result.schedule)));
  if (covers && value > makespan * (1 + BOUND_TOLERANCE) + BOUND_TOLERANCE)
    throw new InternalError(
      `solveWithBound: the ${report.over} bound ${value} ms exceeds the evaluated makespan ${makespan} ms of ${result.solver}'s stage-grid schedule (a bug)`,
    );
  return { ...report, coversAnswer: covers, gap: covers && value > 0 ? makespan / value - 1 : null };
}

/** One formulation's bound at a budget (a part of {@link BestBound}). */
export interface BoundPart {
  /** `grid-lp`: the LP relaxation of Checkmate's MILP (proofs/milp.md, claim 5); `blocks`: the block relaxation (proofs/milp-blocks.md). */
  readonly formulation: "grid-lp" | "blocks";
  readonly status: "bound" | "infeasible" | "timeout" | "too-large";
  /** For `bound`: the formulation's proven bound over `stage-grid`, ms. */
  readonly valueMs?: number;
  readonly wallMs: number;
}

/** The formulations bestBoundAtBudget tries, in order. */
export const BOUND_FORMULATIONS: readonly BoundPart["formulation"][] = ["blocks", "grid-lp"];

/** The best bound at a budget over its formulations (what `remat batch --bound` records). */
export interface BestBound {
  /** `bound` (always, unless a relaxation proved that no stage-grid schedule fits: `infeasible`). */
  readonly status: "bound" | "infeasible";
  /** For `bound`: the largest of the parts' values and the sum of times, ms. */
  readonly valueMs?: number;
  /** For `bound`: `stage-grid` when a part beats the sum of times, else `all`. */
  readonly over?: ScheduleClass;
  readonly method?: string;
  readonly sumOfTimesMs: number;
  readonly parts: readonly BoundPart[];
}

/**
 * The best lower bound on the makespan at `budgetBytes` over every formulation this family has (each a
 * relaxation of the stage-grid class; the sum of times bounds every schedule), sharing `limitSec`: the
 * block relaxation first, the grid LP with the time left (part `timeout` when none is).
 * @param gridMaxBinaries skip the grid LP (part `too-large`) past this many binaries
 */
export async function bestBoundAtBudget(
  instance: Instance,
  budgetBytes: number,
  lp: Exclude<LpBackendName, "jslp">,
  limitSec: number,
  gridMaxBinaries = BOUND_MAX_BINARIES,
): Promise<BestBound> {
  const sum = makespanLowerBound(instance);
  const parts: BoundPart[] = [];
  if (Number.isFinite(budgetBytes)) {
    const endsAt = performance.now() + limitSec * 1000;
    parts.push(await blocksPart(instance, budgetBytes, lp, limitSec));
    const started = performance.now();
    const leftSec = (endsAt - started) / 1000;
    if (!(leftSec > 0)) {
      parts.push({ formulation: "grid-lp", status: "timeout", wallMs: 0 });
      return bestOf(parts, sum);
    }
    const grid = await boundAtBudget(instance, budgetBytes, lp, leftSec, gridMaxBinaries);
    parts.push({
      formulation: "grid-lp",
      status: grid.status,
      ...(grid.status === "bound" && grid.over === "stage-grid" ? { valueMs: grid.valueMs as number } : {}),
      wallMs: performance.now() - started,
    });
  }
  return bestOf(parts, sum);
}

/** The best of `parts` against the sum of times `sum` (infeasible when a part proved so). */
function bestOf(parts: readonly BoundPart[], sum: number): BestBound {
  if (parts.some((part) => part.status === "infeasible"))
    return { status: "infeasible", sumOfTimesMs: sum, parts };
  let best: BoundPart | undefined;
  for (const part of parts)
    if (part.valueMs !== undefined && part.valueMs > (best?.valueMs ?? sum)) best = part;
  if (best === undefined)
    return { status: "bound", valueMs: sum, over: "all", method: SUM_OF_TIMES, sumOfTimesMs: sum, parts };
  return {
    status: "bound",
    valueMs: best.valueMs as number,
    over: "stage-grid",
    method: BOUND_METHODS[best.formulation],
    sumOfTimesMs: sum,
    parts,
  };
}

/** The method words of each formulation's bound. */
const BOUND_METHODS: Readonly<Record<BoundPart["formulation"], string>> = {
  "grid-lp": LP_BOUND,
  blocks: BLOCKS_BOUND,
};

/** The block relaxation's part (milp-blocks' default switches: its MILP bound, also at the time limit). */
async function blocksPart(
  instance: Instance,
  budgetBytes: number,
  lp: Exclude<LpBackendName, "jslp">,
  limitSec: number,
): Promise<BoundPart> {
  const started = performance.now();
  const { groupNodes, segments, integral, maxCells } = parseSwitches(MILP_BLOCKS_SWITCHES, {}, "milp-blocks");
  try {
    const result = await blocksBound(
      instance,
      stageGrid(instance),
      budgetBytes,
      { groupNodes, segments, integral, lp, maxCells },
      new Deadline(limitSec),
    );
    return {
      formulation: "blocks",
      status: result.status,
      ...(result.valueMs === undefined ? {} : { valueMs: result.valueMs }),
      wallMs: performance.now() - started,
    };
  } catch (error: unknown) {
    if (!(error instanceof TimeLimitReached)) throw error;
    return { formulation: "blocks", status: "timeout", wallMs: performance.now() - started };
  }
}
