/**
 * The block relaxation's bound (blocks-model.ts; proofs/milp-blocks.md): solves the model as a MILP
 * (integral detailed cells) or as an LP, and reads the backend's proven bound. Both are at most the
 * least makespan of a stage-grid schedule within the budget. One backend call.
 */
import type { Instance } from "../../src/instance/types.js";
import type { LpBackendName } from "../../src/lp/backends.js";
import { loadLpBackend } from "../../src/lp/load.js";
import { type Deadline, TimeLimitReached } from "../../src/time-limit.js";
import { buildBlocksModel } from "./blocks-model.js";
import type { StageGrid } from "./grid.js";

/** Words for the block relaxation's bound, with its proof. */
export const BLOCKS_BOUND = "block relaxation of Checkmate's MILP on the stage grid, proofs/milp-blocks.md";

/** How the relaxation is built and solved. */
export interface BlocksBoundOptions {
  /** Least non-source nodes per group (blocks-groups.ts). */
  readonly groupNodes: number;
  /** Price slices per aggregated group (blocks-model.ts). */
  readonly segments: number;
  /** Solve with integral detailed cells (the MILP's proven bound) rather than the LP. */
  readonly integral: boolean;
  readonly lp: Exclude<LpBackendName, "jslp">;
  /** Build no model on a grid of more cells (stages x nodes) than this: the build's tables are that large. */
  readonly maxCells: number;
}

/** The default of `maxCells`: about 2,200 nodes (10,000,000 cells: 200 MB of tables while building). */
export const BLOCKS_MAX_CELLS = 10_000_000;

/** What the relaxation gave. */
export interface BlocksBoundResult {
  /**
   * `bound` with `valueMs`; `infeasible`: no stage-grid schedule fits; `timeout`: no bound proven in time;
   * `too-large`: the grid has more than `maxCells` cells (nothing built).
   */
  readonly status: "bound" | "infeasible" | "timeout" | "too-large";
  /** The proven lower bound over `stage-grid` (ms), for `bound`. */
  readonly valueMs?: number;
  /** Whether the backend solved the model to optimality (the bound is the model's optimum). */
  readonly solved: boolean;
  readonly binaries: number;
  readonly variables: number;
  readonly constraints: number;
  readonly groups: number;
}

/**
 * The block relaxation's proven bound at `budgetBytes`.
 * @throws TimeLimitReached when the deadline passes while building
 */
export async function blocksBound(
  instance: Instance,
  grid: StageGrid,
  budgetBytes: number,
  options: BlocksBoundOptions,
  deadline: Deadline,
): Promise<BlocksBoundResult> {
  if (grid.stages * grid.n > options.maxCells)
    return { status: "too-large", solved: false, binaries: 0, variables: 0, constraints: 0, groups: 0 };
  const built = buildBlocksModel(grid, {
    budgetBytes,
    fixedBytes: instance.fixedBytes,
    groupNodes: options.groupNodes,
    segments: options.segments,
    deadline,
  });
  const size = {
    binaries: built.binaries,
    variables: built.model.variables.length,
    constraints: built.model.constraints.length,
    groups: built.groups,
  };
  const remainingSec = (deadline.atMs - performance.now()) / 1000;
  if (!(remainingSec > 0)) throw new TimeLimitReached("building the block relaxation", deadline.limitSec);
  const backend = await loadLpBackend(options.lp);
  const result = await backend.solve(built.model, { relax: !options.integral, timeLimitSec: remainingSec });
  if (result.status === "infeasible") return { status: "infeasible", solved: true, ...size };
  const bound = result.status === "optimal" && !options.integral ? result.objective : result.bound;
  if (bound === undefined || !Number.isFinite(bound)) return { status: "timeout", solved: false, ...size };
  return { status: "bound", valueMs: bound, solved: result.status === "optimal", ...size };
}
