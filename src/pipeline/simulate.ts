/**
 * The pipeline's discrete-event simulation (proofs/pipeline-model.md, "Time" and "Memory"): each device
 * runs its parts in its order (order.ts), a part starts when its device is free and its input has
 * arrived, and each sent activation or gradient crosses the link to the neighbour as one transfer,
 * each direction of each neighbour pair one transfer at a time in issue order. Each part lasts what
 * its micro-batch's own schedule's part takes. Memory per device: state + the kept bytes of every
 * micro-batch in flight other than the running one (each its own schedule's) + the running part's own
 * peak above the state. O(P^2 m + P m d) time for P stages, m micro-batches and at most d distinct
 * schedules per stage, O(P m) memory.
 */
import { InternalError } from "../errors.js";
import { deviceOrder, type Part } from "./order.js";
import type { PipelineLink, PipelineScheduleKind, StageProfile, TimelineSegment } from "./types.js";

/** What the simulation needs of each stage. */
export interface SimulatedStage {
  /** The profiles of the stage's distinct schedules (stage-schedules.ts). */
  readonly profiles: readonly StageProfile[];
  /** profileOf[j]: the index in `profiles` of micro-batch j's schedule (length m). */
  readonly profileOf: readonly number[];
  /** Bytes of the activation it sends forward (0 for the last stage). */
  readonly sendForwardBytes: number;
  /** Bytes of the gradient it sends back (0 for the first stage). */
  readonly sendBackwardBytes: number;
}

/** Per device: its timeline, its peak and most micro-batches in flight. */
export interface SimulatedDevice {
  readonly timeline: TimelineSegment[];
  readonly peakBytes: number;
  readonly maxInFlight: number;
  readonly busyMs: number;
}

/** Runs `m` micro-batches through `stages` with schedule kind `kind` over `link`. */
export function simulatePipeline(
  stages: readonly SimulatedStage[],
  kind: PipelineScheduleKind,
  m: number,
  link: PipelineLink,
): { readonly stepMs: number; readonly devices: SimulatedDevice[] } {
  const count = stages.length;
  const orders = stages.map((_, s) => deviceOrder(kind, s, count, m));
  const times = simulateTimes(stages, orders, m, link);
  const devices = stages.map((stage, s) =>
    deviceMemory(stage, orders[s] as Part[], times[s] as Float64Array),
  );
  const stepMs = Math.max(0, ...devices.map((d) => d.timeline[d.timeline.length - 1]?.endMs ?? 0));
  return { stepMs, devices };
}

/** Transfer time of `bytes` over `link`, ms: latency + bytes / bandwidth. */
export function transferMs(link: PipelineLink, bytes: number): number {
  return link.latencyMs + (link.bandwidth === Number.POSITIVE_INFINITY ? 0 : bytes / link.bandwidth);
}

/** Start and end times of every part: times[s][2i] and times[s][2i + 1] for part i of device s's order. */
function simulateTimes(
  stages: readonly SimulatedStage[],
  orders: readonly Part[][],
  m: number,
  link: PipelineLink,
): Float64Array[] {
  const run = new Run(stages, orders, m, link);
  let remaining = orders.reduce((sum, order) => sum + order.length, 0);
  while (remaining > 0) {
    let progressed = 0;
    for (let s = 0; s < stages.length; s++) progressed += run.advance(s);
    if (progressed === 0)
      throw new InternalError("pipeline simulation: no device can run its next part (a bug in order.ts)");
    remaining -= progressed;
  }
  return run.times;
}

/** The simulation's state: arrival times of activations and gradients, link and device availability. */
class Run {
  /** activationAt[s][j]: when micro-batch j's input activation has reached stage s (NaN: not yet). */
  private readonly activationAt: Float64Array[];
  /** gradientAt[s][j]: when the gradient of stage s's output for micro-batch j has reached it. */
  private readonly gradientAt: Float64Array[];
  /** When the link from stage s forward (to s + 1) and backward (to s - 1) is next free. */
  private readonly forwardLinkFree: Float64Array;
  private readonly backwardLinkFree: Float64Array;
  private readonly next: Int32Array;
  private readonly deviceFree: Float64Array;
  readonly times: Float64Array[];

  constructor(
    private readonly stages: readonly SimulatedStage[],
    private readonly orders: readonly Part[][],
    m: number,
    private readonly link: PipelineLink,
  ) {
    const unknown = () => new Float64Array(m).fill(Number.NaN);
    this.activationAt = stages.map(unknown);
    this.gradientAt = stages.map(unknown);
    this.forwardLinkFree = new Float64Array(stages.length);
    this.backwardLinkFree = new Float64Array(stages.length);
    this.next = new Int32Array(stages.length);
    this.deviceFree = new Float64Array(stages.length);
    this.times = orders.map((order) => new Float64Array(2 * order.length));
  }

  /** Runs every next part of device `s` whose input has arrived; returns how many ran. */
  advance(s: number): number {
    const order = this.orders[s] as Part[];
    let ran = 0;
    while ((this.next[s] as number) < order.length) {
      const i = this.next[s] as number;
      const part = order[i] as Part;
      const ready = this.readyAt(s, part);
      if (Number.isNaN(ready)) break;
      this.runPart(s, i, part, ready);
      this.next[s] = i + 1;
      ran++;
    }
    return ran;
  }

  /** When the input of `part` on stage `s` is there (NaN: not yet known). */
  private readyAt(s: number, part: Part): number {
    const j = part.microbatch;
    if (part.kind === "forward") return s === 0 ? 0 : ((this.activationAt[s] as Float64Array)[j] as number);
    return s === this.stages.length - 1 ? 0 : ((this.gradientAt[s] as Float64Array)[j] as number);
  }

  /** Runs part `i` of stage `s` from when both the device and its input are ready, then sends its output. */
  private runPart(s: number, i: number, part: Part, ready: number): void {
    const stage = this.stages[s] as SimulatedStage;
    const forward = part.kind === "forward";
    const start = Math.max(this.deviceFree[s] as number, ready);
    const profile = stage.profiles[stage.profileOf[part.microbatch] as number] as StageProfile;
    const end = start + (forward ? profile.forwardMs : profile.backwardMs);
    const times = this.times[s] as Float64Array;
    times[2 * i] = start;
    times[2 * i + 1] = end;
    this.deviceFree[s] = end;
    const j = part.microbatch;
    if (forward && s < this.stages.length - 1) {
      const at =
        Math.max(end, this.forwardLinkFree[s] as number) + transferMs(this.link, stage.sendForwardBytes);
      this.forwardLinkFree[s] = at;
      (this.activationAt[s + 1] as Float64Array)[j] = at;
    } else if (!forward && s > 0) {
      const at =
        Math.max(end, this.backwardLinkFree[s] as number) + transferMs(this.link, stage.sendBackwardBytes);
      this.backwardLinkFree[s] = at;
      (this.gradientAt[s - 1] as Float64Array)[j] = at;
    }
  }
}

/**
 * A device's timeline and memory from its order and part times. The bytes of the other micro-batches
 * in flight are summed per distinct schedule (count x kept), so that a stage whose micro-batches all
 * run one schedule gets exactly (in flight - 1) x kept.
 */
function deviceMemory(stage: SimulatedStage, order: readonly Part[], times: Float64Array): SimulatedDevice {
  const { profiles, profileOf } = stage;
  const state = (profiles[0] as StageProfile).stateBytes;
  const inFlightOf = new Int32Array(profiles.length);
  const timeline: TimelineSegment[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let peak = 0;
  let busy = 0;
  for (let i = 0; i < order.length; i++) {
    const part = order[i] as Part;
    const forward = part.kind === "forward";
    const own = profileOf[part.microbatch] as number;
    if (forward) {
      inFlight++;
      inFlightOf[own] = (inFlightOf[own] as number) + 1;
    }
    maxInFlight = Math.max(maxInFlight, inFlight);
    const profile = profiles[own] as StageProfile;
    const bytes =
      state +
      othersBytes(profiles, inFlightOf, own) +
      (forward ? profile.forwardPeakBytes : profile.backwardPeakBytes);
    peak = Math.max(peak, bytes);
    const startMs = times[2 * i] as number;
    const endMs = times[2 * i + 1] as number;
    busy += endMs - startMs;
    timeline.push({
      kind: part.kind,
      microbatch: part.microbatch,
      startMs,
      endMs,
      inFlight,
      peakBytes: bytes,
    });
    if (!forward) {
      inFlight--;
      inFlightOf[own] = (inFlightOf[own] as number) - 1;
    }
  }
  return { timeline, peakBytes: peak, maxInFlight, busyMs: busy };
}

/** Kept bytes of the micro-batches in flight other than one running schedule `own`. */
function othersBytes(profiles: readonly StageProfile[], inFlightOf: Int32Array, own: number): number {
  let bytes = 0;
  for (let k = 0; k < profiles.length; k++) {
    const count = (inFlightOf[k] as number) - (k === own ? 1 : 0);
    if (count > 0) bytes += count * (profiles[k] as StageProfile).keptBytes;
  }
  return bytes;
}
