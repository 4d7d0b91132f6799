/**
 * The memory of a training step split as Sohoni et al. (2019, "Low-Memory Neural Network Training")
 * split it: weights, their gradients, the optimizer's state, activations and workspace. The first three
 * make up `fixedBytes` (the instance's `memory` block says how; without it the split is unknown and
 * reported so). Activations and workspace are read off the evaluator at the peak of a schedule: the
 * store-all schedule, and a given plan. Peak = fixedBytes + activations + workspace, exactly.
 */
import { describeValue, InputError } from "../errors.js";
import { evaluate } from "../evaluate/evaluate.js";
import { parseInstance } from "../instance/parse.js";
import type { Instance, InstanceNode, MemoryParts } from "../instance/types.js";
import { storeAllSchedule } from "../schedule/builders.js";
import { formatInstruction } from "../schedule/text.js";
import type { Schedule } from "../schedule/types.js";
import { OPTIMIZER_STATE_FLOATS, type Optimizer } from "../zoo/document.js";

/** The float formats a breakdown can be asked for: float32 (as instances describe) or 16-bit storage. */
export const PRECISIONS = { fp32: 4, fp16: 2 } as const;
export type Precision = keyof typeof PRECISIONS;

/** The optimizers `--optimizer` names, with the state each keeps per parameter (in weight-sized buffers). */
export const OPTIMIZERS = Object.keys(OPTIMIZER_STATE_FLOATS) as readonly Optimizer[];

/** What to break down: the instance's own figures, or another optimizer or precision. */
export interface BreakdownOptions {
  /** Recount the optimizer's state for this optimizer (needs the instance's `memory` block). */
  readonly optimizer?: Optimizer;
  /** `fp16`: every 4-byte tensor and the fixed parts stored in 2 bytes (Sohoni et al.'s 16-bit storage). */
  readonly precision?: Precision;
  /** A schedule whose peak is broken down besides store-all's. */
  readonly plan?: Schedule;
}

/** The step's memory at the peak of one schedule. */
export interface PeakParts {
  /** Activations (and tapes, stored forms, activation gradients) resident at the peak, bytes. */
  readonly activations: number;
  /** The running op's temporaries at the peak (fwdTemp or bwdTemp), bytes. */
  readonly workspace: number;
  /** fixedBytes + activations + workspace, bytes (the evaluator's peak). */
  readonly peak: number;
  /** The instruction at which the peak is first reached. */
  readonly at: string;
  /** The schedule's makespan under the evaluator, ms. */
  readonly makespanMs: number;
}

/** A memory breakdown (all sizes in bytes). */
export interface MemoryBreakdown {
  readonly instance: string;
  readonly precision: Precision;
  /** The optimizer the parts were recounted for, or null for the instance's own figures. */
  readonly optimizer: Optimizer | null;
  /** weights, gradients and optimizer state, or null when the instance does not say how fixedBytes splits. */
  readonly parts: MemoryParts | null;
  readonly fixedBytes: number;
  /** The largest temporary of any op, forward or backward. */
  readonly largestWorkspace: number;
  readonly storeAll: PeakParts;
  readonly plan: PeakParts | null;
  /** What is unknown or assumed, in sentences. */
  readonly notes: readonly string[];
}

/**
 * Breaks down the memory of `instance` (store-all, and `options.plan` when given).
 * @throws InputError (code `option`, path `optimizer`) when an optimizer is asked for but the instance
 *   has no `memory` block; (code `bad-value`, path `plan[i]`) when the plan is not a valid schedule
 */
export function memoryBreakdown(instance: Instance, options: BreakdownOptions = {}): MemoryBreakdown {
  const precision = options.precision ?? "fp32";
  const notes: string[] = [];
  if (options.optimizer !== undefined && instance.memory === undefined)
    throw new InputError("memoryBreakdown", [
      {
        code: "option",
        path: "optimizer",
        expected: "an instance with a memory block (weights, gradients, optimizer) to recount the state from",
        received: describeValue(options.optimizer),
      },
    ]);
  const scaled = precision === "fp32" ? instance : halved(instance);
  const ownParts = scaled.memory;
  const parts =
    ownParts === undefined
      ? null
      : options.optimizer === undefined
        ? ownParts
        : {
            weights: ownParts.weights,
            gradients: ownParts.weights,
            optimizer: ownParts.weights * OPTIMIZER_STATE_FLOATS[options.optimizer],
          };
  const fixedBytes = parts === null ? scaled.fixedBytes : parts.weights + parts.gradients + parts.optimizer;
  if (parts === null)
    notes.push(
      "The instance has no memory block: how fixedBytes splits into weights, gradients and optimizer state is unknown.",
    );
  if (options.optimizer !== undefined)
    notes.push(
      `Optimizer state recounted for ${options.optimizer}: ${OPTIMIZER_STATE_FLOATS[options.optimizer]} weight-sized buffer(s); gradients as large as the weights.`,
    );
  if (precision === "fp16")
    notes.push(
      "fp16: the fixed parts (read as float32) and every 4-byte tensor (elementBytes 4, the default; data and labels included) halved, rounded up; pure 16-bit storage, no float32 master copy.",
    );
  const withFixed = fixedBytes === scaled.fixedBytes ? scaled : refixed(scaled, fixedBytes);
  const storeAll = peakParts(withFixed, storeAllSchedule(withFixed), "store-all");
  const plan = options.plan === undefined ? null : peakParts(withFixed, options.plan, "plan");
  return {
    instance: instance.name,
    precision,
    optimizer: options.optimizer ?? null,
    parts,
    fixedBytes,
    largestWorkspace: Math.max(0, ...withFixed.nodes.map((node) => Math.max(node.fwdTemp, node.bwdTemp))),
    storeAll,
    plan,
    notes,
  };
}

/** The peak of `schedule` on `instance` split into fixed, activations and the running op's workspace. */
function peakParts(instance: Instance, schedule: Schedule, field: string): PeakParts {
  const evaluation = evaluate(instance, schedule, { profile: true });
  if (!evaluation.valid)
    throw new InputError("memoryBreakdown", [
      {
        code: "bad-value",
        path: `${field}[${evaluation.error.index}]`,
        expected: "an instruction that can run at this point of the schedule",
        received: evaluation.error.reason,
      },
    ]);
  const during = evaluation.profile?.duringBytes ?? new Float64Array(0);
  let index = 0;
  for (let i = 0; i < during.length; i++) if ((during[i] as number) > (during[index] as number)) index = i;
  const instruction = schedule[index];
  const byId = new Map(instance.nodes.map((node) => [node.id, node]));
  let workspace = 0;
  if (instruction?.op === "F") workspace = byId.get(instruction.node)?.fwdTemp ?? 0;
  if (instruction?.op === "B") workspace = byId.get(instruction.node)?.bwdTemp ?? 0;
  const peak = evaluation.peakBytes;
  return {
    activations: peak - instance.fixedBytes - workspace,
    workspace,
    peak,
    at: instruction === undefined ? "" : formatInstruction(instruction),
    makespanMs: evaluation.makespanMs,
  };
}

/** `instance` with another fixedBytes (and its memory block dropped: the caller reports the parts). */
function refixed(instance: Instance, fixedBytes: number): Instance {
  const { memory: _parts, ...rest } = instance;
  return parseInstance({ ...rest, fixedBytes });
}

const half = (bytes: number) => Math.ceil(bytes / 2);

/** `instance` in 16-bit storage: fixed parts and every 4-byte tensor's sizes halved, rounded up. */
function halved(instance: Instance): Instance {
  const nodes = instance.nodes.map(
    (node): InstanceNode =>
      node.elementBytes !== PRECISIONS.fp32
        ? node
        : {
            ...node,
            bytes: half(node.bytes),
            gradBytes: half(node.gradBytes),
            tapeBytes: half(node.tapeBytes),
            fwdTemp: half(node.fwdTemp),
            bwdTemp: half(node.bwdTemp),
            elementBytes: PRECISIONS.fp16,
          },
  );
  const memory =
    instance.memory === undefined
      ? undefined
      : {
          weights: half(instance.memory.weights),
          gradients: half(instance.memory.gradients),
          optimizer: half(instance.memory.optimizer),
        };
  const fixedBytes =
    memory === undefined ? half(instance.fixedBytes) : memory.weights + memory.gradients + memory.optimizer;
  const { memory: _parts, ...rest } = instance;
  return parseInstance({ ...rest, fixedBytes, ...(memory === undefined ? {} : { memory }), nodes });
}
