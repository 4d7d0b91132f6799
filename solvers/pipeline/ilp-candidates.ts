/**
 * The stage options of `pipeline-ilp` (proofs/pipeline-ilp.md, "The class"): for every contiguous
 * segment `first..last` of the chain, pipeline-dp's stage menu (store-all, and with checkpointing
 * chain-dp's optima, solvers/pipeline/stage-menu.ts) plus `recompute`, elf's `full_fwd` option; and
 * whether a candidate fits at stage `s` of `p`, by the pipeline model's closed-form stage peak
 * (src/pipeline/stage-memory.ts). O(L^2) segments, each profiled by the pipeline evaluator's profiler.
 */
import { InternalError } from "../../src/errors.js";
import type { Instance } from "../../src/instance/types.js";
import { stageStateBytes } from "../../src/pipeline/evaluate.js";
import { inFlightCount } from "../../src/pipeline/order.js";
import { stageInstance } from "../../src/pipeline/stage-instance.js";
import { stagePeakBytes } from "../../src/pipeline/stage-memory.js";
import { profileStage } from "../../src/pipeline/stage-profile.js";
import type { PipelineProblem, StageProfile } from "../../src/pipeline/types.js";
import { pipelineUnits, unitEnd, unitStart, unitStartingAt } from "../../src/pipeline/units.js";
import { keepSchedule } from "../../src/schedule/builders.js";
import type { Schedule } from "../../src/schedule/types.js";
import type { Deadline } from "../../src/time-limit.js";
import type { StageMenu } from "./stage-menu.js";

/** Label of the `recompute` option. */
export const RECOMPUTE_LABEL = "recompute";

/** One candidate stage: a segment, the option's label, its schedule and what the stage profiler measured. */
export interface StageCandidate {
  readonly first: number;
  readonly last: number;
  /** `store-all`, `chain-dp@BYTES` (pipeline-dp's menu) or `recompute`. */
  readonly label: string;
  readonly schedule: Schedule;
  readonly profile: StageProfile;
}

/**
 * The `recompute` schedule of a stage sub-instance (elf's `full_fwd`, Aguila--Multner et al. 2025): the
 * checkpoint schedule keeping only the sub-instance's last node (the zero-byte sink, or the loss) and
 * what cannot be recomputed (its input), so every other activation is freed in the forward part and the
 * stage's forward is recomputed once at the start of its backward part. Keeping the last node empties
 * the checkpoint schedule's tail (proofs/checkpoint-schedule.md), which would otherwise stay resident.
 */
export function recomputeSchedule(sub: Instance): Schedule {
  return keepSchedule(sub, [sub.nodes.length - 1]);
}

/** The candidates, and for every schedule of the menu the candidate that stands for it. */
export interface CandidateSet {
  readonly list: readonly StageCandidate[];
  /** The candidate of each menu schedule (itself, or the earlier candidate with the same profile). */
  readonly bySchedule: ReadonlyMap<Schedule, StageCandidate>;
}

/**
 * Every candidate of `problem`: for each segment of whole units (src/pipeline/units.ts; on a chain, each
 * `1 <= first <= last <= L`), the options of `menu`
 * (pipeline-dp's stage menu of the same problem and options), and `recompute` when checkpointing is on;
 * a candidate whose profile equals an earlier one's of the same segment is dropped (the evaluator cannot
 * tell them apart).
 * @throws TimeLimitReached between segments when `deadline` passes
 */
export function stageCandidates(
  problem: PipelineProblem,
  menu: StageMenu,
  checkpointing: boolean,
  deadline: Deadline,
): CandidateSet {
  const units = pipelineUnits(problem.instance);
  const list: StageCandidate[] = [];
  const bySchedule = new Map<Schedule, StageCandidate>();
  for (let a = 1; a <= units.count; a++)
    for (let e = a; e <= units.count; e++) {
      deadline.check("profiling pipeline-ilp's stage candidates");
      const first = unitStart(units, a);
      const last = unitEnd(units, e);
      const segment: StageCandidate[] = menu.optionsOf(first, last).map((option) => ({
        first,
        last,
        label: option.label,
        schedule: option.schedule,
        profile: option.profile,
      }));
      if (checkpointing) segment.push(recomputeCandidate(problem, first, last));
      const kept: StageCandidate[] = [];
      for (const candidate of segment) {
        const same = kept.find((c) => sameProfile(c.profile, candidate.profile));
        if (same === undefined) kept.push(candidate);
        bySchedule.set(candidate.schedule, same ?? candidate);
      }
      list.push(...kept);
    }
  return { list, bySchedule };
}

function recomputeCandidate(problem: PipelineProblem, first: number, last: number): StageCandidate {
  const sub = stageInstance(problem.instance, first, last, stageStateBytes(problem, { first, last }));
  const schedule = recomputeSchedule(sub);
  const result = profileStage(sub, schedule);
  if (!result.valid)
    throw new InternalError(
      `pipeline-ilp: the recompute schedule of stage ${first}..${last} is invalid: ${result.reason}`,
    );
  return { first, last, label: RECOMPUTE_LABEL, schedule, profile: result.profile };
}

function sameProfile(a: StageProfile, b: StageProfile): boolean {
  return (
    a.forwardMs === b.forwardMs &&
    a.backwardMs === b.backwardMs &&
    a.keptBytes === b.keptBytes &&
    a.forwardPeakBytes === b.forwardPeakBytes &&
    a.backwardPeakBytes === b.backwardPeakBytes
  );
}

/**
 * The candidates stage `s` of `p` may take: placeable there (each other stage keeps at least one unit;
 * stage 0 starts at node 1, the last ends at the loss), within memory with the stage's in-flight count,
 * and not dominated: among the fitting candidates of one segment, one whose forward and backward parts
 * are both at least as long as another's (the earlier on ties) is dropped. The pipeline's step time is
 * nondecreasing in every part's duration and the transfers depend on the segment alone
 * (proofs/pipeline-ilp.md, "Dominance"), so the least step time over the class is unchanged.
 */
export function stageChoices(
  problem: PipelineProblem,
  candidates: readonly StageCandidate[],
  s: number,
  p: number,
): StageCandidate[] {
  const units = pipelineUnits(problem.instance);
  const L = units.count;
  const k = inFlightCount(problem.schedule, s, p, problem.microbatches);
  const fitting = candidates.filter((c) => {
    const a = unitStartingAt(units, c.first);
    const e = units.endingAt[c.last] as number;
    return (
      (s > 0 || a === 1) &&
      (s < p - 1 || e === L) &&
      a >= s + 1 &&
      e <= L - (p - 1 - s) &&
      stagePeakBytes(c.profile, k) <= problem.memoryBytes
    );
  });
  const bySegment = new Map<string, StageCandidate[]>();
  for (const c of fitting) {
    const key = `${c.first}:${c.last}`;
    bySegment.set(key, [...(bySegment.get(key) ?? []), c]);
  }
  return fitting.filter((c) => {
    const group = bySegment.get(`${c.first}:${c.last}`) as StageCandidate[];
    const i = group.indexOf(c);
    return !group.some((d, j) => j !== i && dominates(d, c, j < i));
  });
}

/** Whether `d` makes `c` (same segment) unnecessary: no longer in either part, shorter in one or earlier. */
function dominates(d: StageCandidate, c: StageCandidate, earlier: boolean): boolean {
  const { forwardMs: df, backwardMs: db } = d.profile;
  const { forwardMs: cf, backwardMs: cb } = c.profile;
  if (df > cf || db > cb) return false;
  return df < cf || db < cb || earlier;
}
