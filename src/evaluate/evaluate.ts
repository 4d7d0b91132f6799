/**
 * The evaluator: the one cost model (DESIGN.md, "The evaluator"). It runs a schedule symbolically and
 * returns validity (else the first bad instruction and why), the makespan (compute plus stalls waiting
 * for transfers), the peak memory, the memory timeline and, on request, a per-instruction trace.
 * Every solver's claimed cost must equal what this function says of the schedule it emits.
 *
 * Time: one compute stream plus two transfer channels (device-to-host for `O`, host-to-device for `P`),
 * each running one transfer at a time in issue order, overlapping compute; a transfer of `b` bytes takes
 * `latency + b / bandwidth`. Memory: `fixedBytes` + resident tensors (activations, gradients, tapes),
 * plus the running op's temporaries while it runs, before anything it frees is released.
 *
 * Complexity: O(|schedule| + sum of in-degrees of the instructions' nodes).
 */

import { graphOf } from "../instance/graph.js";
import type { Instance } from "../instance/types.js";
import { formatInstruction } from "../schedule/text.js";
import type { Schedule } from "../schedule/types.js";

/** Why a schedule is invalid: the first instruction that cannot run (index = length when it is incomplete). */
export interface ScheduleError {
  readonly index: number;
  /** The instruction's text form, or `end` for an incomplete schedule. */
  readonly instruction: string;
  readonly reason: string;
  /** The missing or offending tensor (`a:conv1`, `g:relu1`, `tape:block3`), when one is to blame. */
  readonly tensor?: string;
}

/** One step of the trace: when the instruction started and ended on its stream, and memory around it. */
export interface TraceStep {
  readonly instruction: string;
  /** Time the instruction started on the compute stream (for `O`/`P`: on its channel), ms. */
  readonly startMs: number;
  readonly endMs: number;
  /** Compute-stream time lost waiting for a transfer before this instruction, ms. */
  readonly stallMs: number;
  /** Bytes during the instruction (with temporaries and new allocations, before frees). */
  readonly duringBytes: number;
  /** Bytes after the instruction. */
  readonly afterBytes: number;
}

export interface ValidEvaluation {
  readonly valid: true;
  /** Compute time plus stalls plus any transfer still running after the last instruction, ms. */
  readonly makespanMs: number;
  readonly computeMs: number;
  readonly stallMs: number;
  /** Max over the run of fixedBytes + resident tensors + the running op's temporaries. */
  readonly peakBytes: number;
  /** Bytes (fixedBytes included) after each instruction. */
  readonly timeline: readonly number[];
  /** Forward executions beyond the first, over all nodes. */
  readonly recomputations: number;
  readonly transfers: number;
  readonly trace?: readonly TraceStep[];
  readonly profile?: StepProfile;
}

/** The trace's numbers without its objects, one entry per instruction (for solvers that read many). */
export interface StepProfile {
  /** Bytes during each instruction (as `TraceStep.duringBytes`). */
  readonly duringBytes: Float64Array;
  /** Compute-stream time of each instruction, ms (0 for frees and transfers). */
  readonly computeMs: Float64Array;
}

export interface InvalidEvaluation {
  readonly valid: false;
  readonly error: ScheduleError;
}

export type Evaluation = ValidEvaluation | InvalidEvaluation;

export interface EvaluateOptions {
  /** Also return a per-instruction trace (costs one object per instruction). */
  readonly trace?: boolean;
  /** Also return the per-instruction `profile` (two typed arrays). */
  readonly profile?: boolean;
}

/** Raised inside the run to stop at the first bad instruction. */
class Violation {
  constructor(
    readonly reason: string,
    readonly tensor?: string,
  ) {}
}

/**
 * Evaluates `schedule` on `instance` under the one cost model.
 *
 * @returns `{ valid: true, makespanMs, peakBytes, timeline, ... }`, or `{ valid: false, error }` naming
 *   the first instruction that cannot run; never throws for a bad schedule.
 * @see ../../proofs/cost-model.md for the rules, instruction by instruction
 */
export function evaluate(instance: Instance, schedule: Schedule, options: EvaluateOptions = {}): Evaluation {
  const g = graphOf(instance);
  const n = g.size;
  const bandwidth = instance.hardware?.bandwidth;
  const latency = instance.hardware?.latency ?? 0;

  const resident = new Uint8Array(n); // a:v on the device (possibly still arriving)
  const readyAt = new Float64Array(n); // when a:v becomes usable (prefetch end)
  const offloadEndAt = new Float64Array(n); // when the last offload of a:v ends
  const hostReadyAt = new Float64Array(n).fill(Number.NaN); // when a host copy of a:v exists
  const gradState = new Uint8Array(n); // 0 never allocated, 1 resident, 2 freed
  const tape = new Uint8Array(n);
  const backwardDone = new Uint8Array(n);
  const forwardCount = new Uint32Array(n);
  const pendingConsumers = Int32Array.from(g.consumers, (list) => list.length);

  const timeline = new Array<number>(schedule.length);
  const trace: TraceStep[] | undefined = options.trace ? [] : undefined;
  const profile: StepProfile | undefined = options.profile
    ? { duringBytes: new Float64Array(schedule.length), computeMs: new Float64Array(schedule.length) }
    : undefined;
  let memory = instance.fixedBytes;
  let peak = memory;
  let clock = 0;
  let computeMs = 0;
  let stallMs = 0;
  let deviceToHostFree = 0;
  let hostToDeviceFree = 0;
  let recomputations = 0;
  let transfers = 0;

  const nodeIndex = (id: string): number => {
    const index = g.indexOf.get(id);
    if (index === undefined) throw new Violation(`unknown node "${id}"`);
    return index;
  };
  const requireActivation = (u: number, waitUntil: number): number => {
    if (resident[u] === 0) throw new Violation(`a:${g.ids[u]} is not resident`, `a:${g.ids[u]}`);
    return Math.max(waitUntil, readyAt[u] as number);
  };
  const transferMs = (bytes: number): number => {
    if (bandwidth === undefined)
      throw new Violation("the instance has no hardware block, so transfers are not modelled");
    return latency + bytes / bandwidth;
  };

  for (let index = 0; index < schedule.length; index++) {
    const instruction = schedule[index] as Schedule[number];
    let start = clock;
    let end = clock;
    let during = memory;
    try {
      switch (instruction.op) {
        case "F": {
          const v = nodeIndex(instruction.node);
          const withTape = instruction.tape && (g.tapeBytes[v] as number) > 0;
          if (resident[v] === 1) throw new Violation(`a:${g.ids[v]} is already resident`, `a:${g.ids[v]}`);
          if (withTape && tape[v] === 1)
            throw new Violation(`the tape of ${g.ids[v]} is already resident`, `tape:${g.ids[v]}`);
          if (g.recomputable[v] === 0 && (forwardCount[v] as number) > 0) {
            throw new Violation(`${g.ids[v]} is not recomputable and was already computed`, `a:${g.ids[v]}`);
          }
          let ready = clock;
          for (const u of g.inputs[v] as readonly number[]) ready = requireActivation(u, ready);
          start = ready;
          const allocated = (g.bytes[v] as number) + (withTape ? (g.tapeBytes[v] as number) : 0);
          during = memory + allocated + (g.fwdTemp[v] as number);
          memory += allocated;
          end = start + (g.fwd[v] as number);
          computeMs += g.fwd[v] as number;
          if ((forwardCount[v] as number) > 0) recomputations++;
          forwardCount[v] = (forwardCount[v] as number) + 1;
          resident[v] = 1;
          readyAt[v] = end;
          if (withTape) tape[v] = 1;
          break;
        }
        case "B": {
          const v = nodeIndex(instruction.node);
          const id = g.ids[v];
          if (g.isSource[v] === 1) throw new Violation(`${id} is a source: sources have no backward`);
          if (backwardDone[v] === 1) throw new Violation(`B ${id} already ran`);
          if (v === g.loss && forwardCount[v] === 0)
            throw new Violation(`the loss ${id} has not been computed (run F ${id} first)`, `a:${id}`);
          if ((pendingConsumers[v] as number) > 0) {
            const waiting = (g.consumers[v] as readonly number[]).find(
              (c) => backwardDone[c] === 0,
            ) as number;
            throw new Violation(`g:${id} is not complete: B ${g.ids[waiting]} has not run`, `g:${id}`);
          }
          if (v !== g.loss && gradState[v] !== 1) throw new Violation(`g:${id} is not resident`, `g:${id}`);
          let ready = clock;
          if (g.needsInputs[v] === 1)
            for (const u of g.inputs[v] as readonly number[]) ready = requireActivation(u, ready);
          if (g.needsOutput[v] === 1) ready = requireActivation(v, ready);
          const tapeBytes = g.tapeBytes[v] as number;
          if (tapeBytes > 0 && tape[v] === 0)
            throw new Violation(`the tape of ${id} is not resident (run F ${id} tape)`, `tape:${id}`);
          let newGradients = 0;
          for (const u of g.inputs[v] as readonly number[]) {
            if (g.isSource[u] === 1) continue;
            if (gradState[u] === 2)
              throw new Violation(`g:${g.ids[u]} was freed before all its contributions`, `g:${g.ids[u]}`);
            if (gradState[u] === 0) newGradients += g.gradBytes[u] as number;
          }
          start = ready;
          during = memory + newGradients + (g.bwdTemp[v] as number);
          for (const u of g.inputs[v] as readonly number[]) {
            pendingConsumers[u] = (pendingConsumers[u] as number) - 1;
            if (g.isSource[u] === 0) gradState[u] = 1;
          }
          memory +=
            newGradients -
            (gradState[v] === 1 ? (g.gradBytes[v] as number) : 0) -
            (tape[v] === 1 ? tapeBytes : 0);
          if (gradState[v] === 1) gradState[v] = 2;
          tape[v] = 0;
          backwardDone[v] = 1;
          end = start + (g.bwd[v] as number);
          computeMs += g.bwd[v] as number;
          break;
        }
        case "D": {
          const v = nodeIndex(instruction.tensor.node);
          if (instruction.tensor.kind === "a") {
            requireActivation(v, clock);
            start = Math.max(clock, readyAt[v] as number, offloadEndAt[v] as number);
            memory -= g.bytes[v] as number;
            resident[v] = 0;
          } else {
            if (gradState[v] !== 1) throw new Violation(`g:${g.ids[v]} is not resident`, `g:${g.ids[v]}`);
            memory -= g.gradBytes[v] as number;
            gradState[v] = 2;
          }
          end = start;
          break;
        }
        case "O": {
          const v = nodeIndex(instruction.node);
          if (g.offloadable[v] === 0) throw new Violation(`${g.ids[v]} is not offloadable`, `a:${g.ids[v]}`);
          const ready = requireActivation(v, clock);
          const channelStart = Math.max(clock, deviceToHostFree, ready);
          const channelEnd = channelStart + transferMs(g.bytes[v] as number);
          deviceToHostFree = channelEnd;
          offloadEndAt[v] = channelEnd;
          hostReadyAt[v] = channelEnd;
          transfers++;
          trace?.push(step(formatInstruction(instruction), channelStart, channelEnd, 0, memory, memory));
          if (profile !== undefined) profile.duringBytes[index] = memory;
          timeline[index] = memory;
          continue;
        }
        case "P": {
          const v = nodeIndex(instruction.node);
          if (Number.isNaN(hostReadyAt[v] as number))
            throw new Violation(`no host copy of a:${g.ids[v]} (run O ${g.ids[v]} first)`, `a:${g.ids[v]}`);
          if (resident[v] === 1) throw new Violation(`a:${g.ids[v]} is already resident`, `a:${g.ids[v]}`);
          const channelStart = Math.max(clock, hostToDeviceFree, hostReadyAt[v] as number);
          const channelEnd = channelStart + transferMs(g.bytes[v] as number);
          hostToDeviceFree = channelEnd;
          readyAt[v] = channelEnd;
          resident[v] = 1;
          memory += g.bytes[v] as number;
          transfers++;
          peak = Math.max(peak, memory);
          trace?.push(step(formatInstruction(instruction), channelStart, channelEnd, 0, memory, memory));
          if (profile !== undefined) profile.duringBytes[index] = memory;
          timeline[index] = memory;
          continue;
        }
      }
    } catch (caught) {
      if (!(caught instanceof Violation)) throw caught;
      return invalid(index, formatInstruction(instruction), caught);
    }
    const stall = start - clock;
    stallMs += stall;
    clock = end;
    if (during > peak) peak = during;
    timeline[index] = memory;
    trace?.push(step(formatInstruction(instruction), start, end, stall, during, memory));
    if (profile !== undefined) {
      profile.duringBytes[index] = during;
      profile.computeMs[index] = end - start;
    }
  }

  for (let v = 0; v < n; v++) {
    if (g.isSource[v] === 0 && backwardDone[v] === 0) {
      return invalid(schedule.length, "end", new Violation(`incomplete schedule: B ${g.ids[v]} never ran`));
    }
  }
  const tail = Math.max(0, deviceToHostFree - clock, hostToDeviceFree - clock);
  return {
    valid: true,
    makespanMs: clock + tail,
    computeMs,
    stallMs: stallMs + tail,
    peakBytes: peak,
    timeline,
    recomputations,
    transfers,
    ...(trace === undefined ? {} : { trace }),
    ...(profile === undefined ? {} : { profile }),
  };
}

function step(
  instruction: string,
  startMs: number,
  endMs: number,
  stallMs: number,
  duringBytes: number,
  afterBytes: number,
): TraceStep {
  return { instruction, startMs, endMs, stallMs, duringBytes, afterBytes };
}

function invalid(index: number, instruction: string, violation: Violation): InvalidEvaluation {
  const error: ScheduleError = {
    index,
    instruction,
    reason: violation.reason,
    ...(violation.tensor === undefined ? {} : { tensor: violation.tensor }),
  };
  return { valid: false, error };
}
