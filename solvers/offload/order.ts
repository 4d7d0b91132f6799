/**
 * The fixed operation order of the `offload` class (src/optimality.ts): store-all's compute steps (every
 * forward once in the listed order, then every backward in reverse), with what each step reads and,
 * per activation, the steps that read it. Every offload solver plans around this one order.
 * Built in O(n + m) from store-all's schedule (src/schedule/builders.ts) and the evaluator's profile of
 * it, so that the order and the memory of each step are store-all's by construction.
 */
import { InternalError } from "../../src/errors.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { graphOf, type InstanceGraph } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";
import type { Schedule } from "../../src/schedule/types.js";

/** One compute step: `F node tape` (forward) or `B node` (backward). */
export interface ComputeStep {
  readonly backward: boolean;
  readonly node: number;
}

/**
 * The offload class's order on one instance. Steps are numbered 0..K-1: forwards 0..n-1 (step v runs
 * `F v`), then the backwards. "Gap g" is the place right after step g (and its frees), before step g+1.
 */
export interface OffloadOrder {
  readonly g: InstanceGraph;
  readonly instance: Instance;
  readonly steps: readonly ComputeStep[];
  /** n: steps 0..n-1 are the forwards; gap n-1 is the boundary between the two passes. */
  readonly forwardSteps: number;
  /** Activations step s reads (F: its inputs; B: what `needs` names), node indices. */
  readonly reads: readonly (readonly number[])[];
  /** Steps reading a:u, ascending (forward consumers, then backward readers). */
  readonly readSteps: readonly (readonly number[])[];
  /** The last step reading a:u, or u's own forward step when none does (store-all frees it there). */
  readonly lastUse: Int32Array;
  /** The last forward step reading a:u, or u's own forward step when none does. */
  readonly lastForwardRead: Int32Array;
  /** The first backward step reading a:u, or -1 when no backward reads it. */
  readonly firstBackwardRead: Int32Array;
  /** Compute time of each step, ms. */
  readonly durations: Float64Array;
  /** Store-all's memory during each step (the evaluator's profile), bytes. */
  readonly storeAllDuring: Float64Array;
  /** Whether the instance has a host link (a `hardware` block): without one nothing can be offloaded. */
  readonly hasLink: boolean;
  /** `latency + bytes / bandwidth` of each activation's transfer, ms (Infinity without a link). */
  readonly transferMs: Float64Array;
}

const cache = new WeakMap<Instance, OffloadOrder>();

/**
 * The offload order of `instance` (cached per instance).
 * @throws InternalError when store-all's schedule is not in the expected order (a bug)
 */
export function offloadOrder(instance: Instance): OffloadOrder {
  const cached = cache.get(instance);
  if (cached !== undefined) return cached;
  const order = buildOrder(instance);
  cache.set(instance, order);
  return order;
}

function buildOrder(instance: Instance): OffloadOrder {
  const g = graphOf(instance);
  const schedule = storeAllSchedule(instance);
  const evaluation = evaluate(instance, schedule, { profile: true });
  if (!evaluation.valid || evaluation.profile === undefined)
    throw new InternalError("offloadOrder: store-all's schedule is invalid");
  const { steps, during } = computeSteps(g, schedule, evaluation.profile.duringBytes);
  const reads = steps.map((step) => stepReads(g, step));
  const readSteps: number[][] = Array.from({ length: g.size }, () => []);
  reads.forEach((list, s) => {
    for (const u of list) (readSteps[u] as number[]).push(s);
  });
  const n = g.size;
  const lastUse = new Int32Array(n);
  const lastForwardRead = new Int32Array(n);
  const firstBackwardRead = new Int32Array(n).fill(-1);
  for (let u = 0; u < n; u++) {
    const list = readSteps[u] as number[];
    lastUse[u] = Math.max(u, list[list.length - 1] ?? u);
    let lastForward = u;
    let firstBackward = -1;
    for (const s of list) {
      if (s < n) lastForward = Math.max(lastForward, s);
      else if (firstBackward === -1) firstBackward = s;
    }
    lastForwardRead[u] = lastForward;
    firstBackwardRead[u] = firstBackward;
  }
  const hardware = instance.hardware;
  const hasLink = hardware !== undefined && hardware.bandwidth > 0;
  const transferMs = Float64Array.from(g.bytes, (bytes) =>
    hasLink && hardware !== undefined
      ? hardware.latency + bytes / hardware.bandwidth
      : Number.POSITIVE_INFINITY,
  );
  return {
    g,
    instance,
    steps,
    forwardSteps: n,
    reads,
    readSteps,
    lastUse,
    lastForwardRead,
    firstBackwardRead,
    durations: Float64Array.from(steps, (step) => (step.backward ? g.bwd : g.fwd)[step.node] as number),
    storeAllDuring: during,
    hasLink,
    transferMs,
  };
}

/** The compute steps of store-all's schedule and the memory during each (from the profile). */
function computeSteps(
  g: InstanceGraph,
  schedule: Schedule,
  duringBytes: Float64Array,
): { steps: ComputeStep[]; during: Float64Array } {
  const steps: ComputeStep[] = [];
  const during: number[] = [];
  schedule.forEach((instruction, index) => {
    if (instruction.op !== "F" && instruction.op !== "B") return;
    steps.push({ backward: instruction.op === "B", node: g.indexOf.get(instruction.node) as number });
    during.push(duringBytes[index] as number);
  });
  steps.forEach((step, s) => {
    const expected = s < g.size ? !step.backward && step.node === s : step.backward;
    if (!expected) throw new InternalError(`offloadOrder: store-all's step ${s} is out of order`);
  });
  return { steps, during: Float64Array.from(during) };
}

/** What a compute step reads: a forward its inputs; a backward what its `needs` names. */
function stepReads(g: InstanceGraph, step: ComputeStep): number[] {
  const v = step.node;
  const inputs = g.inputs[v] as readonly number[];
  if (!step.backward) return [...new Set(inputs)];
  const list = g.needsInputs[v] === 1 ? [...inputs] : [];
  if (g.needsOutput[v] === 1) list.push(v);
  return [...new Set(list)];
}
