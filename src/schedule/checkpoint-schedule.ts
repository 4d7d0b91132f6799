/**
 * The standard schedule of a checkpoint set on an arbitrary DAG (the "checkpoints" builder): keep the
 * chosen activations through the forward pass, free the others once their forward consumers have run,
 * and in the backward pass recompute what each backward reads from the nearest kept ancestors, once.
 * Every solver that picks a set of kept activations (Chen et al. 2016, Feng & Huang 2021, the min-cut
 * search) turns it into a schedule here, so the evaluator judges them all alike.
 *
 * Built in two passes: (1) the order of forwards and backwards, tracking which values are logically
 * available; (2) liveness: `D a:v` right after the last read of each allocation of `a:v`.
 * Structure only: no cost is read here (the evaluator owns the cost model). O(n + m) for the
 * `segments` policy, O(n * (n + m)) for `per-backward`.
 */
import { InternalError } from "../errors.js";
import { graphOf, type InstanceGraph } from "../instance/graph.js";
import type { Instance } from "../instance/types.js";
import { type Instruction, ops, type Schedule } from "./types.js";

/**
 * `segments`: values recomputed in the backward stay until their last use, so each is recomputed at most
 * once (Chen's segments). `per-backward`: before each backward, recompute what it reads from the kept
 * values and drop it afterwards (rotor's recompute_all when only the input is kept).
 */
export type RecomputePolicy = "segments" | "per-backward";

export interface CheckpointScheduleOptions {
  readonly policy: RecomputePolicy;
  /** Run kept nodes with tape in the forward pass (store-all); otherwise they keep their output only. */
  readonly tapeKept: boolean;
  /** Run the whole forward pass first; `false` computes only on demand from the backward pass. */
  readonly forwardPhase: boolean;
}

const ascending = (a: number, b: number) => a - b;

/** Pass-1 step: a forward (with tape or not) or a backward of node `node`. */
export interface Step {
  readonly backward: boolean;
  readonly node: number;
  readonly tape: boolean;
}

/**
 * Builds the schedule that keeps `keep` (plus every node that is not recomputable).
 *
 * @param keep indices of the nodes whose activations are kept
 * @see ../../proofs/checkpoint-schedule.md
 */
export function checkpointSchedule(
  instance: Instance,
  keep: Iterable<number>,
  options: CheckpointScheduleOptions,
): Schedule {
  const g = graphOf(instance);
  const kept = new Uint8Array(g.size);
  for (const v of keep) kept[v] = 1;
  for (let v = 0; v < g.size; v++) if (g.recomputable[v] === 0) kept[v] = 1;
  const steps = orderSteps(g, kept, options);
  return insertFrees(g, steps);
}

/** Marks the non-kept nodes connected (through non-kept nodes) to the loss: they are never dropped. */
function tailOf(g: InstanceGraph, kept: Uint8Array): Uint8Array {
  const tail = new Uint8Array(g.size);
  if (kept[g.loss] === 1) return tail;
  const stack = [g.loss];
  tail[g.loss] = 1;
  while (stack.length > 0) {
    const v = stack.pop() as number;
    for (const neighbours of [g.inputs[v] as number[], g.consumers[v] as number[]]) {
      for (const w of neighbours) {
        if (kept[w] === 0 && tail[w] === 0) {
          tail[w] = 1;
          stack.push(w);
        }
      }
    }
  }
  return tail;
}

function orderSteps(g: InstanceGraph, kept: Uint8Array, options: CheckpointScheduleOptions): Step[] {
  const steps: Step[] = [];
  const available = new Uint8Array(g.size);
  const tapeAvailable = new Uint8Array(g.size);
  const backwardPending = Uint8Array.from(g.isSource, (source) => 1 - source);
  const hasTape = (v: number) => (g.tapeBytes[v] as number) > 0 && g.isSource[v] === 0;

  if (options.forwardPhase) {
    const tail = tailOf(g, kept);
    const forwardReadersLeft = Int32Array.from(g.consumers, (list) => list.length);
    for (let v = 0; v < g.size; v++) {
      const tape =
        hasTape(v) && (tail[v] === 1 || (kept[v] === 1 && (options.tapeKept || g.recomputable[v] === 0)));
      steps.push({ backward: false, node: v, tape });
      available[v] = 1;
      if (tape) tapeAvailable[v] = 1;
      for (const u of g.inputs[v] as number[]) {
        forwardReadersLeft[u] = (forwardReadersLeft[u] as number) - 1;
        if (forwardReadersLeft[u] === 0 && kept[u] === 0 && tail[u] === 0) available[u] = 0;
      }
    }
  }

  const marked = new Uint8Array(g.size);
  const toCompute: number[] = [];
  // Marks w and, recursively, its unavailable inputs for recomputation before the current backward.
  const mark = (w: number) => {
    if (marked[w] === 1) return;
    if (g.recomputable[w] === 0 && steps.some((step) => !step.backward && step.node === w)) {
      throw new InternalError(`checkpointSchedule: ${g.ids[w]} must be recomputed but is not recomputable`);
    }
    marked[w] = 1;
    toCompute.push(w);
    for (const u of g.inputs[w] as number[]) if (available[u] === 0) mark(u);
  };
  for (let v = g.size - 1; v >= 0; v--) {
    if (g.isSource[v] === 1) continue;
    toCompute.length = 0;
    if (hasTape(v) && tapeAvailable[v] === 0) {
      available[v] = 0; // a kept output without its tape is recomputed with it (freed just before)
      mark(v);
    }
    if ((g.needsOutput[v] === 1 || (v === g.loss && !options.forwardPhase)) && available[v] === 0) mark(v);
    if (g.needsInputs[v] === 1) for (const u of g.inputs[v] as number[]) if (available[u] === 0) mark(u);
    toCompute.sort(ascending);
    for (const w of toCompute) {
      const tape =
        hasTape(w) &&
        backwardPending[w] === 1 &&
        (options.policy === "segments" || w === v || g.recomputable[w] === 0);
      steps.push({ backward: false, node: w, tape });
      available[w] = 1;
      if (tape) tapeAvailable[w] = 1;
      marked[w] = 0;
    }
    steps.push({ backward: true, node: v, tape: false });
    tapeAvailable[v] = 0;
    backwardPending[v] = 0;
    if (options.policy === "per-backward") for (const w of toCompute) if (kept[w] === 0) available[w] = 0;
  }
  return steps;
}

/**
 * Pass 2: emits the steps with `D a:v` right after the last read of each allocation of `a:v` (exact
 * liveness; also used by the block-chain expansion of the graph solver). O(steps + reads).
 */
export function insertFrees(g: InstanceGraph, steps: readonly Step[]): Schedule {
  const freeAfter: number[][] = steps.map(() => []);
  const lastUse = new Int32Array(g.size).fill(-1); // position of the last read (or the allocation) of the live a:v
  const close = (v: number) => {
    const at = lastUse[v] as number;
    if (at >= 0) freeAfter[at]?.push(v);
    lastUse[v] = -1;
  };
  steps.forEach((step, position) => {
    const v = step.node;
    if (step.backward) {
      if (g.needsInputs[v] === 1) for (const u of g.inputs[v] as number[]) lastUse[u] = position;
      if (g.needsOutput[v] === 1) lastUse[v] = position;
      return;
    }
    for (const u of g.inputs[v] as number[]) lastUse[u] = position;
    close(v);
    lastUse[v] = position;
  });
  for (let v = 0; v < g.size; v++) close(v);
  const schedule: Instruction[] = [];
  steps.forEach((step, position) => {
    const id = g.ids[step.node] as string;
    schedule.push(step.backward ? ops.backward(id) : ops.forward(id, step.tape));
    for (const v of (freeAfter[position] as number[]).sort(ascending))
      schedule.push(ops.freeActivation(g.ids[v] as string));
  });
  return Object.freeze(schedule);
}
