/**
 * A schedule's evaluation as a Chrome trace (the JSON Trace Event Format that Perfetto and
 * chrome://tracing open): one process, three lanes (threads) — compute (F, B, C, X and the stalls
 * before them, as their own events), the device-to-host channel (O) and the host-to-device channel
 * (P) — and a counter track `memory` of the bytes resident (fixedBytes included): during each
 * instruction at its start, after it at its end (a transfer's at the moment the compute stream issues
 * it, the end of the instruction before it). Frees (D) are instant events on the compute lane.
 * Times are the evaluator's (src/evaluate/evaluate.ts), converted from ms to the format's microseconds.
 */
import type { TraceStep, ValidEvaluation } from "../evaluate/result.js";

/** One trace event (the fields this writer uses). */
export interface TraceEvent {
  readonly name: string;
  readonly cat?: string;
  /** `X` complete event, `i` instant, `C` counter, `M` metadata. */
  readonly ph: "X" | "i" | "C" | "M";
  /** Microseconds. */
  readonly ts?: number;
  readonly dur?: number;
  readonly pid: number;
  readonly tid?: number;
  readonly s?: "t";
  readonly args?: Readonly<Record<string, unknown>>;
}

/** The trace document: `traceEvents` and the unit in which viewers show times. */
export interface ChromeTrace {
  readonly traceEvents: readonly TraceEvent[];
  readonly displayTimeUnit: "ms";
  readonly otherData: Readonly<Record<string, unknown>>;
}

/** The lanes, by thread id. */
export const LANES = { compute: 1, offload: 2, prefetch: 3 } as const;

const PID = 1;
const US_PER_MS = 1000;

/** What each instruction letter does, for the event's category. */
const KINDS: Readonly<Record<string, string>> = {
  F: "forward",
  B: "backward",
  D: "free",
  O: "offload",
  P: "prefetch",
  C: "convert",
  X: "expand",
};

/**
 * The Chrome trace of `evaluation` (evaluated with `{ trace: true }`) of a schedule on `instanceName`.
 * @throws Error when the evaluation carries no trace (a caller's bug)
 */
export function chromeTrace(evaluation: ValidEvaluation, instanceName: string): ChromeTrace {
  const steps = evaluation.trace;
  if (steps === undefined) throw new Error("chromeTrace: evaluate with { trace: true }");
  const events: TraceEvent[] = [...metadata(instanceName)];
  const memory: TraceEvent[] = [];
  let clock = 0;
  steps.forEach((step, index) => {
    events.push(...stepEvents(step, index));
    const transfer = step.instruction[0] === "O" || step.instruction[0] === "P";
    // A transfer changes memory when the compute stream issues it, not when its channel runs it.
    if (transfer) memory.push(counter(clock, step.duringBytes), counter(clock, step.afterBytes));
    else {
      memory.push(counter(step.startMs, step.duringBytes), counter(step.endMs, step.afterBytes));
      clock = step.endMs;
    }
  });
  memory.sort((a, b) => (a.ts as number) - (b.ts as number));
  return {
    traceEvents: [...events, ...memory],
    displayTimeUnit: "ms",
    otherData: {
      instance: instanceName,
      makespanMs: evaluation.makespanMs,
      peakBytes: evaluation.peakBytes,
      stallMs: evaluation.stallMs,
      producer: "remat export --format chrome-trace",
    },
  };
}

function metadata(instanceName: string): TraceEvent[] {
  const thread = (tid: number, name: string): TraceEvent => ({
    name: "thread_name",
    ph: "M",
    pid: PID,
    tid,
    args: { name },
  });
  return [
    { name: "process_name", ph: "M", pid: PID, args: { name: `remat: ${instanceName}` } },
    thread(LANES.compute, "compute"),
    thread(LANES.offload, "offload (device to host)"),
    thread(LANES.prefetch, "prefetch (host to device)"),
  ];
}

/** The events of one instruction: a stall before it (if any) and the instruction itself. */
function stepEvents(step: TraceStep, index: number): TraceEvent[] {
  const letter = step.instruction[0] ?? "?";
  const tid = letter === "O" ? LANES.offload : letter === "P" ? LANES.prefetch : LANES.compute;
  const args = {
    index,
    instruction: step.instruction,
    duringBytes: step.duringBytes,
    afterBytes: step.afterBytes,
  };
  const events: TraceEvent[] = [];
  if (step.stallMs > 0)
    events.push({
      name: `stall before ${step.instruction}`,
      cat: "stall",
      ph: "X",
      ts: us(step.startMs - step.stallMs),
      dur: us(step.stallMs),
      pid: PID,
      tid: LANES.compute,
      args: { index, stallMs: step.stallMs },
    });
  const cat = KINDS[letter] ?? "other";
  if (step.endMs <= step.startMs)
    events.push({ name: step.instruction, cat, ph: "i", s: "t", ts: us(step.startMs), pid: PID, tid, args });
  else
    events.push({
      name: step.instruction,
      cat,
      ph: "X",
      ts: us(step.startMs),
      dur: us(step.endMs - step.startMs),
      pid: PID,
      tid,
      args,
    });
  return events;
}

function counter(ms: number, bytes: number): TraceEvent {
  return { name: "memory", ph: "C", ts: us(ms), pid: PID, args: { bytes } };
}

/** Milliseconds as microseconds, to the nanosecond. */
function us(ms: number): number {
  return Math.round(ms * US_PER_MS * 1000) / 1000;
}
