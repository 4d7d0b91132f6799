/**
 * What every phase of graph-mincut shares: the instance and its graph, the time limit, the count of
 * evaluations, and the incumbent. Effort is bounded by counted work only (the switches of options.ts);
 * the time limit is checked before every unit of work (an evaluation, a max-flow phase, a chain-dp
 * solve, a span of a table) and only stops an unfinished search (`TimeLimitReached`, which solver.ts
 * turns into a `timeout` answer with the incumbent), so a solve that finishes gives the same answer
 * on any machine and under any limit (STYLE.md, "An answer never depends on the clock").
 */
import { InternalError } from "../../src/errors.js";
import { evaluate, type ValidEvaluation } from "../../src/evaluate/evaluate.js";
import { graphOf, type InstanceGraph } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";
import type { Objective } from "../../src/optimality.js";
import { keepSchedule } from "../../src/schedule/builders.js";
import type { Schedule } from "../../src/schedule/types.js";
import { type Deadline, NO_DEADLINE } from "../../src/time-limit.js";
import { type Judged, type JudgedKeep, lessMemory, lessTime } from "./kept-evaluation.js";

/**
 * The best schedule within the budget judged so far, by the objective's order (time: least makespan,
 * then least peak; memory: least peak, then least makespan), with its schedule, and the best memory
 * lower bound proven so far: what a timeout answers with.
 */
export class Incumbent {
  private bestJudged: Judged | undefined;
  private bestSchedule: Schedule | undefined;
  private bound: number | undefined;

  constructor(
    readonly objective: Objective,
    readonly budgetBytes: number,
  ) {}

  /** Shows a judged schedule; it becomes the incumbent when within the budget and strictly better. */
  offer(judged: Judged, schedule: Schedule): void {
    if (judged.peakBytes > this.budgetBytes) return;
    const better = this.objective === "time" ? lessTime : lessMemory;
    if (this.bestJudged !== undefined && !better(judged, this.bestJudged)) return;
    this.bestJudged = judged;
    this.bestSchedule = schedule;
  }

  /** Records a proven lower bound on the peak of every checkpoint schedule, bytes. */
  noteLowerBound(bytes: number): void {
    this.bound = Math.max(this.bound ?? Number.NEGATIVE_INFINITY, bytes);
  }

  /** The incumbent, when one is within the budget. */
  get best(): { readonly judged: Judged; readonly schedule: Schedule } | undefined {
    return this.bestJudged === undefined || this.bestSchedule === undefined
      ? undefined
      : { judged: this.bestJudged, schedule: this.bestSchedule };
  }

  /** The best memory lower bound proven so far, bytes. */
  get lowerBoundBytes(): number | undefined {
    return this.bound;
  }
}

/** A judged kept set with the evaluation itself (profile included), for span measurement. */
export interface Profiled {
  readonly judged: JudgedKeep;
  readonly schedule: Schedule;
  readonly evaluation: ValidEvaluation;
}

/** One solve's shared state: every evaluation of the search goes through `keep` or `schedule`. */
export class Search {
  readonly g: InstanceGraph;
  /** Schedules evaluated so far. */
  evaluations = 0;

  /**
   * @param deadline checked before every unit of work (default: none)
   * @param incumbent shown every evaluated schedule (default: least peak, no budget)
   */
  constructor(
    readonly instance: Instance,
    readonly deadline: Deadline = NO_DEADLINE,
    readonly incumbent: Incumbent = new Incumbent("memory", Number.POSITIVE_INFINITY),
  ) {
    this.g = graphOf(instance);
  }

  /** @throws TimeLimitReached naming `phase` when the time limit has passed */
  check(phase: string): void {
    this.deadline.check(phase);
  }

  /**
   * Builds and evaluates the checkpoint schedule keeping `kept`.
   * @throws TimeLimitReached before the work when the time limit has passed
   * @throws InternalError if the builder produced an invalid schedule (a bug in the builder)
   */
  keep(kept: Iterable<number>, phase: string): JudgedKeep {
    return this.run(kept, phase, false).judged;
  }

  /** As `keep`, also returning the schedule and its evaluation with the per-instruction profile. */
  keepProfiled(kept: Iterable<number>, phase: string): Profiled {
    return this.run(kept, phase, true);
  }

  /**
   * Evaluates a schedule built by a trusted builder that is not a kept set's (the block chain's).
   * @throws InternalError if it is invalid (a bug in the builder)
   */
  schedule(schedule: Schedule, phase: string): Judged {
    this.check(phase);
    const evaluation = this.valid(schedule, false);
    const judged: Judged = { peakBytes: evaluation.peakBytes, makespanMs: evaluation.makespanMs, schedule };
    this.incumbent.offer(judged, schedule);
    return judged;
  }

  private run(kept: Iterable<number>, phase: string, profile: boolean): Profiled {
    this.check(phase);
    const sorted = [...new Set(kept)].sort((a, b) => a - b);
    const schedule = keepSchedule(this.instance, sorted);
    const evaluation = this.valid(schedule, profile);
    const judged: JudgedKeep = {
      kept: sorted,
      peakBytes: evaluation.peakBytes,
      makespanMs: evaluation.makespanMs,
    };
    this.incumbent.offer(judged, schedule);
    return { judged, schedule, evaluation };
  }

  private valid(schedule: Schedule, profile: boolean): ValidEvaluation {
    const evaluation = evaluate(this.instance, schedule, { profile });
    this.evaluations++;
    if (!evaluation.valid)
      throw new InternalError(
        `graph-mincut: a built schedule is invalid: ${evaluation.error.reason} at ${evaluation.error.index}`,
      );
    return evaluation;
  }
}
