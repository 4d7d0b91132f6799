/**
 * The profiler's time measurement: the store-all schedule (each op's forward once, then each backward
 * once, each activation freed after its last use) run `warmup` times, then `repeats` timed times, by the
 * simulator's own interpreter, so that every instruction is timed in the context and with the
 * bookkeeping with which the simulator later runs it. Each instruction's time is its estimate over the
 * timed runs (src/simulate/estimator.ts: the fastest run by default), as the simulator's is.
 *
 * What the simulator measures of a step is the sum of its instructions' wall times, kernels and all
 * that surrounds them: dispatch, making and storing tensor handles, adding gradient contributions, and
 * the `D` instructions that free. The evaluator charges an `F v` `fwd(v)`, a `B v` `bwd(v)` and a `D`
 * nothing, so for predicted and measured steps to compare like with like the instance's times are:
 * - `fwd(v)` = the wall time of `F v` (kernel plus its overhead) + that of `D a:v`, the free of
 *   its activation: every activation a forward makes is freed by one `D` in a schedule that ends with
 *   nothing resident, which is how remat's schedules end, so each free is charged once, to the forward
 *   that made the tensor (the cost model has no per-free cost to carry it);
 * - `bwd(v)` = the wall time of `B v` (kernel plus its overhead: the seed or incoming gradient,
 *   adding contributions into the inputs' gradients and the parameter gradients, freeing `g:v`), plus
 *   any other `D` of a tensor of `v`.
 * The overhead of each kind (wall time beyond the kernel; a `D` has no kernel, so all of it) is
 * measured and reported too, per kind, so that the share of the step it takes is on record.
 */
import type { Instance } from "../instance/types.js";
import { storeAllSchedule } from "../schedule/builders.js";
import { type Estimator, estimate } from "../simulate/estimator.js";
import { runSchedule } from "../simulate/interpreter.js";
import { median } from "../simulate/median.js";
import type { Network } from "../simulate/network.js";
import type { Tf } from "../simulate/tf.js";
import type { TimingOptions } from "./timing.js";

/** The instruction kinds of a store-all step. */
export type StepKind = "F" | "B" | "D";

/** What one kind of instruction costs beyond its kernel, over the store-all step. */
export interface KindOverhead {
  /** Instructions of this kind in the step. */
  readonly count: number;
  /** Median over them of each one's wall time beyond its kernel (its estimate over the timed runs), ms. */
  readonly medianMs: number;
  /** Sum over them of the same, ms: this kind's share of the measured step beyond kernels. */
  readonly totalMs: number;
}

/** Per instruction kind, its overhead beyond the kernel. */
export type InstructionOverhead = Readonly<Record<StepKind, KindOverhead>>;

/** An op's times as written to the instance, ms (see the file comment for what they include). */
export interface OpTimes {
  readonly fwd: number;
  readonly bwd: number;
}

/** The measured step: per node its times, and per instruction kind its overhead. */
export interface StepTimes {
  readonly ops: ReadonlyMap<string, OpTimes>;
  readonly overhead: InstructionOverhead;
  /** Sum of every instruction's estimated wall time, ms: the step as the simulator measures it. */
  readonly stepMs: number;
}

/** Measures the store-all step of `instance` on `network` (see the file comment). */
export function measureStep(
  tf: Tf,
  network: Network,
  instance: Instance,
  timing: TimingOptions,
  estimator: Estimator,
): StepTimes {
  const plain = storeAllSchedule(instance);
  for (let i = 0; i < timing.warmup; i++) runSchedule(tf, network, instance, plain, { gradients: false });
  const wall = plain.map(() => [] as number[]);
  const beyond = plain.map(() => [] as number[]);
  for (let i = 0; i < timing.repeats; i++) {
    runSchedule(tf, network, instance, plain, { gradients: false }).steps.forEach((step, index) => {
      wall[index]?.push(step.ms);
      beyond[index]?.push(step.ms - step.kernelMs);
    });
  }
  const fwd = new Map<string, number>(instance.nodes.map((node) => [node.id, 0]));
  const bwd = new Map<string, number>(instance.nodes.map((node) => [node.id, 0]));
  const overheads: Record<StepKind, number[]> = { F: [], B: [], D: [] };
  let stepMs = 0;
  plain.forEach((instruction, index) => {
    const ms = estimate(wall[index] ?? [], estimator);
    stepMs += ms;
    if (instruction.op !== "F" && instruction.op !== "B" && instruction.op !== "D") return;
    overheads[instruction.op].push(estimate(beyond[index] ?? [], estimator));
    const node = instruction.op === "D" ? instruction.tensor.node : instruction.node;
    const table =
      instruction.op === "B" || (instruction.op === "D" && instruction.tensor.kind !== "a") ? bwd : fwd;
    table.set(node, (table.get(node) ?? 0) + ms);
  });
  const kind = (values: readonly number[]): KindOverhead => ({
    count: values.length,
    medianMs: values.length === 0 ? 0 : median(values),
    totalMs: values.reduce((sum, ms) => sum + ms, 0),
  });
  return {
    ops: new Map(
      instance.nodes.map((node) => [node.id, { fwd: fwd.get(node.id) ?? 0, bwd: bwd.get(node.id) ?? 0 }]),
    ),
    overhead: { F: kind(overheads.F), B: kind(overheads.B), D: kind(overheads.D) },
    stepMs,
  };
}
