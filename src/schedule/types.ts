/**
 * The schedule language (DESIGN.md, "The schedule language"): every solver emits a readonly list of
 * these instructions, and the evaluator and the simulator both run it. Nodes are named by id.
 */
import type { StorageMode } from "../instance/types.js";

export type { StorageMode } from "../instance/types.js";

/** `F v` / `F v tape`: forward of `v`, allocating `a:v` (and its tape when `tape`). */
export interface ForwardOp {
  readonly op: "F";
  readonly node: string;
  readonly tape: boolean;
}

/** `B v`: backward of `v`, adding into the gradients of its non-source inputs, freeing `g:v` and the tape. */
export interface BackwardOp {
  readonly op: "B";
  readonly node: string;
}

/**
 * A tensor name: `a:v` (activation of `v`), `g:v` (gradient of `a_v`) or `s:v` (the stored form of
 * `a_v`, made by `C v MODE`).
 */
export interface TensorRef {
  readonly kind: "a" | "g" | "s";
  readonly node: string;
}

/** `D a:v` / `D g:v` / `D s:v`: free a tensor (waiting for an offload of `a:v` still in flight). */
export interface FreeOp {
  readonly op: "D";
  readonly tensor: TensorRef;
}

/** `O v`: start copying `a:v` to host on the device-to-host channel; the device copy stays until `D a:v`. */
export interface OffloadOp {
  readonly op: "O";
  readonly node: string;
}

/** `P v`: start copying `a:v` back on the host-to-device channel; memory is taken when it starts. */
export interface PrefetchOp {
  readonly op: "P";
  readonly node: string;
}

/**
 * `C v MODE`: convert resident `a:v` into its stored form `s:v` in `mode` on the compute stream;
 * `a:v` stays until `D a:v`.
 */
export interface ConvertOp {
  readonly op: "C";
  readonly node: string;
  readonly mode: StorageMode;
}

/** `X v`: expand `s:v` back into `a:v` (absent) on the compute stream; `s:v` stays until `D s:v`. */
export interface ExpandOp {
  readonly op: "X";
  readonly node: string;
}

export type Instruction = ForwardOp | BackwardOp | FreeOp | OffloadOp | PrefetchOp | ConvertOp | ExpandOp;

/** A schedule: the instructions of one training step, in issue order. */
export type Schedule = readonly Instruction[];

/** Builders for instructions, so that solvers never spell the object shapes out. */
export const ops = {
  forward: (node: string, tape = false): ForwardOp => ({ op: "F", node, tape }),
  backward: (node: string): BackwardOp => ({ op: "B", node }),
  freeActivation: (node: string): FreeOp => ({ op: "D", tensor: { kind: "a", node } }),
  freeGradient: (node: string): FreeOp => ({ op: "D", tensor: { kind: "g", node } }),
  offload: (node: string): OffloadOp => ({ op: "O", node }),
  prefetch: (node: string): PrefetchOp => ({ op: "P", node }),
  convert: (node: string, mode: StorageMode): ConvertOp => ({ op: "C", node, mode }),
  expand: (node: string): ExpandOp => ({ op: "X", node }),
  freeStored: (node: string): FreeOp => ({ op: "D", tensor: { kind: "s", node } }),
} as const;
