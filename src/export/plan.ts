/**
 * A schedule as a plan file (issue 16 item 4a): per node of the instance (its ONNX name when it was
 * imported), how its activation reaches its backward under the evaluated schedule, as JSON that a
 * training framework's own code reads (instances/plan.schema.json; the README's "Plan your own model"
 * applies it as a PyTorch selective-checkpointing policy).
 *
 * A node's `decision` is the first that holds of: `input` (a data source, not recomputable); `recompute`
 * (its forward runs more than once: dropped after its first forward and computed again for a reader);
 * `offload` (copied to host, `O`, and back, `P`); `stored` (kept in a stored form, `C v MODE`, named in
 * `storedForm`); `save` (computed once and kept until its last reader). The counts (`forwards`,
 * `offloads`) and `storedForm` say everything the schedule does with the node, so a node both offloaded
 * and recomputed is still seen as both. `policy` is the PyTorch word for the decision
 * (`torch.utils.checkpoint.CheckpointPolicy`): `PREFER_RECOMPUTE` for `recompute`, `MUST_SAVE` otherwise
 * (offloads and stored forms are not checkpointing: a framework applies them with its own hooks).
 */
import type { ValidEvaluation } from "../evaluate/result.js";
import type { Instance, InstanceNode, StorageMode } from "../instance/types.js";
import type { Schedule } from "../schedule/types.js";

/** The format tag of a plan file; the number changes when a field changes meaning. */
export const PLAN_FORMAT = "remat-plan/1";

/** How a node's activation reaches its backward (see the file's doc for the precedence). */
export type PlanDecision = "input" | "save" | "recompute" | "offload" | "stored";

/** One node's entry. */
export interface PlanNode {
  /** The instance node id. */
  readonly id: string;
  /** The ONNX node (or graph input) name, for an imported instance. */
  readonly onnx?: string;
  /**
   * The PyTorch module path read from a torch.onnx.export name (`/layer1/0/conv1/Conv` ->
   * `layer1.0.conv1`; empty for the top module), when the name has that form.
   */
  readonly module?: string;
  /** The op (ONNX op type for imported instances, the zoo's op otherwise), when the instance says. */
  readonly op?: string;
  readonly decision: PlanDecision;
  /** `PREFER_RECOMPUTE` or `MUST_SAVE`: the decision as a PyTorch CheckpointPolicy. */
  readonly policy: "MUST_SAVE" | "PREFER_RECOMPUTE";
  /** How many times the schedule runs its forward. */
  readonly forwards: number;
  /** How many times its activation is copied to host. */
  readonly offloads: number;
  /** The stored form it waits in, when the schedule converts it. */
  readonly storedForm?: StorageMode;
  readonly bytes: number;
  /** A node remat appended (the loss and its labels), not in the user's model. */
  readonly appended?: true;
}

/** A plan file. */
export interface PlanDocument {
  readonly format: typeof PLAN_FORMAT;
  readonly instance: string;
  /** The solver and its status, and the budget it was given, when the plan came from a result. */
  readonly solver?: string;
  readonly status?: string;
  readonly budgetBytes?: number;
  /** The evaluator's makespan and peak (fixedBytes included) of the schedule. */
  readonly makespanMs: number;
  readonly peakBytes: number;
  readonly nodes: readonly PlanNode[];
}

/** What a result file says beyond its schedule. */
export interface PlanProvenance {
  readonly solver?: string;
  readonly status?: string;
  readonly budgetBytes?: number;
}

/** Per node: forwards, offloads and stored form in `schedule`. */
function usage(schedule: Schedule) {
  const forwards = new Map<string, number>();
  const offloads = new Map<string, number>();
  const stored = new Map<string, StorageMode>();
  for (const instruction of schedule) {
    if (instruction.op === "F") forwards.set(instruction.node, (forwards.get(instruction.node) ?? 0) + 1);
    else if (instruction.op === "O")
      offloads.set(instruction.node, (offloads.get(instruction.node) ?? 0) + 1);
    else if (instruction.op === "C") stored.set(instruction.node, instruction.mode);
  }
  return { forwards, offloads, stored };
}

/** The module path of a torch.onnx.export node name (`/a/b/Op_3` -> `a.b`), or undefined for other names. */
export function modulePath(onnxName: string): string | undefined {
  if (!onnxName.startsWith("/")) return undefined;
  const parts = onnxName.slice(1).split("/");
  return parts.length < 1 ? undefined : parts.slice(0, -1).join(".");
}

type Usage = ReturnType<typeof usage>;

/** The decision for a node of `inputs` run `forwards` times, offloaded `offloads` times, stored as `form`. */
function decisionOf(
  inputs: number,
  forwards: number,
  offloads: number,
  form: StorageMode | undefined,
): PlanDecision {
  if (inputs === 0) return "input";
  if (forwards > 1) return "recompute";
  if (offloads > 0) return "offload";
  return form === undefined ? "save" : "stored";
}

/** One node's plan entry. */
function planNode(node: InstanceNode, { forwards, offloads, stored }: Usage): PlanNode {
  const meta = node.meta ?? {};
  const onnx = typeof meta.onnx === "string" ? meta.onnx : undefined;
  const module = onnx === undefined ? undefined : modulePath(onnx);
  const count = forwards.get(node.id) ?? 0;
  const offloaded = offloads.get(node.id) ?? 0;
  const form = stored.get(node.id);
  const decision = decisionOf(node.inputs.length, count, offloaded, form);
  return {
    id: node.id,
    ...(onnx === undefined ? {} : { onnx }),
    ...(module === undefined ? {} : { module }),
    ...(typeof meta.op === "string" ? { op: meta.op } : {}),
    decision,
    policy: decision === "recompute" ? "PREFER_RECOMPUTE" : "MUST_SAVE",
    forwards: count,
    offloads: offloaded,
    ...(form === undefined ? {} : { storedForm: form }),
    bytes: node.bytes,
    ...(meta.appended === true ? { appended: true as const } : {}),
  };
}

/**
 * The plan of `schedule` (valid on `instance`, evaluated as `evaluation`).
 * @returns the plan document; its nodes in the instance's order
 */
export function planOf(
  instance: Instance,
  schedule: Schedule,
  evaluation: ValidEvaluation,
  provenance: PlanProvenance = {},
): PlanDocument {
  const used = usage(schedule);
  const nodes = instance.nodes.map((node) => planNode(node, used));
  return {
    format: PLAN_FORMAT,
    instance: instance.name,
    ...provenance,
    makespanMs: evaluation.makespanMs,
    peakBytes: evaluation.peakBytes,
    nodes,
  };
}
