/**
 * The schedules a pipeline solver may give a stage (proofs/pipeline-dp.md, "The stage menu"): for the
 * stage holding nodes `first..last`, store-all, and with checkpointing chain-dp's optimum (persistent
 * class, solvers/chain/chain-dp.ts) on the stage's sub-instance at each rung of a budget ladder
 * b_i = state + X * LADDER_RATIO^i, i = 0..LADDER_LEVELS-1, with X the stage's store-all peak above its
 * state, keeping the rungs at most the device memory M. The ladder is the stage's own, not M's, so a
 * larger M only adds options (proofs/pipeline-dp.md, "Monotonicity"); the memory a stage's in-flight
 * micro-batches leave for one of them lies on a rung or between two. A rung at or above the peak of
 * the answer of the rung before it is skipped (that answer is optimal there too), and the ladder stops
 * at the first rung chain-dp finds infeasible. With checkpointing, every option also comes in GPipe's
 * rematerialized form (sweep.ts: a forward sweep keeping only the stage's input, then the option as the
 * backward part). Each option is profiled once by the pipeline
 * evaluator's rules (src/pipeline/stage-profile.ts); the best option of a stage for k in flight is the
 * fastest one whose peak (src/pipeline/stage-memory.ts) fits, ties to the smaller peak. The options
 * depend on the stage, its state, M, the slots and the checkpointing switch only, so they are cached
 * across solves. Cost: O(L^2) stages, each at most LADDER_LEVELS chain-dp solves.
 */
import { InputError } from "../../src/errors.js";
import type { Instance } from "../../src/instance/types.js";
import { stageStateBytes } from "../../src/pipeline/evaluate.js";
import { stageInstance } from "../../src/pipeline/stage-instance.js";
import { stagePeakBytes } from "../../src/pipeline/stage-memory.js";
import { profileStage } from "../../src/pipeline/stage-profile.js";
import type { PipelineProblem, StageProfile } from "../../src/pipeline/types.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";
import type { Schedule } from "../../src/schedule/types.js";
import type { SolverAnswer } from "../../src/solver.js";
import type { Deadline } from "../../src/time-limit.js";
import { solveChainDp } from "../chain/chain-dp.js";
import { withForwardSweep } from "./sweep.js";

/** Rungs of the budget ladder (down to 0.8^15 = 3.5% of store-all's bytes above the state). */
export const LADDER_LEVELS = 16;
/** Ratio between consecutive rungs. */
export const LADDER_RATIO = 0.8;

/** Stage options already built, per instance and (stage, state, memory, slots, checkpointing). */
const built = new WeakMap<Instance, Map<string, readonly StageOption[]>>();

/** One schedule a stage may run, with its profile. */
export interface StageOption {
  readonly schedule: Schedule;
  readonly profile: StageProfile;
  /** `store-all`, or `chain-dp@BYTES` (the budget it was solved at). */
  readonly label: string;
}

/** What the menu is built with. */
export interface MenuSettings {
  readonly checkpointing: boolean;
  readonly slots: number;
  readonly deadline: Deadline;
}

/** The stage options of a problem, built lazily per stage and cached. */
export class StageMenu {
  private readonly best = new Map<string, StageOption | null>();
  /** chain-dp solves run so far. */
  solves = 0;

  constructor(
    private readonly problem: PipelineProblem,
    private readonly settings: MenuSettings,
  ) {}

  /** The fastest option of stage `first..last` that fits with `inFlight` micro-batches in flight, or null. */
  bestFor(first: number, last: number, inFlight: number): StageOption | null {
    const key = `${first}:${last}:${inFlight}`;
    const known = this.best.get(key);
    if (known !== undefined) return known;
    let chosen: StageOption | null = null;
    for (const option of this.optionsOf(first, last)) {
      const peak = stagePeakBytes(option.profile, inFlight);
      if (peak > this.problem.memoryBytes) continue;
      if (chosen === null || better(option, chosen, inFlight)) chosen = option;
    }
    this.best.set(key, chosen);
    return chosen;
  }

  /** Every option of stage `first..last`. */
  optionsOf(first: number, last: number): readonly StageOption[] {
    const state = stageStateBytes(this.problem, { first, last });
    const key = `${first}:${last}:${state}:${this.problem.memoryBytes}:${this.settings.slots}:${this.settings.checkpointing}`;
    const cache = built.get(this.problem.instance) ?? new Map<string, readonly StageOption[]>();
    built.set(this.problem.instance, cache);
    const known = cache.get(key);
    if (known !== undefined) return known;
    const options = this.build(first, last, state);
    cache.set(key, options);
    return options;
  }

  private build(first: number, last: number, state: number): StageOption[] {
    this.settings.deadline.check("stage menus");
    const sub = stageInstance(this.problem.instance, first, last, state);
    const options: StageOption[] = [];
    const add = (schedule: Schedule, label: string) => {
      const profiled = profileStage(sub, schedule);
      if (!profiled.valid) return undefined;
      options.push({ schedule, profile: profiled.profile, label });
      if (this.settings.checkpointing) this.addSwept(sub, schedule, label, options);
      return profiled.profile;
    };
    const storeAll = add(storeAllSchedule(sub), "store-all");
    if (!this.settings.checkpointing) return options;
    this.ladder(sub, storeAll, add);
    return options;
  }

  /** The GPipe-rematerialized form of `schedule` (sweep.ts), when it is a valid stage schedule. */
  private addSwept(sub: Instance, schedule: Schedule, label: string, options: StageOption[]): void {
    const swept = withForwardSweep(sub, schedule);
    if (swept === undefined) return;
    const profiled = profileStage(sub, swept);
    if (profiled.valid) options.push({ schedule: swept, profile: profiled.profile, label: `sweep+${label}` });
  }

  /** chain-dp at each rung of the stage's budget ladder within M, skipping rungs the last answer covers. */
  private ladder(
    sub: Instance,
    storeAll: StageProfile | undefined,
    add: (schedule: Schedule, label: string) => StageProfile | undefined,
  ): void {
    if (storeAll === undefined) return;
    const above = Math.max(storeAll.forwardPeakBytes, storeAll.backwardPeakBytes);
    let covered = Number.POSITIVE_INFINITY;
    for (let i = 0; i < LADDER_LEVELS; i++) {
      const budget = Math.floor(sub.fixedBytes + above * LADDER_RATIO ** i);
      if (budget >= covered || budget > this.problem.memoryBytes) continue;
      const schedule = this.chainDp(sub, budget);
      if (schedule === undefined) return;
      const profile = add(schedule, `chain-dp@${budget}`);
      if (profile === undefined) return;
      covered = profile.stateBytes + Math.max(profile.forwardPeakBytes, profile.backwardPeakBytes);
    }
  }

  private chainDp(sub: Instance, budget: number): Schedule | undefined {
    this.solves++;
    let answer: SolverAnswer;
    try {
      answer = solveChainDp(
        sub,
        {
          budgetBytes: budget,
          objective: "time",
          slots: this.settings.slots,
          timeLimitSec: Number.POSITIVE_INFINITY,
          extra: {},
        },
        this.settings.deadline,
      );
    } catch (error) {
      // a stage too long for chain-dp's tables (solvers/chain/limits.ts) has no chain-dp option
      if (error instanceof InputError) return undefined;
      throw error;
    }
    if (answer.status === "timeout") this.settings.deadline.check("stage menus (chain-dp)");
    return answer.status === "optimal" || answer.status === "feasible" ? answer.schedule : undefined;
  }
}

/** Whether `a` beats `b` for a stage: less time per micro-batch, then a smaller peak. */
function better(a: StageOption, b: StageOption, inFlight: number): boolean {
  const ta = a.profile.forwardMs + a.profile.backwardMs;
  const tb = b.profile.forwardMs + b.profile.backwardMs;
  if (ta !== tb) return ta < tb;
  return stagePeakBytes(a.profile, inFlight) < stagePeakBytes(b.profile, inFlight);
}
