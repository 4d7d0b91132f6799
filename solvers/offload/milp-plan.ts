/**
 * The structure offload-milp's model is built on (proofs/offload-milp.md, "Structure"): store-all's
 * schedule cut into its compute instructions (`F`/`B`, the ops k = 0..N-1, in order) and the gaps between
 * them, each op's duration and its memory during the op under store-all (read from the evaluator's
 * profile, never recomputed), the ops above the budget, and the candidate absences: for each offloadable
 * activation and each pair of consecutive reads of it with at least one op between them, the over-budget
 * ops inside that interval (an absence that covers no over-budget op only costs transfers).
 *
 * Complexity: O(N + edges + sum over candidates of their over-budget ops).
 */

import { InternalError } from "../../src/errors.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { graphOf, type InstanceGraph } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";
import type { Schedule } from "../../src/schedule/types.js";
import type { Deadline } from "../../src/time-limit.js";

/**
 * One candidate absence: `a:node` off the device between two consecutive reads of it (ops
 * `after` < `before`, `after` possibly its production), covering some of the over-budget ops
 * `overOps` (op indices, ascending, all strictly between `after` and `before`).
 */
export interface Absence {
  readonly node: number;
  /** The read (or the production) the absence follows, op index. */
  readonly after: number;
  /** The read the absence ends before (it waits for the prefetch), op index. */
  readonly before: number;
  /** Over-budget ops inside the interval, ascending; never empty. */
  readonly overOps: readonly number[];
}

/** Store-all cut into ops and gaps, with what the model needs to know of each. */
export interface OffloadPlan {
  readonly instance: Instance;
  readonly graph: InstanceGraph;
  readonly budgetBytes: number;
  /** Store-all's schedule (the rebuilt schedule is it with `O`, `D`, `P` inserted). */
  readonly storeAll: Schedule;
  /** Index in `storeAll` of op k. */
  readonly opIndex: readonly number[];
  /** Node of op k. */
  readonly opNode: readonly number[];
  /** Duration of op k (its node's fwd or bwd), ms. */
  readonly opMs: readonly number[];
  /** Bytes during op k under store-all (the evaluator's profile). */
  readonly opBytes: readonly number[];
  /** Ops with `opBytes` above the budget, ascending. */
  readonly overOps: readonly number[];
  /** Op index of `F v` for each node. */
  readonly production: readonly number[];
  /** Duration of one transfer of `a:v` (latency + bytes / bandwidth), ms, for each node. */
  readonly transferMs: readonly number[];
  readonly absences: readonly Absence[];
  /** Nodes with at least one absence, ascending (the activations the model may offload). */
  readonly offloadNodes: readonly number[];
  /** Least bytes op k can run with in the class: `opBytes` minus every activation that may be absent then. */
  readonly leastOpBytes: readonly number[];
}

/** The store-all ops and their profile. @throws InternalError if store-all is invalid (a bug) */
function storeAllOps(instance: Instance, g: InstanceGraph) {
  const schedule = storeAllSchedule(instance);
  const evaluation = evaluate(instance, schedule, { profile: true });
  if (!evaluation.valid || evaluation.profile === undefined)
    throw new InternalError("offload-milp: the store-all schedule is invalid");
  const opIndex: number[] = [];
  const opNode: number[] = [];
  const opMs: number[] = [];
  const opBytes: number[] = [];
  const production = new Array<number>(g.size).fill(-1);
  const backwardOp = new Array<number>(g.size).fill(-1);
  schedule.forEach((instruction, index) => {
    if (instruction.op !== "F" && instruction.op !== "B") return;
    const v = g.indexOf.get(instruction.node) as number;
    if (instruction.op === "F") production[v] = opIndex.length;
    else backwardOp[v] = opIndex.length;
    opIndex.push(index);
    opNode.push(v);
    opMs.push((instruction.op === "F" ? g.fwd[v] : g.bwd[v]) as number);
    opBytes.push(evaluation.profile?.duringBytes[index] as number);
  });
  return { schedule, opIndex, opNode, opMs, opBytes, production, backwardOp };
}

/** The ops that read `a:v` (its forward consumers, the backwards whose `needs` name it), with its production, sorted. */
function readsOf(g: InstanceGraph, v: number, production: readonly number[], backwardOp: readonly number[]) {
  const reads = [production[v] as number];
  for (const c of g.consumers[v] as readonly number[]) {
    reads.push(production[c] as number);
    if (g.needsInputs[c] === 1 && backwardOp[c] !== -1) reads.push(backwardOp[c] as number);
  }
  if (g.needsOutput[v] === 1 && backwardOp[v] !== -1) reads.push(backwardOp[v] as number);
  return [...new Set(reads)].sort((a, b) => a - b);
}

/** The absence of `a:v` between reads `after` and `before`, with the over-budget ops inside (maybe none). */
function absenceBetween(v: number, after: number, before: number, isOver: readonly boolean[]): Absence {
  const overOps: number[] = [];
  for (let k = after + 1; k < before; k++) if (isOver[k]) overOps.push(k);
  return { node: v, after, before, overOps };
}

/** Subtracts `bytes` from `least[k]` for every op k strictly inside the absence's interval. */
function subtractBetween(least: number[], absence: Absence, bytes: number): void {
  for (let k = absence.after + 1; k < absence.before; k++) least[k] = (least[k] as number) - bytes;
}

/**
 * Builds the plan of `instance` for `budgetBytes`; the instance must have a link (bandwidth > 0).
 * @throws TimeLimitReached when `deadline` passes
 */
export function offloadPlan(instance: Instance, budgetBytes: number, deadline: Deadline): OffloadPlan {
  const g = graphOf(instance);
  const ops = storeAllOps(instance, g);
  const bandwidth = instance.hardware?.bandwidth ?? 0;
  const latency = instance.hardware?.latency ?? 0;
  const transferMs = Array.from(g.bytes, (bytes) => latency + bytes / bandwidth);
  const isOver = ops.opBytes.map((bytes) => bytes > budgetBytes);
  const overOps = ops.opBytes.flatMap((_, k) => (isOver[k] ? [k] : []));
  const leastOpBytes = [...ops.opBytes];
  const absences: Absence[] = [];
  for (let v = 0; v < g.size; v++) {
    if ((v & 0xff) === 0) deadline.check("building the offload MILP's structure");
    if (g.offloadable[v] === 0 || (g.bytes[v] as number) <= 0) continue;
    const reads = readsOf(g, v, ops.production, ops.backwardOp);
    for (let i = 0; i + 1 < reads.length; i++) {
      const absence = absenceBetween(v, reads[i] as number, reads[i + 1] as number, isOver);
      subtractBetween(leastOpBytes, absence, g.bytes[v] as number);
      if (absence.overOps.length > 0) absences.push(absence);
    }
  }
  const offloadNodes = [...new Set(absences.map((a) => a.node))].sort((a, b) => a - b);
  return {
    instance,
    graph: g,
    budgetBytes,
    storeAll: ops.schedule,
    opIndex: ops.opIndex,
    opNode: ops.opNode,
    opMs: ops.opMs,
    opBytes: ops.opBytes,
    overOps,
    production: ops.production,
    transferMs,
    absences,
    offloadNodes,
    leastOpBytes,
  };
}

/** The least peak any schedule of the class reaches (max over ops of `leastOpBytes`), bytes. */
export function leastPeakBytes(plan: OffloadPlan): number {
  let peak = 0;
  for (const bytes of plan.leastOpBytes) if (bytes > peak) peak = bytes;
  return peak;
}
