/**
 * The standard schedule of a checkpoint set on an arbitrary DAG (the "checkpoints" builder): keep the
 * chosen activations through the forward pass, free the others once their forward consumers have run,
 * and in the backward pass recompute what each backward reads from the nearest kept ancestors, once.
 * Every solver that picks a set of kept activations (Chen et al. 2016, Feng & Huang 2021, the min-cut
 * search) turns it into a schedule here, so the evaluator judges them all alike.
 *
 * Built in two passes: (1) the order of forwards and backwards, tracking which values are logically
 * available; (2) liveness: `D a:v` right after the last read of each allocation of `a:v`.
 * Structure only: no cost is read here (the evaluator owns the cost model). Every walk is a loop with an
 * explicit stack (no recursion over the instance). Time and space O(n + m + |schedule|): the schedule is
 * O(n) long for the `segments` policy and up to O(n * n) for `per-backward` (quadratic on a chain),
 * which `maxInstructions` bounds.
 */
import { InternalError } from "../errors.js";
import { graphOf, type InstanceGraph } from "../instance/graph.js";
import type { Instance } from "../instance/types.js";
import type { Deadline } from "../time-limit.js";
import { insertFrees, type Step } from "./insert-frees.js";
import { ScheduleTooLarge } from "./schedule-too-large.js";
import type { Schedule } from "./types.js";

export { insertFrees, type Step } from "./insert-frees.js";
export { RECOMPUTE_ALL_MAX_INSTRUCTIONS, ScheduleTooLarge } from "./schedule-too-large.js";

/**
 * `segments`: values recomputed in the backward stay until their last use, so each is recomputed at most
 * once (Chen's segments). `per-backward`: before each backward, recompute what it reads from the kept
 * values and drop it afterwards (rotor's recompute_all when only the input is kept).
 */
export type RecomputePolicy = "segments" | "per-backward";

/** How `checkpointSchedule` orders the recomputations, and how long a schedule it may build. */
export interface CheckpointScheduleOptions {
  readonly policy: RecomputePolicy;
  /** Run kept nodes with tape in the forward pass (store-all); otherwise they keep their output only. */
  readonly tapeKept: boolean;
  /** Run the whole forward pass first; `false` computes only on demand from the backward pass. */
  readonly forwardPhase: boolean;
  /**
   * Refuse to build a schedule of more than this many instructions: the build stops as soon as it
   * passes the limit and throws `ScheduleTooLarge`. Default: no limit. See
   * `RECOMPUTE_ALL_MAX_INSTRUCTIONS` for the cap meant for recompute-all.
   */
  readonly maxInstructions?: number;
  /** Checked before each backward step of pass 1: a build past it throws `TimeLimitReached`. */
  readonly deadline?: Deadline;
}

/**
 * Builds the schedule that keeps `keep` (plus every node that is not recomputable).
 *
 * @param keep indices of the nodes whose activations are kept
 * @throws ScheduleTooLarge when the schedule would exceed `options.maxInstructions`
 * @throws TimeLimitReached when `options.deadline` passes during the build
 * @throws InternalError when a non-recomputable node would have to be recomputed (a bug)
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
  const limit = options.maxInstructions ?? Number.POSITIVE_INFINITY;
  const steps = orderSteps(g, kept, options, limit);
  return insertFrees(g, steps, limit, options.deadline);
}

/** Marks the non-kept nodes connected (through non-kept nodes) to the loss: they are never dropped. */
function tailOf(g: InstanceGraph, kept: Uint8Array): Uint8Array {
  const tail = new Uint8Array(g.size);
  if (kept[g.loss] === 1) return tail;
  const stack = [g.loss];
  tail[g.loss] = 1;
  const visit = (w: number) => {
    if (kept[w] === 0 && tail[w] === 0) {
      tail[w] = 1;
      stack.push(w);
    }
  };
  while (stack.length > 0) {
    const v = stack.pop() as number;
    for (const w of g.inputs[v] as number[]) visit(w);
    for (const w of g.consumers[v] as number[]) visit(w);
  }
  return tail;
}

/** Pass 1's state: the steps so far and what is logically on the device. */
interface Order {
  readonly steps: Step[];
  /** 1 where `a:v` is logically available (computed and not yet dropped). */
  readonly available: Uint8Array;
  /** 1 where the tape of `v` is available. */
  readonly tapeAvailable: Uint8Array;
  /** 1 once some forward of `v` was emitted (so a non-recomputable `v` may not run again). */
  readonly computed: Uint8Array;
  /** `maxInstructions` (pass 1's steps are a subset of the schedule's instructions). */
  readonly limit: number;
  /**
   * The at most three distinct steps of each node, made once: index `3v` `F v`, `3v + 1` `F v tape`,
   * `3v + 2` `B v`. A recompute-all schedule repeats the same few steps about n * n times, so sharing
   * them keeps pass 1 at one array slot per step.
   */
  readonly distinct: (Step | undefined)[];
}

/** Appends step (`v`, `backward`, `tape`), sharing one object per distinct step; checks the limit. */
function pushStep(order: Order, v: number, backward: boolean, tape: boolean): void {
  if (order.steps.length >= order.limit) throw new ScheduleTooLarge(order.steps.length + 1, order.limit);
  const key = 3 * v + (backward ? 2 : tape ? 1 : 0);
  let step = order.distinct[key];
  if (step === undefined) {
    step = { backward, node: v, tape };
    order.distinct[key] = step;
  }
  order.steps.push(step);
}

/** Appends a forward of `v` (with tape or not) and makes `a:v` (and its tape) available. */
function pushForward(order: Order, v: number, tape: boolean): void {
  pushStep(order, v, false, tape);
  order.available[v] = 1;
  order.computed[v] = 1;
  if (tape) order.tapeAvailable[v] = 1;
}

/** Pass 1: the order of forwards and backwards (see the module comment). O(n + m + steps). */
function orderSteps(
  g: InstanceGraph,
  kept: Uint8Array,
  options: CheckpointScheduleOptions,
  limit: number,
): Step[] {
  const order: Order = {
    steps: [],
    available: new Uint8Array(g.size),
    tapeAvailable: new Uint8Array(g.size),
    computed: new Uint8Array(g.size),
    limit,
    distinct: new Array<Step | undefined>(3 * g.size).fill(undefined),
  };
  if (options.forwardPhase) forwardPass(g, kept, options, order);
  backwardPass(g, kept, options, order);
  return order.steps;
}

/** Whether `v` has a tape to keep (sources have no backward, hence no tape). */
function hasTape(g: InstanceGraph, v: number): boolean {
  return (g.tapeBytes[v] as number) > 0 && g.isSource[v] === 0;
}

/**
 * The forward phase: `F v` for every node in order; a node neither kept nor in the tail becomes
 * unavailable once all its forward consumers have run.
 */
function forwardPass(
  g: InstanceGraph,
  kept: Uint8Array,
  options: CheckpointScheduleOptions,
  order: Order,
): void {
  const tail = tailOf(g, kept);
  const forwardReadersLeft = new Int32Array(g.size);
  for (let v = 0; v < g.size; v++) forwardReadersLeft[v] = (g.consumers[v] as number[]).length;
  for (let v = 0; v < g.size; v++) {
    const tape =
      hasTape(g, v) && (tail[v] === 1 || (kept[v] === 1 && (options.tapeKept || g.recomputable[v] === 0)));
    pushForward(order, v, tape);
    for (const u of g.inputs[v] as number[]) {
      forwardReadersLeft[u] = (forwardReadersLeft[u] as number) - 1;
      if (forwardReadersLeft[u] === 0 && kept[u] === 0 && tail[u] === 0) order.available[u] = 0;
    }
  }
}

/**
 * The backward phase: for each non-source `v` in reverse order, (re)compute the closure of what `B v`
 * reads through unavailable inputs, in topological order, then `B v`; with `per-backward`, what was
 * recomputed (and not kept) becomes unavailable again after it.
 */
function backwardPass(
  g: InstanceGraph,
  kept: Uint8Array,
  options: CheckpointScheduleOptions,
  order: Order,
): void {
  const { available, tapeAvailable } = order;
  const backwardPending = new Uint8Array(g.size);
  for (let v = 0; v < g.size; v++) backwardPending[v] = 1 - (g.isSource[v] as number);
  const closure: Closure = {
    marked: new Uint8Array(g.size),
    toCompute: new Int32Array(g.size),
    count: 0,
    stack: [],
  };
  for (let v = g.size - 1; v >= 0; v--) {
    if (g.isSource[v] === 1) continue;
    options.deadline?.check("building the checkpoint schedule");
    closure.count = 0;
    markReads(g, options, order, closure, v);
    const toCompute = recompute(g, options, order, closure, v, backwardPending);
    pushStep(order, v, true, false);
    tapeAvailable[v] = 0;
    backwardPending[v] = 0;
    if (options.policy === "per-backward") for (const w of toCompute) if (kept[w] === 0) available[w] = 0;
  }
}

/**
 * Marks into `closure` what `B v` needs recomputed: `v` itself when its tape is gone (a kept output
 * without its tape is recomputed with it, freed just before) or when it reads its unavailable output
 * (or is the loss and there was no forward phase), and each unavailable input it reads, each with its
 * closure.
 */
function markReads(
  g: InstanceGraph,
  options: CheckpointScheduleOptions,
  order: Order,
  closure: Closure,
  v: number,
): void {
  const { available } = order;
  if (hasTape(g, v) && order.tapeAvailable[v] === 0) {
    available[v] = 0;
    mark(g, order, closure, v);
  }
  if ((g.needsOutput[v] === 1 || (v === g.loss && !options.forwardPhase)) && available[v] === 0)
    mark(g, order, closure, v);
  if (g.needsInputs[v] === 1)
    for (const u of g.inputs[v] as number[]) if (available[u] === 0) mark(g, order, closure, u);
}

/**
 * Appends the forwards of the marked closure in topological (index) order, with tape where `B v` or a
 * pending backward will want it (`segments`: every pending one; `per-backward`: `v` itself and the
 * non-recomputable nodes), and clears the marks.
 * @returns the nodes recomputed, ascending (a view of the closure's scratch, valid until the next mark)
 */
function recompute(
  g: InstanceGraph,
  options: CheckpointScheduleOptions,
  order: Order,
  closure: Closure,
  v: number,
  backwardPending: Uint8Array,
): Int32Array {
  // A typed array sorts numerically in native code: no comparator call per comparison, which made
  // sorting 20,000-node closures the bulk of recompute-all's build on a 20,000-node chain.
  const toCompute = closure.toCompute.subarray(0, closure.count).sort();
  for (const w of toCompute) {
    const tape =
      hasTape(g, w) &&
      backwardPending[w] === 1 &&
      (options.policy === "segments" || w === v || g.recomputable[w] === 0);
    pushForward(order, w, tape);
    closure.marked[w] = 0;
  }
  return toCompute;
}

/** The recomputation set of one backward, and the scratch stack of its walk. */
interface Closure {
  /** 1 where the node is already in `toCompute`. */
  readonly marked: Uint8Array;
  /** The set, in `toCompute[0 .. count)` (each node at most once, so n slots suffice). */
  readonly toCompute: Int32Array;
  count: number;
  readonly stack: number[];
}

/**
 * Adds `root` and, through unavailable inputs, its closure to `toCompute`, in the preorder a recursive
 * walk over `g.inputs` would give (an explicit stack, inputs pushed in reverse). O(nodes added + their
 * in-degrees).
 */
function mark(g: InstanceGraph, order: Order, closure: Closure, root: number): void {
  const { marked, toCompute, stack } = closure;
  stack.push(root);
  while (stack.length > 0) {
    const w = stack.pop() as number;
    if (marked[w] === 1) continue;
    if (g.recomputable[w] === 0 && order.computed[w] === 1)
      throw new InternalError(`checkpointSchedule: ${g.ids[w]} must be recomputed but is not recomputable`);
    marked[w] = 1;
    toCompute[closure.count++] = w;
    const inputs = g.inputs[w] as number[];
    for (let k = inputs.length - 1; k >= 0; k--) {
      const u = inputs[k] as number;
      if (order.available[u] === 0) stack.push(u);
    }
  }
}
