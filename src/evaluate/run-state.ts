/**
 * The evaluator's run state: everything `evaluate` tracks while it walks a schedule (which tensors are
 * resident, when each becomes usable, the two transfer channels, the clock and the memory counters),
 * with the checks and the step bookkeeping that every instruction handler shares.
 * Setup is O(n) for n nodes; every method is O(1).
 */
import type { InstanceGraph } from "../instance/graph.js";
import type { Instance, InstanceNode } from "../instance/types.js";
import { formatInstruction } from "../schedule/text.js";
import type { Instruction } from "../schedule/types.js";
import { type EvaluateOptions, type StepProfile, type TraceStep, traceStep } from "./result.js";

/** Thrown inside the run to stop at the first bad instruction; `evaluate` turns it into an error result. */
export class Violation {
  /**
   * @param reason what is wrong, in words
   * @param tensor the missing or offending tensor (`a:v`, `g:v`, `tape:v`), when one is to blame
   */
  constructor(
    readonly reason: string,
    readonly tensor?: string,
  ) {}
}

/** `RunState.gradState`: `g:v` was never allocated (no contribution yet). */
export const GRAD_NEVER = 0;
/** `g:v` is resident (it received its first contribution and is not freed yet). */
export const GRAD_RESIDENT = 1;
/** `g:v` was freed (by `B v` or `D g:v`). */
export const GRAD_FREED = 2;

/** The state of one run of the evaluator over one schedule; handlers read and update it in place. */
export class RunState {
  /** Link bandwidth (each way), bytes/ms; undefined when the instance has no hardware block. */
  readonly bandwidth: number | undefined;
  /** Latency of one transfer, ms. */
  readonly latency: number;
  /** 1 while `a:v` is on the device (possibly still arriving). */
  readonly resident: Uint8Array;
  /** When `a:v` becomes usable (the end of its forward or prefetch), ms. */
  readonly readyAt: Float64Array;
  /** When the offload of `a:v` ends, so that its host copy exists, ms (0 while there is none). */
  readonly offloadEndAt: Float64Array;
  /** Index of the `O v` that made the host copy of `a:v` (at most one: host copies persist); -1 while none. */
  readonly offloadIndex: Int32Array;
  /** `GRAD_NEVER`, `GRAD_RESIDENT` or `GRAD_FREED` for each `g:v`. */
  readonly gradState: Uint8Array;
  /** 1 while the tape of `v` is resident. */
  readonly tape: Uint8Array;
  /** 1 once `B v` ran. */
  readonly backwardDone: Uint8Array;
  /** How many times `F v` ran. */
  readonly forwardCount: Uint32Array;
  /** Consumers of `v` whose backward has not run yet (`g:v` is complete at 0). */
  readonly pendingConsumers: Int32Array;
  /** Bytes after each instruction (the result's timeline). */
  readonly timeline: number[];
  readonly trace: TraceStep[] | undefined;
  readonly profile: StepProfile | undefined;
  /** Resident bytes now, `fixedBytes` included. */
  memory: number;
  /** Largest "memory during" so far, bytes. */
  peak: number;
  /** The compute stream's clock: when the last compute-stream instruction ended, ms. */
  clock = 0;
  computeMs = 0;
  stallMs = 0;
  /** When the device-to-host channel (`O`) is next free, ms. */
  deviceToHostFree = 0;
  /** When the host-to-device channel (`P`) is next free, ms. */
  hostToDeviceFree = 0;
  recomputations = 0;
  transfers = 0;
  /** `C` instructions run. */
  conversions = 0;
  /** `X` instructions run. */
  expansions = 0;
  /** Indices of the `X` instructions that expanded a lossy stored form (fp16, bf16). */
  readonly lossyExpansions: number[] = [];
  /** The nodes, for their storage fields (read by `C`, `X` and `D s:v` only). */
  readonly nodes: readonly InstanceNode[];
  /** See {@link storedModes}: allocated by the first `C`, so runs without stored forms pay nothing. */
  private storedModeCodes: Uint8Array | undefined;

  /**
   * @param g the instance's indexed view
   * @param length the schedule's length (sizes the timeline and the profile)
   */
  constructor(
    readonly g: InstanceGraph,
    instance: Instance,
    length: number,
    options: EvaluateOptions,
  ) {
    const n = g.size;
    this.bandwidth = instance.hardware?.bandwidth;
    this.latency = instance.hardware?.latency ?? 0;
    this.resident = new Uint8Array(n);
    this.readyAt = new Float64Array(n);
    this.offloadEndAt = new Float64Array(n);
    this.offloadIndex = new Int32Array(n).fill(-1);
    this.gradState = new Uint8Array(n);
    this.tape = new Uint8Array(n);
    this.backwardDone = new Uint8Array(n);
    this.forwardCount = new Uint32Array(n);
    // A plain loop: `Int32Array.from(g.consumers, mapFn)` goes through the iterator protocol and took a
    // quarter of the run on a 33,334-node chain's store-all schedule (V8 CPU profile).
    this.pendingConsumers = new Int32Array(n);
    for (let v = 0; v < n; v++) this.pendingConsumers[v] = (g.consumers[v] as readonly number[]).length;
    this.timeline = new Array<number>(length);
    this.trace = options.trace ? [] : undefined;
    this.profile = options.profile
      ? { duringBytes: new Float64Array(length), computeMs: new Float64Array(length) }
      : undefined;
    this.memory = instance.fixedBytes;
    this.peak = this.memory;
    this.nodes = instance.nodes;
  }

  /**
   * Per node, the code of the mode of `s:v` while it is resident (`STORAGE_MODES` index + 1), 0 while it
   * is not. Allocated on first use.
   */
  storedModes(): Uint8Array {
    if (this.storedModeCodes === undefined) this.storedModeCodes = new Uint8Array(this.g.size);
    return this.storedModeCodes;
  }

  /** The code of the mode of `s:v` (0 when `s:v` is not resident), without allocating. */
  storedModeOf(v: number): number {
    return this.storedModeCodes === undefined ? 0 : (this.storedModeCodes[v] as number);
  }

  /** The index of node `id`; a Violation when there is none. */
  nodeIndex(id: string): number {
    const index = this.g.indexOf.get(id);
    if (index === undefined) throw new Violation(`unknown node "${id}"`);
    return index;
  }

  /** Requires `a:u` resident; returns the later of `waitUntil` and the time it becomes usable, ms. */
  requireActivation(u: number, waitUntil: number): number {
    if (this.resident[u] === 0) {
      const id = this.g.ids[u];
      throw new Violation(`a:${id} is not resident`, `a:${id}`);
    }
    return Math.max(waitUntil, this.readyAt[u] as number);
  }

  /** Duration of a transfer of `bytes`, ms; a Violation when the instance models no transfers. */
  transferMs(bytes: number): number {
    if (this.bandwidth === undefined)
      throw new Violation("the instance has no hardware block, so transfers are not modelled");
    return this.latency + bytes / this.bandwidth;
  }

  /**
   * Records instruction `index`, which ran on the compute stream from `start` to `end` (ms) with
   * `during` bytes while it ran: the stall before it, the clock, the peak, the timeline, trace, profile.
   */
  finishComputeStep(
    index: number,
    instruction: Instruction,
    start: number,
    end: number,
    during: number,
  ): void {
    const stall = start - this.clock;
    this.stallMs += stall;
    this.clock = end;
    if (during > this.peak) this.peak = during;
    this.timeline[index] = this.memory;
    this.trace?.push(traceStep(formatInstruction(instruction), start, end, stall, during, this.memory));
    if (this.profile !== undefined) {
      this.profile.duringBytes[index] = during;
      this.profile.computeMs[index] = end - start;
    }
  }

  /**
   * Records transfer `index`, which runs on its channel from `start` to `end` (ms) and does not hold the
   * compute stream: the peak, the timeline, trace and profile (compute time 0).
   */
  finishTransferStep(index: number, instruction: Instruction, start: number, end: number): void {
    if (this.memory > this.peak) this.peak = this.memory;
    this.timeline[index] = this.memory;
    this.trace?.push(traceStep(formatInstruction(instruction), start, end, 0, this.memory, this.memory));
    if (this.profile !== undefined) this.profile.duringBytes[index] = this.memory;
  }
}
