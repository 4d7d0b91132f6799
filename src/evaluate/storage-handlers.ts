/**
 * The evaluator's rules for stored forms (DESIGN.md, "Storage modes"; proofs/cost-model.md): `C v MODE`
 * makes `s:v` from resident `a:v`, `X v` makes `a:v` again from `s:v`, `D s:v` frees `s:v`. All three
 * run on the compute stream; sizes come from src/evaluate/storage.ts, times from the node's `storage`
 * entry for the mode. Each handler checks what its instruction requires (throwing a `Violation` naming
 * the tensor to blame), then updates the run state and records its step. Each is O(1).
 */
import { LOSSY_MODES, STORAGE_MODES, type StorageMode } from "../instance/types.js";
import type { ConvertOp, ExpandOp } from "../schedule/types.js";
import { type RunState, Violation } from "./run-state.js";
import { storedBytes } from "./storage.js";

/**
 * `C v MODE`: needs `v` to offer `MODE` (a `storage.MODE` entry), `s:v` not resident and `a:v` resident;
 * starts once `a:v` is ready, lasts `storage.MODE.convertMs`; allocates `s:v` (its bytes count while it
 * runs); `a:v` stays.
 */
export function runConvert(s: RunState, op: ConvertOp, index: number): void {
  const v = s.nodeIndex(op.node);
  const node = s.nodes[v] as RunState["nodes"][number];
  const costs = node.storage[op.mode];
  if (costs === undefined)
    throw new Violation(
      `${node.id} offers no ${op.mode} stored form (its node gives no storage.${op.mode})`,
      `s:${node.id}`,
    );
  if (s.storedModeOf(v) !== 0) throw new Violation(`s:${node.id} is already resident`, `s:${node.id}`);
  const start = s.requireActivation(v, s.clock);
  const bytes = storedBytes(node, op.mode);
  s.memory += bytes;
  s.storedModes()[v] = STORAGE_MODES.indexOf(op.mode) + 1;
  s.conversions++;
  s.computeMs += costs.convertMs;
  s.finishComputeStep(index, op, start, start + costs.convertMs, s.memory);
}

/**
 * `X v`: needs `s:v` resident and `a:v` not resident; lasts the mode's `expandMs`; allocates `a:v`
 * (ready at its end); `s:v` stays. An expansion of a lossy form (fp16, bf16) is recorded, so that the
 * evaluation says its gradients are not plain backprop's.
 */
export function runExpand(s: RunState, op: ExpandOp, index: number): void {
  const v = s.nodeIndex(op.node);
  const node = s.nodes[v] as RunState["nodes"][number];
  const code = s.storedModeOf(v);
  if (code === 0) throw new Violation(`s:${node.id} is not resident`, `s:${node.id}`);
  if (s.resident[v] === 1) throw new Violation(`a:${node.id} is already resident`, `a:${node.id}`);
  const mode = STORAGE_MODES[code - 1] as StorageMode;
  const expandMs = node.storage[mode]?.expandMs ?? 0;
  const start = s.clock;
  const end = start + expandMs;
  s.memory += node.bytes;
  s.resident[v] = 1;
  s.readyAt[v] = end;
  s.expansions++;
  if (LOSSY_MODES.has(mode)) s.lossyExpansions.push(index);
  s.computeMs += expandMs;
  s.finishComputeStep(index, op, start, end, s.memory);
}

/** `D s:v`: needs `s:v` resident; releases its bytes at once. */
export function runFreeStored(s: RunState, v: number): void {
  const node = s.nodes[v] as RunState["nodes"][number];
  const code = s.storedModeOf(v);
  if (code === 0) throw new Violation(`s:${node.id} is not resident`, `s:${node.id}`);
  s.memory -= storedBytes(node, STORAGE_MODES[code - 1] as StorageMode);
  s.storedModes()[v] = 0;
}
