/**
 * The resident spans of a transfer-free schedule (proofs/graph-offload.md, "Spans"): its compute steps
 * (every `F` and `B`, numbered 0..K-1), the evaluator's memory during each, and, for every offloadable
 * activation, each stretch between one read of it and its next read (its production counting as the
 * first "read") during which it stays resident with at least one compute step in between. Offloading a
 * span means freeing the activation after the span's start and prefetching it before the span's end.
 * O(|schedule| + sum of reads) time and memory.
 */
import { InternalError } from "../../src/errors.js";
import { evaluate, type ValidEvaluation } from "../../src/evaluate/evaluate.js";
import { graphOf, type InstanceGraph } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";
import type { Instruction, Schedule } from "../../src/schedule/types.js";

/**
 * One span of activation `node`: resident from compute step `start` (its production or a read) to step
 * `end` (its next read), unread at every step strictly between; `end - start >= 2`.
 */
export interface Span {
  readonly node: number;
  readonly start: number;
  readonly end: number;
  /** The compute step that produced the residency this span lies in (`F node`). */
  readonly produced: number;
}

/** A transfer-free schedule broken into compute steps, with its spans. */
export interface BaseSchedule {
  readonly instance: Instance;
  readonly g: InstanceGraph;
  readonly schedule: Schedule;
  readonly evaluation: ValidEvaluation;
  /** Index in `schedule` of each compute step's instruction. */
  readonly stepIndex: readonly number[];
  /** Memory during each compute step (the evaluator's profile), bytes. */
  readonly during: Float64Array;
  /** Compute time of each step, ms. */
  readonly durations: Float64Array;
  /** Every span of an offloadable activation of positive size, by start, then node. */
  readonly spans: readonly Span[];
  /** Whether the instance has a link (a hardware block with positive bandwidth). */
  readonly hasLink: boolean;
  /** `latency + bytes / bandwidth` of each activation's transfer, ms (Infinity without a link). */
  readonly transferMs: Float64Array;
}

/**
 * The base schedule's steps and spans.
 * @throws InternalError when `schedule` is invalid or holds a transfer (`O`/`P`): the planner only
 *   hands transfer-free schedules it judged valid
 */
export function baseSchedule(instance: Instance, schedule: Schedule): BaseSchedule {
  const g = graphOf(instance);
  for (const instruction of schedule)
    if (instruction.op === "O" || instruction.op === "P")
      throw new InternalError("baseSchedule: the base schedule already holds a transfer");
  const evaluation = evaluate(instance, schedule, { profile: true });
  if (!evaluation.valid || evaluation.profile === undefined)
    throw new InternalError(
      `baseSchedule: invalid base schedule (${evaluation.valid ? "" : evaluation.error.reason})`,
    );
  const stepIndex: number[] = [];
  schedule.forEach((instruction, index) => {
    if (instruction.op === "F" || instruction.op === "B") stepIndex.push(index);
  });
  const profile = evaluation.profile;
  const during = Float64Array.from(stepIndex, (index) => profile.duringBytes[index] as number);
  const durations = Float64Array.from(stepIndex, (index) => profile.computeMs[index] as number);
  const hardware = instance.hardware;
  const hasLink = hardware !== undefined && hardware.bandwidth > 0;
  const transferMs = Float64Array.from(g.bytes, (bytes) =>
    hasLink && hardware !== undefined
      ? hardware.latency + bytes / hardware.bandwidth
      : Number.POSITIVE_INFINITY,
  );
  const spans = findSpans(g, schedule);
  return { instance, g, schedule, evaluation, stepIndex, during, durations, spans, hasLink, transferMs };
}

/** The activations a compute instruction reads: a forward its inputs, a backward what `needs` names. */
export function readsOf(g: InstanceGraph, instruction: Instruction): number[] {
  if (instruction.op !== "F" && instruction.op !== "B") return [];
  const v = g.indexOf.get(instruction.node) as number;
  const inputs = g.inputs[v] as readonly number[];
  if (instruction.op === "F") return [...new Set(inputs)];
  const list = g.needsInputs[v] === 1 ? [...inputs] : [];
  if (g.needsOutput[v] === 1) list.push(v);
  return [...new Set(list)];
}

/** Per activation, the step of its last read or production while resident (-1 when absent). */
class ReadWalk {
  readonly spans: Span[] = [];
  private readonly last: Int32Array;
  private readonly produced: Int32Array;

  constructor(private readonly g: InstanceGraph) {
    this.last = new Int32Array(g.size).fill(-1);
    this.produced = new Int32Array(g.size).fill(-1);
  }

  /** `a:u` read at `step`: closes the span since its previous read when one step or more lies between. */
  read(u: number, step: number): void {
    const { g } = this;
    const start = this.last[u] as number;
    if (start >= 0 && step - start >= 2 && g.offloadable[u] === 1 && (g.bytes[u] as number) > 0)
      this.spans.push({ node: u, start, end: step, produced: this.produced[u] as number });
    this.last[u] = step;
  }

  produce(v: number, step: number): void {
    this.last[v] = step;
    this.produced[v] = step;
  }

  free(u: number): void {
    this.last[u] = -1;
  }
}

/** Walks the schedule once, collecting the spans. */
function findSpans(g: InstanceGraph, schedule: Schedule): Span[] {
  const walk = new ReadWalk(g);
  let step = -1;
  for (const instruction of schedule) {
    if (instruction.op === "D") {
      if (instruction.tensor.kind === "a") walk.free(g.indexOf.get(instruction.tensor.node) as number);
      continue;
    }
    if (instruction.op !== "F" && instruction.op !== "B") continue;
    step++;
    for (const u of readsOf(g, instruction)) walk.read(u, step);
    if (instruction.op === "F") walk.produce(g.indexOf.get(instruction.node) as number, step);
  }
  return walk.spans.sort((a, b) => a.start - b.start || a.node - b.node || a.end - b.end);
}
