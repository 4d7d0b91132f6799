/**
 * The per-(stage, micro-batch) MILP of `pipeline-ilp --recompute-per microbatch|joint` for a fixed
 * stage count (proofs/pipeline-ilp.md, "Per micro-batch"), as elf's ILP (Aguila--Multner et al. 2025):
 * per position s one binary per segment placeable there (exactly one chosen, consecutive positions
 * contiguous; a fixed partition offers one segment per position) and one binary per (micro-batch,
 * option of a segment) choosing which schedule micro-batch j runs on stage s, the options of the chosen
 * segment only; the pipeline evaluator's discrete-event rules as linear rows over part start times in
 * each device's fixed order (src/pipeline/order.ts), each part's duration that of its micro-batch's
 * option, each transfer that of the chosen segment; and one memory row per part: the chosen segment's
 * state, the kept bytes of the other micro-batches in flight at that part (known from the order) and the
 * part's own peak, at most the memory. Minimizes the step time.
 * Size: O(p (G + m O)) binaries for G segments and O options per position, O(p m) continuous variables,
 * O(p (L + m G)) rows of which the memory rows hold O(m O) terms each.
 */
import { type LpModel, type LpTerm, ModelBuilder } from "../../src/lp/model.js";
import { deviceOrder, type Part } from "../../src/pipeline/order.js";
import type { PipelineProblem } from "../../src/pipeline/types.js";
import type { StageCandidate } from "./ilp-candidates.js";
import { addContiguityRows, addLinkRows, type LinkSender, type SentSegment } from "./ilp-rows.js";

/** One segment a position may take. */
export interface MicrobatchSegment {
  readonly first: number;
  readonly last: number;
  /** The stage's state bytes on this segment. */
  readonly stateBytes: number;
}

/** One position (stage s of p): its segments, their options, and which option each micro-batch may take. */
export interface MicrobatchStage {
  readonly segments: readonly MicrobatchSegment[];
  /** Every option of every segment (each a candidate of its segment). */
  readonly options: readonly StageCandidate[];
  /** segmentOf[o]: the index in `segments` of option o's segment. */
  readonly segmentOf: readonly number[];
  /** allowed[j][o]: whether micro-batch j may run option o (a necessary memory condition holds). */
  readonly allowed: readonly (readonly boolean[])[];
}

/** A built model and where its columns are. */
export interface MicrobatchIlp {
  readonly model: LpModel;
  /** segment[s][g]: the column of position s taking segment g. */
  readonly segment: readonly (readonly number[])[];
  /** choice[s][j][o]: the column of x[s][j][o], or -1 when micro-batch j may not take option o. */
  readonly choice: readonly (readonly (readonly number[])[])[];
  /** The column of the step time. */
  readonly makespan: number;
}

/** One device's columns: its order, part start times, segment and choice columns. */
interface Device {
  readonly stage: MicrobatchStage;
  readonly order: readonly Part[];
  readonly start: readonly number[];
  readonly segment: readonly number[];
  readonly choice: readonly (readonly number[])[];
  /** at.forward[j], at.backward[j]: the index in `order` of micro-batch j's forward and backward part. */
  readonly at: { readonly forward: readonly number[]; readonly backward: readonly number[] };
}

/** Builds the model over the positions `stages` (at least one option allowed per micro-batch), step at most `cutoffMs`. */
export function buildMicrobatchIlp(
  problem: PipelineProblem,
  stages: readonly MicrobatchStage[],
  cutoffMs = Number.POSITIVE_INFINITY,
): MicrobatchIlp {
  const p = stages.length;
  const b = new ModelBuilder(`pipeline-ilp-microbatch-${problem.instance.name}-p${p}`, "minimize");
  const devices = stages.map((stage, s) => device(b, problem, stage, s, p));
  addContiguityRows(b, devices.map(segmentsOf));
  for (const [s, d] of devices.entries()) {
    serialRows(b, d, s);
    memoryRows(b, problem, d, s);
  }
  for (let s = 1; s < p; s++) link(b, problem, devices[s - 1] as Device, devices[s] as Device, s, "forward");
  for (let s = 0; s + 1 < p; s++)
    link(b, problem, devices[s + 1] as Device, devices[s] as Device, s, "backward");
  const makespan = b.addVariable("step", { objective: 1, upper: cutoffMs });
  devices.forEach((d, s) => {
    const i = d.order.length - 1;
    b.addConstraint(`end${s}`, [[makespan, 1], [d.start[i] as number, -1], ...durationTerms(d, i, -1)], {
      lower: 0,
    });
  });
  return {
    model: b.build(),
    segment: devices.map((d) => d.segment),
    choice: devices.map((d) => d.choice),
    makespan,
  };
}

/** Position s's columns: one segment chosen, and per micro-batch one allowed option of that segment. */
function device(
  b: ModelBuilder,
  problem: PipelineProblem,
  stage: MicrobatchStage,
  s: number,
  p: number,
): Device {
  const m = problem.microbatches;
  const segment = stage.segments.map((g) => b.addVariable(`g${s}_${g.first}_${g.last}`, { kind: "binary" }));
  b.addConstraint(
    `segment${s}`,
    segment.map((col) => [col, 1] as const),
    { equal: 1 },
  );
  const choice = Array.from({ length: m }, (_, j) => {
    const columns = stage.options.map((_, o) =>
      stage.allowed[j]?.[o] === true ? b.addVariable(`x${s}_${j}_${o}`, { kind: "binary" }) : -1,
    );
    segment.forEach((col, g) => {
      const terms: LpTerm[] = [[col, -1]];
      columns.forEach((x, o) => {
        if (x >= 0 && stage.segmentOf[o] === g) terms.push([x, 1]);
      });
      b.addConstraint(`option${s}_${j}_${g}`, terms, { equal: 0 });
    });
    return columns;
  });
  const order = deviceOrder(problem.schedule, s, p, m);
  const start = order.map((part, i) => b.addVariable(`t${s}_${i}_${part.kind[0]}${part.microbatch}`));
  const at = { forward: new Array<number>(m).fill(-1), backward: new Array<number>(m).fill(-1) };
  order.forEach((part, i) => {
    at[part.kind][part.microbatch] = i;
  });
  return { stage, order, start, segment, choice, at };
}

/** Terms `sign * duration` of part `i` of the device: its micro-batch's chosen option's part time. */
function durationTerms(d: Device, i: number, sign: number): LpTerm[] {
  const part = d.order[i] as Part;
  const terms: LpTerm[] = [];
  (d.choice[part.microbatch] as readonly number[]).forEach((col, o) => {
    if (col < 0) return;
    const profile = (d.stage.options[o] as StageCandidate).profile;
    terms.push([col, sign * (part.kind === "forward" ? profile.forwardMs : profile.backwardMs)]);
  });
  return terms;
}

/** A device runs its parts one at a time in its order. */
function serialRows(b: ModelBuilder, d: Device, s: number): void {
  for (let i = 1; i < d.order.length; i++)
    b.addConstraint(
      `serial${s}_${i}`,
      [[d.start[i] as number, 1], [d.start[i - 1] as number, -1], ...durationTerms(d, i - 1, -1)],
      { lower: 0 },
    );
}

/**
 * Per part of micro-batch j: the chosen segment's state, the kept bytes of the micro-batches in flight
 * other than j (from the start of their forward to the end of their backward, in the device's order)
 * and j's part peak, at most the memory.
 */
function memoryRows(b: ModelBuilder, problem: PipelineProblem, d: Device, s: number): void {
  const inFlight = new Set<number>();
  const { options, segments } = d.stage;
  const state: LpTerm[] = d.segment.map((col, g) => [col, (segments[g] as MicrobatchSegment).stateBytes]);
  d.order.forEach((part, i) => {
    const j = part.microbatch;
    if (part.kind === "forward") inFlight.add(j);
    const terms: LpTerm[] = [...state];
    for (const other of inFlight) {
      if (other === j) continue;
      (d.choice[other] as readonly number[]).forEach((col, o) => {
        if (col >= 0) terms.push([col, (options[o] as StageCandidate).profile.keptBytes]);
      });
    }
    (d.choice[j] as readonly number[]).forEach((col, o) => {
      const profile = (options[o] as StageCandidate).profile;
      if (col >= 0)
        terms.push([col, part.kind === "forward" ? profile.forwardPeakBytes : profile.backwardPeakBytes]);
    });
    b.addConstraint(`memory${s}_${i}`, terms, { upper: problem.memoryBytes });
    if (part.kind === "backward") inFlight.delete(j);
  });
}

/** The link rows (ilp-rows.ts) from `sender` to `receiver` in `direction`. */
function link(
  b: ModelBuilder,
  problem: PipelineProblem,
  sender: Device,
  receiver: Device,
  s: number,
  direction: Part["kind"],
): void {
  const linkSender: LinkSender = {
    order: sender.order,
    start: sender.start,
    negativeDuration: (i) => durationTerms(sender, i, -1),
    segments: segmentsOf(sender),
  };
  const at = receiver.at[direction];
  addLinkRows(b, problem, linkSender, (j) => receiver.start[at[j] as number] as number, s, direction);
}

/** The segments a position may hold, with their columns. */
function segmentsOf(d: Device): SentSegment[] {
  return d.stage.segments.map((g, i) => ({ column: d.segment[i] as number, first: g.first, last: g.last }));
}
