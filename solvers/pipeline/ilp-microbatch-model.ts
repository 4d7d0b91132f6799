/**
 * The per-(stage, micro-batch) MILP of `pipeline-ilp --recompute-per microbatch` for a fixed partition
 * (proofs/pipeline-ilp.md, "Per micro-batch"), as elf's ILP (Aguila--Multner et al. 2025): one binary
 * per (stage, micro-batch, option) choosing which schedule micro-batch j runs on stage s, the pipeline
 * evaluator's discrete-event rules as linear rows over part start times in each device's fixed order
 * (src/pipeline/order.ts), each part's duration that of its micro-batch's option, and one memory row per
 * part: the kept bytes of the other micro-batches in flight at that part (known from the order) plus
 * the part's own peak, at most the memory left by the stage's state. Minimizes the step time.
 * Size: O(p m O) binaries for O options per stage, O(p m) continuous variables, O(p m) rows of which
 * the memory rows hold O(m O) terms each.
 */
import { type LpModel, type LpTerm, ModelBuilder } from "../../src/lp/model.js";
import { deviceOrder, type Part } from "../../src/pipeline/order.js";
import { transferMs } from "../../src/pipeline/simulate.js";
import type { PipelineProblem } from "../../src/pipeline/types.js";
import type { StageCandidate } from "./ilp-candidates.js";

/** One stage of the fixed partition: its segment, its options, and which option each micro-batch may take. */
export interface MicrobatchStage {
  readonly first: number;
  readonly last: number;
  /** The stage's state bytes. */
  readonly stateBytes: number;
  readonly options: readonly StageCandidate[];
  /** allowed[j][o]: whether micro-batch j may run option o (a necessary memory condition holds). */
  readonly allowed: readonly (readonly boolean[])[];
}

/** A built model and where its columns are. */
export interface MicrobatchIlp {
  readonly model: LpModel;
  /** choice[s][j][o]: the column of x[s][j][o], or -1 when micro-batch j may not take option o. */
  readonly choice: readonly (readonly (readonly number[])[])[];
  /** The column of the step time. */
  readonly makespan: number;
}

/** One device's columns: its order, part start times and choice columns. */
interface Device {
  readonly stage: MicrobatchStage;
  readonly order: readonly Part[];
  readonly start: readonly number[];
  readonly choice: readonly (readonly number[])[];
  /** at.forward[j], at.backward[j]: the index in `order` of micro-batch j's forward and backward part. */
  readonly at: { readonly forward: readonly number[]; readonly backward: readonly number[] };
}

/**
 * Builds the model over `stages` (the fixed partition, every (stage, micro-batch) with at least one
 * allowed option), the step time at most `cutoffMs`.
 */
export function buildMicrobatchIlp(
  problem: PipelineProblem,
  stages: readonly MicrobatchStage[],
  cutoffMs = Number.POSITIVE_INFINITY,
): MicrobatchIlp {
  const p = stages.length;
  const m = problem.microbatches;
  const b = new ModelBuilder(`pipeline-ilp-microbatch-${problem.instance.name}-p${p}`, "minimize");
  const devices: Device[] = stages.map((stage, s) => {
    const choice = Array.from({ length: m }, (_, j) => {
      const columns = stage.options.map((_, o) =>
        stage.allowed[j]?.[o] === true ? b.addVariable(`x${s}_${j}_${o}`, { kind: "binary" }) : -1,
      );
      b.addConstraint(
        `one${s}_${j}`,
        columns.filter((col) => col >= 0).map((col) => [col, 1] as const),
        { equal: 1 },
      );
      return columns;
    });
    const order = deviceOrder(problem.schedule, s, p, m);
    const start = order.map((part, i) => b.addVariable(`t${s}_${i}_${part.kind[0]}${part.microbatch}`));
    const at = { forward: new Array<number>(m).fill(-1), backward: new Array<number>(m).fill(-1) };
    order.forEach((part, i) => {
      at[part.kind][part.microbatch] = i;
    });
    return { stage, order, start, choice, at };
  });
  for (const [s, device] of devices.entries()) {
    serialRows(b, device, s);
    memoryRows(b, problem, device, s);
  }
  for (let s = 1; s < p; s++)
    linkRows(b, problem, devices[s - 1] as Device, devices[s] as Device, s, "forward");
  for (let s = 0; s + 1 < p; s++)
    linkRows(b, problem, devices[s + 1] as Device, devices[s] as Device, s, "backward");
  const makespan = b.addVariable("step", { objective: 1, upper: cutoffMs });
  devices.forEach((device, s) => {
    const i = device.order.length - 1;
    b.addConstraint(
      `end${s}`,
      [[makespan, 1], [device.start[i] as number, -1], ...durationTerms(device, i, -1)],
      {
        lower: 0,
      },
    );
  });
  return { model: b.build(), choice: devices.map((d) => d.choice), makespan };
}

/** Terms `sign * duration` of part `i` of the device: its micro-batch's chosen option's part time. */
function durationTerms(device: Device, i: number, sign: number): LpTerm[] {
  const part = device.order[i] as Part;
  const terms: LpTerm[] = [];
  (device.choice[part.microbatch] as readonly number[]).forEach((col, o) => {
    if (col < 0) return;
    const profile = (device.stage.options[o] as StageCandidate).profile;
    terms.push([col, sign * (part.kind === "forward" ? profile.forwardMs : profile.backwardMs)]);
  });
  return terms;
}

/** A device runs its parts one at a time in its order. */
function serialRows(b: ModelBuilder, device: Device, s: number): void {
  for (let i = 1; i < device.order.length; i++)
    b.addConstraint(
      `serial${s}_${i}`,
      [
        [device.start[i] as number, 1],
        [device.start[i - 1] as number, -1],
        ...durationTerms(device, i - 1, -1),
      ],
      { lower: 0 },
    );
}

/**
 * Per part of micro-batch j: the kept bytes of the micro-batches in flight other than j (from the
 * start of their forward to the end of their backward, in the device's order) plus j's part peak,
 * at most the memory minus the state.
 */
function memoryRows(b: ModelBuilder, problem: PipelineProblem, device: Device, s: number): void {
  const inFlight = new Set<number>();
  const { options } = device.stage;
  const room = problem.memoryBytes - device.stage.stateBytes;
  device.order.forEach((part, i) => {
    const j = part.microbatch;
    if (part.kind === "forward") inFlight.add(j);
    const terms: LpTerm[] = [];
    for (const other of inFlight) {
      if (other === j) continue;
      (device.choice[other] as readonly number[]).forEach((col, o) => {
        if (col >= 0) terms.push([col, (options[o] as StageCandidate).profile.keptBytes]);
      });
    }
    (device.choice[j] as readonly number[]).forEach((col, o) => {
      const profile = (options[o] as StageCandidate).profile;
      if (col >= 0)
        terms.push([col, part.kind === "forward" ? profile.forwardPeakBytes : profile.backwardPeakBytes]);
    });
    if (terms.length > 0 || room < 0) b.addConstraint(`memory${s}_${i}`, terms, { upper: room });
    if (part.kind === "backward") inFlight.delete(j);
  });
}

/**
 * The link from `sender` to `receiver` in `direction` (`forward`: stage s - 1 to s; `backward`: s + 1
 * to s), one transfer at a time in the sender's order, each taking the fixed segment's transfer time.
 */
function linkRows(
  b: ModelBuilder,
  problem: PipelineProblem,
  sender: Device,
  receiver: Device,
  s: number,
  direction: Part["kind"],
): void {
  const nodes = problem.instance.nodes;
  const bytes =
    direction === "forward"
      ? (nodes[sender.stage.last]?.bytes ?? 0)
      : (nodes[sender.stage.first - 1]?.gradBytes ?? 0);
  const transfer = transferMs(problem.link, bytes);
  const name = direction === "forward" ? "af" : "ab";
  let previous: number | undefined;
  sender.order.forEach((part, i) => {
    if (part.kind !== direction) return;
    const j = part.microbatch;
    const arrive = b.addVariable(`${name}${s}_${j}`);
    b.addConstraint(
      `${name}${s}_${j}_end`,
      [[arrive, 1], [sender.start[i] as number, -1], ...durationTerms(sender, i, -1)],
      { lower: transfer },
    );
    if (previous !== undefined)
      b.addConstraint(
        `${name}${s}_${j}_link`,
        [
          [arrive, 1],
          [previous, -1],
        ],
        { lower: transfer },
      );
    previous = arrive;
    b.addConstraint(
      `${name}${s}_${j}_start`,
      [
        [receiver.start[receiver.at[direction][j] as number] as number, 1],
        [arrive, -1],
      ],
      { lower: 0 },
    );
  });
}
