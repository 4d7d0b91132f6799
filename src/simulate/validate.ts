/**
 * Checks, before any kernel runs, that the simulator can run `schedule` on `instance` with `graph`:
 * the instance carries a model, has no tapes (op-level instances only), its nodes are the graph's ops
 * (same ids and inputs), each node's `needs` keeps what its kernel's backward reads, every node the
 * schedule converts into a stored form has 4-byte elements (the simulator's tensors are float32 or int32)
 * and is float32 when converted to fp16 or bf16, and the evaluator accepts the schedule.
 */
import { InputError, type InputIssue } from "../errors.js";
import { evaluate, type ValidEvaluation } from "../evaluate/evaluate.js";
import type { Instance } from "../instance/types.js";
import type { Schedule } from "../schedule/types.js";
import type { ZooGraph } from "../zoo/types.js";
import { KERNELS } from "./kernels/index.js";
import { BYTES_PER_ELEMENT } from "./network.js";

const SITE = "simulate";

/**
 * Throws when the instance has no `model` block.
 * @throws InputError code `required`, path `model`
 */
export function requireModel(instance: Instance): NonNullable<Instance["model"]> {
  if (instance.model !== undefined) return instance.model;
  throw new InputError(SITE, [
    {
      code: "required",
      path: "model",
      expected: "a model block ({ zoo, config }): the simulator needs a runnable zoo network",
      received: "missing",
    },
  ]);
}

/**
 * Evaluates `schedule` and checks `instance` against `graph`.
 * @returns the evaluator's verdict (with trace) on a valid schedule
 * @throws InputError: code `bad-value` at `ops[i]` for an invalid schedule (`ops` when incomplete),
 *   `structure` at `nodes[i]` when a node is not the graph's op, `bad-value` at `nodes[i].needs` or
 *   `nodes[i].tapeBytes` when the simulator cannot run the node as the instance describes it
 */
export function validateRun(instance: Instance, graph: ZooGraph, schedule: Schedule): ValidEvaluation {
  const issues: InputIssue[] = [];
  const opById = new Map(graph.ops.map((op) => [op.id, op] as const));
  if (graph.ops.length !== instance.nodes.length)
    issues.push({
      code: "structure",
      path: "nodes",
      expected: `the ${graph.ops.length} ops of zoo ${graph.zoo}`,
      received: `${instance.nodes.length} nodes`,
    });
  instance.nodes.forEach((node, i) => {
    const op = opById.get(node.id);
    if (op === undefined || op.inputs.join(",") !== node.inputs.join(",")) {
      issues.push({
        code: "structure",
        path: `nodes[${i}]`,
        expected: `an op of zoo ${graph.zoo} with the same inputs`,
        received: `node "${node.id}"`,
      });
      return;
    }
    if (node.tapeBytes > 0)
      issues.push({
        code: "bad-value",
        path: `nodes[${i}].tapeBytes`,
        expected: "0 (the simulator runs op-level instances)",
        received: String(node.tapeBytes),
      });
    if (op.type === "input") return;
    const reads = KERNELS[op.type].reads;
    const keepsInputs = node.needs.includes("inputs");
    const ok =
      reads === "nothing" ||
      (reads === "inputs" ? keepsInputs : keepsInputs || node.needs.includes("output"));
    if (!ok)
      issues.push({
        code: "bad-value",
        path: `nodes[${i}].needs`,
        expected: `to name what the ${op.type} backward reads (${reads})`,
        received: JSON.stringify(node.needs),
      });
  });
  issues.push(...storedFormIssues(instance, graph, schedule));
  if (issues.length > 0) throw new InputError(SITE, issues);
  const evaluation = evaluate(instance, schedule, { trace: true });
  if (evaluation.valid) return evaluation;
  const { error } = evaluation;
  throw new InputError(SITE, [
    {
      code: "bad-value",
      path: error.index < schedule.length ? `ops[${error.index}]` : "ops",
      expected: `a valid instruction (${error.reason})`,
      received: JSON.stringify(error.instruction),
    },
  ]);
}

/**
 * What the simulator cannot convert as the schedule asks: a node with `elementBytes` other than 4 (code
 * `bad-value` at `nodes[i].elementBytes`, once per node), an fp16 or bf16 form of an int32 input (code
 * `bad-value` at `ops[i]`).
 */
function storedFormIssues(instance: Instance, graph: ZooGraph, schedule: Schedule): InputIssue[] {
  const issues: InputIssue[] = [];
  const position = new Map(instance.nodes.map((node, i) => [node.id, i] as const));
  const opById = new Map(graph.ops.map((op) => [op.id, op] as const));
  const reported = new Set<string>();
  schedule.forEach((instruction, index) => {
    if (instruction.op !== "C") return;
    const at = position.get(instruction.node);
    const node = at === undefined ? undefined : instance.nodes[at];
    if (node !== undefined && node.elementBytes !== BYTES_PER_ELEMENT && !reported.has(node.id)) {
      reported.add(node.id);
      issues.push({
        code: "bad-value",
        path: `nodes[${at}].elementBytes`,
        expected: `${BYTES_PER_ELEMENT} (the simulator holds float32 and int32 tensors)`,
        received: String(node.elementBytes),
      });
    }
    const op = opById.get(instruction.node);
    if (instruction.mode !== "bitmap" && op?.type === "input" && op.attrs.dtype === "int32")
      issues.push({
        code: "bad-value",
        path: `ops[${index}]`,
        expected: "a 16-bit stored form of a float32 tensor only",
        received: `${JSON.stringify(`C ${instruction.node} ${instruction.mode}`)} of the int32 input ${instruction.node}`,
      });
  });
  return issues;
}
