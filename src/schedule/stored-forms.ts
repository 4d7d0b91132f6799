/**
 * Stored forms in a schedule (DESIGN.md, "Storage modes"): {@link storeAcrossTurn} makes the chosen
 * activations wait for the backward pass in a stored form instead of as themselves, the way BitTrain
 * (Hosny et al. 2021) keeps a convolution's input for its backward as a bitmap. O(|schedule| + the sum of
 * the in-degrees of the instructions' nodes).
 */
import { graphOf, type InstanceGraph } from "../instance/graph.js";
import type { Instance, StorageMode } from "../instance/types.js";
import { type Instruction, ops, type Schedule } from "./types.js";

/**
 * The instructions that touch `a:v` for each node `v`: read it (a forward of a consumer, a backward
 * whose `needs` name it, `C v`, `O v`), make it (`F v`, `P v`, `X v`) or free it (`D a:v`).
 */
function touchedBy(g: InstanceGraph, instruction: Instruction): readonly number[] {
  if (instruction.op === "D")
    return instruction.tensor.kind === "a" ? [g.indexOf.get(instruction.tensor.node) ?? -1] : [];
  const v = g.indexOf.get(instruction.node) ?? -1;
  if (v < 0) return [];
  if (instruction.op === "F") return [v, ...(g.inputs[v] as readonly number[])];
  if (instruction.op !== "B") return [v];
  const read = g.needsInputs[v] === 1 ? [...(g.inputs[v] as readonly number[])] : [];
  if (g.needsOutput[v] === 1) read.push(v);
  return read;
}

/**
 * `schedule` with each activation named in `modes` held across the turn of the step in its stored form:
 * for a node `v` whose `a:v` is resident when the first backward (`B`) runs, `C v MODE; D a:v` right
 * after the last instruction before that backward that touches `a:v`, and `X v; D s:v` right before the
 * next one (or `D s:v` in place of it when it is `D a:v`). Other nodes, and nodes whose `a:v` is absent
 * at the turn or never touched after it, are left as they are. The schedule's validity is unchanged if
 * every converted node offers its mode; its cost is what the evaluator says (proofs/cost-model.md).
 *
 * @param modes the stored form of each node to convert, by node id
 * @returns a new schedule (the input is not changed)
 */
export function storeAcrossTurn(
  instance: Instance,
  schedule: Schedule,
  modes: ReadonlyMap<string, StorageMode>,
): Schedule {
  const g = graphOf(instance);
  const turn = schedule.findIndex((instruction) => instruction.op === "B");
  if (turn < 0 || modes.size === 0) return schedule;
  const before = new Int32Array(g.size).fill(-1);
  const after = new Int32Array(g.size).fill(-1);
  schedule.forEach((instruction, index) => {
    for (const v of touchedBy(g, instruction)) {
      if (v < 0) continue;
      if (index < turn) before[v] = index;
      else if (after[v] === -1) after[v] = index;
    }
  });
  const insertAfter = new Map<number, Instruction[]>();
  const insertBefore = new Map<number, Instruction[]>();
  const replaced = new Map<number, Instruction>();
  for (const [id, mode] of modes) {
    const v = g.indexOf.get(id);
    if (v === undefined) continue;
    const last = before[v] as number;
    const next = after[v] as number;
    const lastOp = schedule[last];
    if (last < 0 || next < 0 || lastOp === undefined || freesActivation(lastOp, id)) continue;
    push(insertAfter, last, ops.convert(id, mode), ops.freeActivation(id));
    if (freesActivation(schedule[next] as Instruction, id)) replaced.set(next, ops.freeStored(id));
    else push(insertBefore, next, ops.expand(id), ops.freeStored(id));
  }
  const result: Instruction[] = [];
  schedule.forEach((instruction, index) => {
    result.push(...(insertBefore.get(index) ?? []), replaced.get(index) ?? instruction);
    result.push(...(insertAfter.get(index) ?? []));
  });
  return Object.freeze(result);
}

function freesActivation(instruction: Instruction, id: string): boolean {
  return instruction.op === "D" && instruction.tensor.kind === "a" && instruction.tensor.node === id;
}

function push(table: Map<number, Instruction[]>, at: number, ...instructions: Instruction[]): void {
  const list = table.get(at);
  if (list === undefined) table.set(at, instructions);
  else list.push(...instructions);
}
