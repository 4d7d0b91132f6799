/**
 * Pass 2 of the checkpoint builder, on its own because other builders reuse it (the block-chain
 * expansion of the graph solver): given the order of forwards and backwards, emit the schedule with
 * `D a:v` right after the last read of each allocation of `a:v` (exact liveness). Structure only.
 * Time and space O(n + steps + reads).
 */
import type { InstanceGraph } from "../instance/graph.js";
import type { Deadline } from "../time-limit.js";
import { ScheduleTooLarge } from "./schedule-too-large.js";
import { type Instruction, ops, type Schedule } from "./types.js";

const ascending = (a: number, b: number) => a - b;

/** Steps between two looks at the deadline (2^16). */
const DEADLINE_MASK = 0xffff;
const PHASE = "placing the frees of the checkpoint schedule";

/** Pass-1 step: a forward (with tape or not) or a backward of node `node`. */
export interface Step {
  readonly backward: boolean;
  readonly node: number;
  readonly tape: boolean;
}

/**
 * Pass 2: emits the steps with `D a:v` right after the last read of each allocation of `a:v` (exact
 * liveness; also used by the block-chain expansion of the graph solver). O(steps + reads).
 *
 * @param maxInstructions stop and throw `ScheduleTooLarge` past this many instructions (default: no limit)
 * @param deadline checked every 65,536 steps (long recompute-all schedules)
 * @throws ScheduleTooLarge when the schedule would exceed `maxInstructions`
 * @throws TimeLimitReached when `deadline` passes
 */
export function insertFrees(
  g: InstanceGraph,
  steps: readonly Step[],
  maxInstructions = Number.POSITIVE_INFINITY,
  deadline?: Deadline,
): Schedule {
  const frees = freeLists(g, steps, deadline);
  deadline?.check(PHASE);
  const length = steps.length + frees.count;
  if (length > maxInstructions) throw new ScheduleTooLarge(length, maxInstructions);
  return emit(g, steps, frees, length);
}

/**
 * The frees after each position, as linked lists in flat arrays. Each free ends one live interval of
 * some a:v, begun by a forward of v or (only before v's first forward, in a step list that reads a:v
 * too early) by a backward reading it: at most steps.length + g.size of them. O(steps + reads).
 */
function freeLists(g: InstanceGraph, steps: readonly Step[], deadline: Deadline | undefined): FreeLists {
  const capacity = steps.length + g.size;
  const frees: FreeLists = {
    head: new Int32Array(steps.length).fill(-1),
    node: new Int32Array(capacity),
    next: new Int32Array(capacity),
    count: 0,
  };
  const lastUse = new Int32Array(g.size).fill(-1); // position of the last read (or the allocation) of the live a:v
  for (let position = 0; position < steps.length; position++) {
    if (deadline !== undefined && (position & DEADLINE_MASK) === 0) deadline.check(PHASE);
    const { backward, node: v } = steps[position] as Step;
    if (backward) {
      noteBackwardReads(g, v, position, lastUse);
      continue;
    }
    for (const u of g.inputs[v] as number[]) lastUse[u] = position;
    closeInterval(frees, lastUse, v);
    lastUse[v] = position;
  }
  for (let v = 0; v < g.size; v++) closeInterval(frees, lastUse, v);
  return frees;
}

/** Moves the last use of each activation `B v` reads (what `needs` names) to `position`. */
function noteBackwardReads(g: InstanceGraph, v: number, position: number, lastUse: Int32Array): void {
  if (g.needsInputs[v] === 1) for (const u of g.inputs[v] as number[]) lastUse[u] = position;
  if (g.needsOutput[v] === 1) lastUse[v] = position;
}

/**
 * Ends the live interval of a:v, if one is open: its free goes after the interval's last read
 * (`lastUse[v]`), and the interval is closed.
 */
function closeInterval(frees: FreeLists, lastUse: Int32Array, v: number): void {
  const at = lastUse[v] as number;
  if (at >= 0) {
    frees.node[frees.count] = v;
    frees.next[frees.count] = frees.head[at] as number;
    frees.head[at] = frees.count;
    frees.count++;
  }
  lastUse[v] = -1;
}

/** Pass 2's free lists: `head[position]` starts a list through `next` of the nodes in `node`. */
interface FreeLists {
  readonly head: Int32Array;
  readonly node: Int32Array;
  readonly next: Int32Array;
  count: number;
}

/**
 * Emits each step as its instruction, then its frees in ascending node order, into a schedule of
 * `length` instructions (steps plus frees, known before emitting, so the array is allocated once). Equal
 * instructions are one shared (readonly) object: a node has at most four (`F v`, `F v tape`, `B v`,
 * `D a:v`), while recompute-all repeats them about n * n times; sharing them (with the typed-array free
 * lists) made building recompute-all of a 1,000-node chain 4 times faster, measured side by side with
 * the former builder (fewer objects for the garbage collector to move), and keeps the schedule at about
 * one array slot (8 bytes) per instruction.
 */
function emit(g: InstanceGraph, steps: readonly Step[], frees: FreeLists, length: number): Schedule {
  const schedule = new Array<Instruction>(length);
  let at = 0;
  const made = new Array<Instruction | undefined>(4 * g.size).fill(undefined); // index 4v + kind
  const shared = (v: number, kind: 0 | 1 | 2 | 3): Instruction => {
    const key = 4 * v + kind;
    const known = made[key];
    if (known !== undefined) return known;
    const id = g.ids[v] as string;
    const fresh =
      kind === 0
        ? ops.forward(id)
        : kind === 1
          ? ops.forward(id, true)
          : kind === 2
            ? ops.backward(id)
            : ops.freeActivation(id);
    made[key] = fresh;
    return fresh;
  };
  const batch: number[] = [];
  for (let position = 0; position < steps.length; position++) {
    const step = steps[position] as Step;
    schedule[at++] = shared(step.node, step.backward ? 2 : step.tape ? 1 : 0);
    batch.length = 0;
    for (let e = frees.head[position] as number; e !== -1; e = frees.next[e] as number)
      batch.push(frees.node[e] as number);
    if (batch.length > 1) batch.sort(ascending);
    for (const v of batch) schedule[at++] = shared(v, 3);
  }
  return Object.freeze(schedule);
}
