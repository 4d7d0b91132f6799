/**
 * The schedules a pipeline solver may give a stage (proofs/pipeline-dp.md, "The stage menu"): for the
 * stage holding nodes `first..last`, store-all, and with checkpointing chain-dp's optima (persistent
 * class, solvers/chain/chain-dp.ts) at each rung of the stage's budget ladder (stage-ladder.ts: on the
 * stage itself when it is a chain, on its block chain at its cut points when it is an op-level stage).
 * With checkpointing, every option also comes in GPipe's rematerialized form (sweep.ts: a forward sweep
 * keeping only the stage's input, then the option as the backward part). Each option is profiled once
 * by the pipeline evaluator's rules (src/pipeline/stage-profile.ts); the best option of a stage for k
 * in flight is the fastest one whose peak (src/pipeline/stage-memory.ts) fits, ties to the smaller
 * peak. The options depend on the stage, its state, the slots and the checkpointing switch only (not on
 * M), so they are cached across solves. Cost: O(L^2) stages, each at most LADDER_LEVELS chain-dp solves.
 */
import type { Instance } from "../../src/instance/types.js";
import { stageStateBytes } from "../../src/pipeline/evaluate.js";
import { stageInstance } from "../../src/pipeline/stage-instance.js";
import { stagePeakBytes } from "../../src/pipeline/stage-memory.js";
import { profileStage } from "../../src/pipeline/stage-profile.js";
import type { PipelineProblem, StageProfile } from "../../src/pipeline/types.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";
import type { Schedule } from "../../src/schedule/types.js";
import type { Deadline } from "../../src/time-limit.js";
import { runLadder } from "./stage-ladder.js";
import { withForwardSweep } from "./sweep.js";

/** Stage options already built, per instance and (stage, state, slots, checkpointing): not per memory. */
const built = new WeakMap<Instance, Map<string, readonly StageOption[]>>();

/** One schedule a stage may run, with its profile. */
export interface StageOption {
  readonly schedule: Schedule;
  readonly profile: StageProfile;
  /** `store-all`, `chain-dp@BYTES` or `block-chain-dp@BYTES` (the budget it was solved at), or `sweep+` one of them. */
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
    const key = `${first}:${last}:${state}:${this.settings.slots}:${this.settings.checkpointing}`;
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
    if (!this.settings.checkpointing || storeAll === undefined) return options;
    this.solves += runLadder(sub, {
      slots: this.settings.slots,
      deadline: this.settings.deadline,
      add: (schedule, label) => add(schedule, label) !== undefined,
    });
    return options;
  }

  /** The GPipe-rematerialized form of `schedule` (sweep.ts), when it is a valid stage schedule. */
  private addSwept(sub: Instance, schedule: Schedule, label: string, options: StageOption[]): void {
    const swept = withForwardSweep(sub, schedule);
    if (swept === undefined) return;
    const profiled = profileStage(sub, swept);
    if (profiled.valid) options.push({ schedule: swept, profile: profiled.profile, label: `sweep+${label}` });
  }
}

/** Whether `a` beats `b` for a stage: less time per micro-batch, then a smaller peak. */
function better(a: StageOption, b: StageOption, inFlight: number): boolean {
  const ta = a.profile.forwardMs + a.profile.backwardMs;
  const tb = b.profile.forwardMs + b.profile.backwardMs;
  if (ta !== tb) return ta < tb;
  return stagePeakBytes(a.profile, inFlight) < stagePeakBytes(b.profile, inFlight);
}
