/**
 * The per-micro-batch MILPs of `pipeline-ilp --recompute-per microbatch` (proofs/pipeline-ilp.md, "Per
 * micro-batch"): which option each (stage, micro-batch) runs, as elf does (Aguila--Multner et al.
 * 2025), on a fixed partition (one segment per position) or jointly with the segments. Per segment the
 * options are its candidates (ilp-candidates.ts) less those dominated in all five profile fields; a
 * (micro-batch, option) is allowed only where both its parts fit with the segment's state and the other
 * micro-batches in flight at the segment's smallest kept bytes (a necessary condition). The MILP
 * (ilp-microbatch-model.ts) starts from a known plan and is cut off at the best step time so far; its
 * decoded plan is judged by the pipeline evaluator.
 */

import { InternalError } from "../../src/errors.js";
import type { LpResult } from "../../src/lp/backend.js";
import type { LpBackendName } from "../../src/lp/backends.js";
import { loadLpBackend } from "../../src/lp/load.js";
import { PROVING_LP_BACKENDS } from "../../src/lp/names.js";
import { evaluatePipeline, stageStateBytes } from "../../src/pipeline/evaluate.js";
import { deviceOrder } from "../../src/pipeline/order.js";
import type { PipelinePlan, PipelineProblem, StagePlan, StageProfile } from "../../src/pipeline/types.js";
import { pipelineUnits, unitEnd, unitStart } from "../../src/pipeline/units.js";
import type { StageCandidate } from "./ilp-candidates.js";
import {
  buildMicrobatchIlp,
  type MicrobatchIlp,
  type MicrobatchSegment,
  type MicrobatchStage,
} from "./ilp-microbatch-model.js";
import { agrees, type Verdict, verdictOf } from "./ilp-verdict.js";

/** What one per-micro-batch MILP gave. */
export interface MicrobatchRun {
  /** `proven`: optimal, or infeasible under the cutoff, by a proving backend; `open`; `timeout`. */
  readonly verdict: Verdict;
  /** The best plan it decoded and the evaluator accepted, with its evaluated step time. */
  readonly plan?: PipelinePlan;
  readonly stepMs?: number;
  /** A lower bound on the step time of every per-micro-batch plan of the model's class. */
  readonly boundMs: number;
  readonly binaries: number;
  /** 1 when the backend's solution decoded to a plan the evaluator judged otherwise (not used). */
  readonly rejected: number;
  /** Wall time of the backend's solve, ms (0 when no model was solved). */
  readonly milpMs: number;
}

/** Whether `d` makes `c` unnecessary for any micro-batch: no larger in any profile field, smaller in one or earlier. */
function dominates(d: StageProfile, c: StageProfile, earlier: boolean): boolean {
  const fields = ["forwardMs", "backwardMs", "keptBytes", "forwardPeakBytes", "backwardPeakBytes"] as const;
  if (fields.some((f) => d[f] > c[f])) return false;
  return earlier || fields.some((f) => d[f] < c[f]);
}

/** The options of segment `first..last` among `candidates`, less the dominated ones (proofs/pipeline-ilp.md, "Dominance"). */
export function microbatchOptions(
  candidates: readonly StageCandidate[],
  first: number,
  last: number,
): StageCandidate[] {
  const segment = candidates.filter((c) => c.first === first && c.last === last);
  return segment.filter((c, i) => !segment.some((d, k) => k !== i && dominates(d.profile, c.profile, k < i)));
}

/** The option among `options` that stands for `candidate`: itself, or one of its segment dominating it (-1: none). */
export function standIn(options: readonly StageCandidate[], candidate: StageCandidate): number {
  const same = options.indexOf(candidate);
  if (same >= 0) return same;
  return options.findIndex(
    (d) =>
      d.first === candidate.first &&
      d.last === candidate.last &&
      dominates(d.profile, candidate.profile, true),
  );
}

/**
 * Position `s` of `p` offering `options` (candidates of one or more segments): its segments, and per
 * micro-batch the options whose forward part and backward part each fit with their segment's state and
 * the other micro-batches in flight there holding the least kept bytes of any option of that segment.
 */
export function microbatchStage(
  problem: PipelineProblem,
  options: readonly StageCandidate[],
  s: number,
  p: number,
): MicrobatchStage {
  const m = problem.microbatches;
  const segments: MicrobatchSegment[] = [];
  const leastKept: number[] = [];
  const segmentOf = options.map((o) => {
    let g = segments.findIndex((x) => x.first === o.first && x.last === o.last);
    if (g < 0) {
      g = segments.push({ first: o.first, last: o.last, stateBytes: stageStateBytes(problem, o) }) - 1;
      leastKept.push(Number.POSITIVE_INFINITY);
    }
    leastKept[g] = Math.min(leastKept[g] as number, o.profile.keptBytes);
    return g;
  });
  const others = { forward: new Array<number>(m).fill(0), backward: new Array<number>(m).fill(0) };
  let inFlight = 0;
  for (const part of deviceOrder(problem.schedule, s, p, m)) {
    if (part.kind === "forward") inFlight++;
    others[part.kind][part.microbatch] = inFlight - 1;
    if (part.kind === "backward") inFlight--;
  }
  const fits = (g: number, n: number, own: number) =>
    (segments[g] as MicrobatchSegment).stateBytes + n * (leastKept[g] as number) + own <= problem.memoryBytes;
  const allowed = Array.from({ length: m }, (_, j) =>
    options.map((o, k) => {
      const g = segmentOf[k] as number;
      return (
        fits(g, others.forward[j] as number, o.profile.forwardPeakBytes) &&
        fits(g, others.backward[j] as number, o.profile.backwardPeakBytes)
      );
    }),
  );
  return { segments, options, segmentOf, allowed };
}

/**
 * Solves the per-micro-batch MILP over `stages` with backend `lp` within `timeLimitSec`, cut off at
 * `known.stepMs` (the best step time so far), started from `known.options` when given (micro-batch j
 * of position s on option `known.options[s][j]`, a plan of the model with that step time).
 */
export async function solveMicrobatchPhase(
  problem: PipelineProblem,
  stages: readonly MicrobatchStage[],
  lp: LpBackendName,
  timeLimitSec: number,
  known?: { readonly options?: readonly (readonly number[])[]; readonly stepMs: number },
): Promise<MicrobatchRun> {
  const cutoffMs = known?.stepMs ?? Number.POSITIVE_INFINITY;
  if (stages.some((stage) => stage.allowed.some((row) => !row.includes(true))))
    return { verdict: "proven", boundMs: Number.POSITIVE_INFINITY, binaries: 0, rejected: 0, milpMs: 0 };
  const built = buildMicrobatchIlp(problem, stages, cutoffMs);
  const binaries = built.choice.flat(2).filter((col) => col >= 0).length;
  const start = known?.options === undefined ? undefined : startOf(built, stages, known.options);
  const backend = await loadLpBackend(lp);
  const result: LpResult = await backend.solve(built.model, {
    timeLimitSec,
    ...(start === undefined ? {} : { start }),
  });
  const { verdict, boundMs } = verdictOf(result, PROVING_LP_BACKENDS.has(lp), cutoffMs);
  const milpMs = result.wallMs;
  if (result.values === undefined || result.status === "infeasible")
    return { verdict, boundMs, binaries, rejected: 0, milpMs };
  const plan = decode(built, stages, result.values);
  const evaluation = evaluatePipeline(problem, plan);
  // A solution the evaluator judges otherwise (a backend tolerance at a boundary) is not used, and proves nothing.
  if (!evaluation.valid || !evaluation.fits || !agrees(evaluation.stepMs, result.objective as number))
    return { verdict: verdict === "proven" ? "open" : verdict, boundMs: 0, binaries, rejected: 1, milpMs };
  const stepMs = evaluation.stepMs;
  return {
    verdict,
    plan,
    stepMs,
    boundMs: verdict === "proven" ? stepMs : Math.min(boundMs, stepMs),
    binaries,
    rejected: 0,
    milpMs,
  };
}

/**
 * A MILP start: micro-batch j of position s on option `options[s][j]` (all of one segment); undefined
 * when one may not take it.
 */
function startOf(
  built: MicrobatchIlp,
  stages: readonly MicrobatchStage[],
  options: readonly (readonly number[])[],
) {
  const indices: number[] = [];
  const values: number[] = [];
  for (const [s, stage] of stages.entries()) {
    const chosen = options[s] ?? [];
    const columns = built.choice[s] as readonly (readonly number[])[];
    if (columns.some((row, j) => (row[chosen[j] ?? -1] ?? -1) < 0)) return undefined;
    (built.segment[s] as readonly number[]).forEach((col, g) => {
      indices.push(col);
      values.push(g === stage.segmentOf[chosen[0] as number] ? 1 : 0);
    });
    for (const [j, row] of columns.entries())
      row.forEach((col, o) => {
        if (col < 0) return;
        indices.push(col);
        values.push(o === chosen[j] ? 1 : 0);
      });
  }
  return { indices: Int32Array.from(indices), values: Float64Array.from(values) };
}

/** The plan the binaries choose; a stage whose micro-batches all take one option gets no list. */
export function decode(
  built: MicrobatchIlp,
  stages: readonly MicrobatchStage[],
  values: Float64Array,
): PipelinePlan {
  return {
    stages: stages.map((stage, s): StagePlan => {
      const chosen = (built.choice[s] as readonly (readonly number[])[]).map((columns) =>
        columns.findIndex((col) => col >= 0 && (values[col] as number) > 0.5),
      );
      const schedules = chosen.map((o, j) => {
        const option = stage.options[o];
        if (option === undefined)
          throw new InternalError(`pipeline-ilp: stage ${s}, micro-batch ${j} has no chosen option (a bug)`);
        return option.schedule;
      });
      const schedule = schedules[0] as StagePlan["schedule"];
      const uniform = schedules.every((x) => x === schedule);
      const option = stage.options[chosen[0] as number] as StageCandidate;
      return {
        first: option.first,
        last: option.last,
        schedule,
        ...(uniform ? {} : { microbatchSchedules: schedules }),
      };
    }),
  };
}

/**
 * The positions of the joint model for `p` stages: position s offers the undominated options of every
 * segment of whole units placeable there (stage 0 starts at node 1, the last ends at the loss, every
 * other stage keeps at least one unit).
 */
export function jointStages(
  problem: PipelineProblem,
  candidates: readonly StageCandidate[],
  p: number,
): MicrobatchStage[] {
  const units = pipelineUnits(problem.instance);
  const K = units.count;
  return Array.from({ length: p }, (_, s) => {
    const options: StageCandidate[] = [];
    for (let a = s === 0 ? 1 : s + 1; a <= (s === 0 ? 1 : K - (p - 1 - s)); a++)
      for (let e = s === p - 1 ? K : a; e <= K - (p - 1 - s); e++)
        options.push(...microbatchOptions(candidates, unitStart(units, a), unitEnd(units, e)));
    return microbatchStage(problem, options, s, p);
  });
}
