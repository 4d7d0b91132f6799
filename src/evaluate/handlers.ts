/**
 * The evaluator's rules, one handler per instruction (`F`, `B`, `D`, `O`, `P` here; `C`, `X` and
 * `D s:v` in storage-handlers.ts), exactly as proofs/cost-model.md states them: each checks what its
 * instruction requires (throwing a `Violation` naming the tensor to blame), then updates the run state
 * and records its step. Each handler is O(1) plus the in-degree of its node.
 */
import type { BackwardOp, ForwardOp, FreeOp, Instruction, OffloadOp, PrefetchOp } from "../schedule/types.js";
import { GRAD_FREED, GRAD_NEVER, GRAD_RESIDENT, type RunState, Violation } from "./run-state.js";
import { runConvert, runExpand, runFreeStored } from "./storage-handlers.js";

/** Runs instruction `index` of the schedule on `s`; throws a `Violation` when it cannot run. */
export function runInstruction(s: RunState, instruction: Instruction, index: number): void {
  switch (instruction.op) {
    case "F":
      runForward(s, instruction, index);
      return;
    case "B":
      runBackward(s, instruction, index);
      return;
    case "D":
      runFree(s, instruction, index);
      return;
    case "O":
      runOffload(s, instruction, index);
      return;
    case "P":
      runPrefetch(s, instruction, index);
      return;
    case "C":
      runConvert(s, instruction, index);
      return;
    case "X":
      runExpand(s, instruction, index);
      return;
  }
}

/**
 * `F v [tape]`: needs every input resident, `a:v` (and, with tape, the tape) not resident, and `v`
 * recomputable or never computed; allocates `a:v` (+ tape), counts `fwdTemp` while it runs.
 */
export function runForward(s: RunState, op: ForwardOp, index: number): void {
  const g = s.g;
  const v = s.nodeIndex(op.node);
  const id = g.ids[v];
  const withTape = op.tape && (g.tapeBytes[v] as number) > 0;
  if (s.resident[v] === 1) throw new Violation(`a:${id} is already resident`, `a:${id}`);
  if (withTape && s.tape[v] === 1) throw new Violation(`the tape of ${id} is already resident`, `tape:${id}`);
  const count = s.forwardCount[v] as number;
  if (g.recomputable[v] === 0 && count > 0)
    throw new Violation(`${id} is not recomputable and was already computed`, `a:${id}`);
  let start = s.clock;
  for (const u of g.inputs[v] as readonly number[]) start = s.requireActivation(u, start);
  const allocated = (g.bytes[v] as number) + (withTape ? (g.tapeBytes[v] as number) : 0);
  const during = s.memory + allocated + (g.fwdTemp[v] as number);
  s.memory += allocated;
  const end = start + (g.fwd[v] as number);
  s.computeMs += g.fwd[v] as number;
  if (count > 0) s.recomputations++;
  s.forwardCount[v] = count + 1;
  s.resident[v] = 1;
  s.readyAt[v] = end;
  if (withTape) s.tape[v] = 1;
  s.finishComputeStep(index, op, start, end, during);
}

/**
 * `B v`: needs `v` not a source and not done, `g:v` complete (every consumer done) and resident (the
 * loss instead needs to have been computed), what `needs` names and the tape resident, and no input
 * gradient freed early; allocates the input gradients receiving their first contribution, then frees
 * `g:v` and the tape.
 */
export function runBackward(s: RunState, op: BackwardOp, index: number): void {
  const g = s.g;
  const v = s.nodeIndex(op.node);
  const inputs = g.inputs[v] as readonly number[];
  if (backwardBlocked(s, v)) throw backwardViolation(s, v);
  let start = s.clock;
  if (g.needsInputs[v] === 1) for (const u of inputs) start = s.requireActivation(u, start);
  if (g.needsOutput[v] === 1) start = s.requireActivation(v, start);
  const tapeBytes = g.tapeBytes[v] as number;
  if (tapeBytes > 0 && s.tape[v] === 0) throw tapeMissing(s, v);
  const newGradients = newGradientBytes(s, inputs);
  const during = s.memory + newGradients + (g.bwdTemp[v] as number);
  for (const u of inputs) {
    s.pendingConsumers[u] = (s.pendingConsumers[u] as number) - 1;
    if (g.isSource[u] === 0) s.gradState[u] = GRAD_RESIDENT;
  }
  const ownGradient = s.gradState[v] === GRAD_RESIDENT;
  s.memory +=
    newGradients - (ownGradient ? (g.gradBytes[v] as number) : 0) - (s.tape[v] === 1 ? tapeBytes : 0);
  if (ownGradient) s.gradState[v] = GRAD_FREED;
  s.tape[v] = 0;
  s.backwardDone[v] = 1;
  const end = start + (g.bwd[v] as number);
  s.computeMs += g.bwd[v] as number;
  s.finishComputeStep(index, op, start, end, during);
}

/**
 * Whether `B v` fails one of its checks before its reads (see {@link backwardViolation}): a source,
 * already done, the loss not computed, `g:v` incomplete or (but for the loss) not resident. The fast
 * path of {@link runBackward}: one test, the message built only when it fails.
 */
function backwardBlocked(s: RunState, v: number): boolean {
  const g = s.g;
  return (
    g.isSource[v] === 1 ||
    s.backwardDone[v] === 1 ||
    (s.pendingConsumers[v] as number) > 0 ||
    (v === g.loss ? s.forwardCount[v] === 0 : s.gradState[v] !== GRAD_RESIDENT)
  );
}

/** The first check of `B v` that fails, in the order the cost model states them, as a `Violation`. */
function backwardViolation(s: RunState, v: number): Violation {
  const g = s.g;
  const id = g.ids[v];
  if (g.isSource[v] === 1) return new Violation(`${id} is a source: sources have no backward`);
  if (s.backwardDone[v] === 1) return new Violation(`B ${id} already ran`);
  if (v === g.loss && s.forwardCount[v] === 0)
    return new Violation(`the loss ${id} has not been computed (run F ${id} first)`, `a:${id}`);
  if ((s.pendingConsumers[v] as number) > 0)
    return new Violation(`g:${id} is not complete: B ${firstPendingConsumer(s, v)} has not run`, `g:${id}`);
  return new Violation(`g:${id} is not resident`, `g:${id}`);
}

/** The violation of a `B v` whose tape is not resident. */
function tapeMissing(s: RunState, v: number): Violation {
  const id = s.g.ids[v];
  return new Violation(`the tape of ${id} is not resident (run F ${id} tape)`, `tape:${id}`);
}

/**
 * Bytes of the input gradients a backward reading `inputs` allocates (first contributions; sources get
 * none; counted per edge). Throws a `Violation` when an input gradient was freed before all its
 * contributions.
 */
function newGradientBytes(s: RunState, inputs: readonly number[]): number {
  const g = s.g;
  let newGradients = 0;
  for (const u of inputs) {
    if (g.isSource[u] === 1) continue;
    if (s.gradState[u] === GRAD_FREED)
      throw new Violation(`g:${g.ids[u]} was freed before all its contributions`, `g:${g.ids[u]}`);
    if (s.gradState[u] === GRAD_NEVER) newGradients += g.gradBytes[u] as number;
  }
  return newGradients;
}

/**
 * The id of the first consumer of `v` whose backward has not run. A plain loop, not a closure, so that
 * `runBackward` captures nothing (a captured `s` would cost a context allocation on every call).
 */
function firstPendingConsumer(s: RunState, v: number): string {
  for (const c of s.g.consumers[v] as readonly number[])
    if (s.backwardDone[c] === 0) return s.g.ids[c] as string;
  return "";
}

/**
 * `D a:v` / `D g:v` / `D s:v`: needs the tensor resident; the compute stream waits for a transfer of
 * `a:v` still in flight (an offload of it, or its prefetch), then the bytes are released.
 */
export function runFree(s: RunState, op: FreeOp, index: number): void {
  const g = s.g;
  const v = s.nodeIndex(op.tensor.node);
  const during = s.memory;
  let start = s.clock;
  if (op.tensor.kind === "a") {
    s.requireActivation(v, start);
    start = Math.max(start, s.readyAt[v] as number, s.offloadEndAt[v] as number);
    s.memory -= g.bytes[v] as number;
    s.resident[v] = 0;
  } else if (op.tensor.kind === "s") {
    runFreeStored(s, v);
  } else {
    if (s.gradState[v] !== GRAD_RESIDENT)
      throw new Violation(`g:${g.ids[v]} is not resident`, `g:${g.ids[v]}`);
    s.memory -= g.gradBytes[v] as number;
    s.gradState[v] = GRAD_FREED;
  }
  s.finishComputeStep(index, op, start, start, during);
}

/**
 * `O v`: needs `v` offloadable, `a:v` resident, no host copy of `a:v` yet (made or in flight: a host copy
 * persists once made, and a recomputed `a:v` is bit-identical to it, so a second `O v` is always
 * redundant) and a hardware block; starts the copy on the device-to-host channel once `a:v` is ready.
 */
export function runOffload(s: RunState, op: OffloadOp, index: number): void {
  const g = s.g;
  const v = s.nodeIndex(op.node);
  const id = g.ids[v];
  if (g.offloadable[v] === 0) throw new Violation(`${id} is not offloadable`, `a:${id}`);
  const ready = s.requireActivation(v, s.clock);
  const earlier = s.offloadIndex[v] as number;
  if (earlier >= 0) {
    throw new Violation(
      `a host copy of a:${id} already exists or is in flight (O ${id} at index ${earlier}); host copies persist, so a second O ${id} is redundant`,
      `a:${id}`,
    );
  }
  const start = Math.max(s.clock, s.deviceToHostFree, ready);
  const end = start + s.transferMs(g.bytes[v] as number);
  s.deviceToHostFree = end;
  s.offloadEndAt[v] = end;
  s.offloadIndex[v] = index;
  s.transfers++;
  s.finishTransferStep(index, op, start, end);
}

/**
 * `P v`: needs a host copy from an earlier `O v`, `a:v` not resident and a hardware block; allocates
 * `a:v` when it starts on the host-to-device channel (after the offload ended); readers wait for its end.
 */
export function runPrefetch(s: RunState, op: PrefetchOp, index: number): void {
  const g = s.g;
  const v = s.nodeIndex(op.node);
  const id = g.ids[v];
  if (s.offloadIndex[v] === -1) throw new Violation(`no host copy of a:${id} (run O ${id} first)`, `a:${id}`);
  if (s.resident[v] === 1) throw new Violation(`a:${id} is already resident`, `a:${id}`);
  const start = Math.max(s.clock, s.hostToDeviceFree, s.offloadEndAt[v] as number);
  const end = start + s.transferMs(g.bytes[v] as number);
  s.hostToDeviceFree = end;
  s.readyAt[v] = end;
  s.resident[v] = 1;
  s.memory += g.bytes[v] as number;
  s.transfers++;
  s.finishTransferStep(index, op, start, end);
}
