/**
 * chain-dp's rungs for one stage (proofs/pipeline-dp.md, "The stage menu"): the budget ladder
 * b_i = state + X * LADDER_RATIO^i, i = 0..LADDER_LEVELS-1, X the store-all peak above the state of
 * what chain-dp runs on. That is the stage's sub-instance itself when it is a chain, or, for an
 * op-level stage, its block chain at its cut points (solvers/graph/cut-chain.ts), whose sizes only
 * guide chain-dp: its schedules are expanded to the stage's own nodes and judged by the stage profiler.
 * The rungs depend on the stage alone, not on the device memory M (which options fit is decided when
 * they are looked up), so a larger M never removes an option and menus are shared across memories. A rung at or above the peak of the answer of the rung before it is skipped (that
 * answer is optimal there too), and the ladder stops at the first rung chain-dp finds infeasible.
 */
import { InputError } from "../../src/errors.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import type { Instance } from "../../src/instance/types.js";
import { storeAllEvaluation } from "../../src/schedule/builders.js";
import type { Schedule } from "../../src/schedule/types.js";
import type { Deadline } from "../../src/time-limit.js";
import { solveChainDp } from "../chain/chain-dp.js";
import { chainRejection } from "../chain/chain-view.js";
import { cutPointChain } from "../graph/cut-chain.js";

/** Rungs of the budget ladder (down to 0.8^15 = 3.5% of store-all's bytes above the state). */
export const LADDER_LEVELS = 16;
/** Ratio between consecutive rungs. */
export const LADDER_RATIO = 0.8;

/** What chain-dp solves for a stage, and how its schedules become the stage's. */
interface LadderTarget {
  readonly instance: Instance;
  readonly fine: (schedule: Schedule) => Schedule;
  /** `chain-dp` or `block-chain-dp`, for option labels. */
  readonly label: string;
}

/** The ladder's target for a stage sub-instance, or undefined when chain-dp has none (a DAG with tapes). */
function ladderTarget(sub: Instance): LadderTarget | undefined {
  if (chainRejection(sub) === undefined)
    return { instance: sub, fine: (schedule) => schedule, label: "chain-dp" };
  const blocks = cutPointChain(sub);
  if (blocks === undefined) return undefined;
  return { instance: blocks.coarse, fine: blocks.fine, label: "block-chain-dp" };
}

/** What the ladder needs from the menu. */
export interface LadderSettings {
  readonly slots: number;
  readonly deadline: Deadline;
  /** Profiles and keeps a stage schedule; false when it is not a valid stage schedule. */
  readonly add: (schedule: Schedule, label: string) => boolean;
}

/**
 * Runs the ladder of stage `sub`, handing each rung's schedule to `settings.add`.
 * @returns how many chain-dp solves ran
 */
export function runLadder(sub: Instance, settings: LadderSettings): number {
  const target = ladderTarget(sub);
  if (target === undefined) return 0;
  const base = target.instance.fixedBytes;
  const above = storeAllEvaluation(target.instance).peakBytes - base;
  let covered = Number.POSITIVE_INFINITY;
  let solves = 0;
  for (let i = 0; i < LADDER_LEVELS; i++) {
    const budget = Math.floor(base + above * LADDER_RATIO ** i);
    if (budget >= covered) continue;
    solves++;
    const schedule = chainDp(target.instance, budget, settings);
    if (schedule === undefined) return solves;
    if (!settings.add(target.fine(schedule), `${target.label}@${budget}`)) return solves;
    const judged = evaluate(target.instance, schedule);
    covered = judged.valid ? judged.peakBytes : budget;
  }
  return solves;
}

/** chain-dp's schedule of the chain `instance` at `budget`, or undefined (infeasible, or too long a chain). */
function chainDp(instance: Instance, budget: number, settings: LadderSettings): Schedule | undefined {
  try {
    const answer = solveChainDp(
      instance,
      {
        budgetBytes: budget,
        objective: "time",
        slots: settings.slots,
        timeLimitSec: Number.POSITIVE_INFINITY,
        extra: {},
      },
      settings.deadline,
    );
    if (answer.status === "timeout") settings.deadline.check("stage menus (chain-dp)");
    return answer.status === "optimal" || answer.status === "feasible" ? answer.schedule : undefined;
  } catch (error) {
    // a stage too long for chain-dp's tables (solvers/chain/limits.ts) has no chain-dp option
    if (error instanceof InputError) return undefined;
    throw error;
  }
}
