/**
 * The MILP of `pipeline-ilp` for a fixed number of stages `p` (proofs/pipeline-ilp.md, "The model"):
 * one binary per (stage, candidate) choosing the stage's segment and recomputation option, contiguity
 * rows chaining the segments, and the pipeline evaluator's discrete-event rules written as linear rows
 * over part start times in each device's fixed order (src/pipeline/order.ts). Minimizes the step time.
 * Size: O(p * candidates) binaries, O(p m) continuous variables and rows.
 */
import { type LpModel, type LpTerm, ModelBuilder } from "../../src/lp/model.js";
import { deviceOrder, type Part } from "../../src/pipeline/order.js";
import type { PipelineProblem } from "../../src/pipeline/types.js";
import type { Deadline } from "../../src/time-limit.js";
import type { StageCandidate } from "./ilp-candidates.js";
import { addContiguityRows, addLinkRows, type LinkSender, type SentSegment } from "./ilp-rows.js";

/** A built model and where its columns are. */
export interface PipelineIlp {
  readonly model: LpModel;
  /** choice[s][c]: the column of `y[s][c]`, stage s taking `candidates[s][c]`. */
  readonly choice: readonly (readonly number[])[];
  /** The column of the step time. */
  readonly makespan: number;
}

/** What the rows of one stage need: its candidates' columns and per-candidate coefficients. */
interface StageColumns {
  readonly columns: readonly number[];
  readonly candidates: readonly StageCandidate[];
  readonly order: readonly Part[];
  /** start[i]: the column of part i's start time. */
  readonly start: readonly number[];
  /** at.forward[j], at.backward[j]: the index in `order` of micro-batch j's forward and backward part. */
  readonly at: { readonly forward: readonly number[]; readonly backward: readonly number[] };
}

/**
 * Builds the model for `p` stages, stage `s` choosing among `candidates[s]` (each already known to fit
 * at stage `s` and to be placeable there), with the step time at most `cutoffMs` (default none: a
 * cutoff from a plan already known prunes the search; the model is then infeasible when no plan with `p`
 * stages is at least as fast).
 * @throws TimeLimitReached between stages when `deadline` passes
 */
export function buildPipelineIlp(
  problem: PipelineProblem,
  candidates: readonly (readonly StageCandidate[])[],
  deadline: Deadline,
  cutoffMs = Number.POSITIVE_INFINITY,
): PipelineIlp {
  const p = candidates.length;
  const m = problem.microbatches;
  const b = new ModelBuilder(`pipeline-ilp-${problem.instance.name}-p${p}`, "minimize");
  const stages: StageColumns[] = candidates.map((list, s) => {
    deadline.check("building pipeline-ilp's model");
    const columns = list.map((c, k) => b.addVariable(`y${s}_${k}_${c.first}_${c.last}`, { kind: "binary" }));
    b.addConstraint(
      `one${s}`,
      columns.map((col) => [col, 1] as const),
      { equal: 1 },
    );
    const order = deviceOrder(problem.schedule, s, p, m);
    const start = order.map((part, i) => b.addVariable(`t${s}_${i}_${part.kind[0]}${part.microbatch}`));
    const at = { forward: new Array<number>(m).fill(-1), backward: new Array<number>(m).fill(-1) };
    order.forEach((part, i) => {
      at[part.kind][part.microbatch] = i;
    });
    return { columns, candidates: list, order, start, at };
  });
  addContiguityRows(b, stages.map(segmentsOf));
  for (let s = 0; s < p; s++) serialRows(b, stages[s] as StageColumns, s);
  for (let s = 1; s < p; s++)
    link(b, problem, stages[s - 1] as StageColumns, stages[s] as StageColumns, s, "forward");
  for (let s = 0; s + 1 < p; s++)
    link(b, problem, stages[s + 1] as StageColumns, stages[s] as StageColumns, s, "backward");
  const makespan = b.addVariable("step", { objective: 1, upper: cutoffMs });
  stages.forEach((stage, s) => {
    const i = stage.order.length - 1;
    const part = stage.order[i] as Part;
    b.addConstraint(
      `end${s}`,
      [[makespan, 1], [stage.start[i] as number, -1], ...durationTerms(stage, part.kind, -1)],
      {
        lower: 0,
      },
    );
  });
  return { model: b.build(), choice: stages.map((stage) => stage.columns), makespan };
}

/** Terms `sign * duration` of the stage's forward or backward part, summed over its candidates. */
function durationTerms(stage: StageColumns, kind: Part["kind"], sign: number): LpTerm[] {
  return stage.candidates.map((c, i) => [
    stage.columns[i] as number,
    sign * (kind === "forward" ? c.profile.forwardMs : c.profile.backwardMs),
  ]);
}

/** A device runs its parts one at a time in its order: start[i] >= start[i - 1] + duration[i - 1]. */
function serialRows(b: ModelBuilder, stage: StageColumns, s: number): void {
  for (let i = 1; i < stage.order.length; i++) {
    const before = stage.order[i - 1] as Part;
    b.addConstraint(
      `serial${s}_${i}`,
      [
        [stage.start[i] as number, 1],
        [stage.start[i - 1] as number, -1],
        ...durationTerms(stage, before.kind, -1),
      ],
      { lower: 0 },
    );
  }
}

/**
 * A MILP start from a known plan with `p` stages: 1 on the binary of each of its stages' candidates, 0
 * on the others (the backend completes the times itself); undefined when a stage's candidate is not
 * among that position's choices.
 */
export function startOf(
  built: PipelineIlp,
  choices: readonly (readonly StageCandidate[])[],
  chosen: readonly StageCandidate[],
): { readonly indices: Int32Array; readonly values: Float64Array } | undefined {
  const indices: number[] = [];
  const values: number[] = [];
  for (let s = 0; s < built.choice.length; s++) {
    const k = choices[s]?.indexOf(chosen[s] as StageCandidate) ?? -1;
    if (k < 0) return undefined;
    (built.choice[s] as readonly number[]).forEach((col, i) => {
      indices.push(col);
      values.push(i === k ? 1 : 0);
    });
  }
  return { indices: Int32Array.from(indices), values: Float64Array.from(values) };
}

/** The link rows (ilp-rows.ts) from `sender` to `receiver` in `direction`. */
function link(
  b: ModelBuilder,
  problem: PipelineProblem,
  sender: StageColumns,
  receiver: StageColumns,
  s: number,
  direction: Part["kind"],
): void {
  const linkSender: LinkSender = {
    order: sender.order,
    start: sender.start,
    negativeDuration: (i) => durationTerms(sender, (sender.order[i] as Part).kind, -1),
    segments: segmentsOf(sender),
  };
  const at = receiver.at[direction];
  addLinkRows(b, problem, linkSender, (j) => receiver.start[at[j] as number] as number, s, direction);
}

/** The segments a stage may hold: one per candidate, with its column. */
function segmentsOf(stage: StageColumns): SentSegment[] {
  return stage.candidates.map((c, i) => ({
    column: stage.columns[i] as number,
    first: c.first,
    last: c.last,
  }));
}
