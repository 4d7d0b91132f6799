/**
 * The kernel layer's contract: for each zoo op type (src/zoo/types.ts), a forward on real tensors and its
 * vector-Jacobian product. The simulator holds every tensor; a kernel only computes, inside the caller's
 * `tf.tidy`, so its intermediates are transient.
 */
import type { ZooOp } from "../../zoo/types.js";
import type { Tensor, Tf } from "../tf.js";

/** An op's parameters by name (`weight`, `bias`, `gamma`, `beta`); a tied dense finds its tied weight as `weight`. */
export type ParamTensors = ReadonlyMap<string, Tensor>;

/**
 * What a backward reads besides its incoming gradient: `nothing` (shapes only), `inputs`, or
 * `inputs-or-output` (either one suffices and gives bit-identical results, e.g. a ReLU's mask).
 */
export type KernelReads = "nothing" | "inputs" | "inputs-or-output";

/** What the simulator hands a backward: the incoming gradient and what the node's `needs` keeps resident. */
export interface BackwardArgs {
  readonly dy: Tensor;
  /** The forward inputs, present when the node's `needs` names `inputs`. */
  readonly inputs?: readonly Tensor[];
  /** The forward output, present when the node's `needs` names `output`. */
  readonly output?: Tensor;
  readonly params: ParamTensors;
  /** Which inputs want a gradient (sources get none). */
  readonly wantInputs: readonly boolean[];
}

/** A backward's result: one gradient per input (undefined where none is wanted) and one per parameter name. */
export interface Gradients {
  readonly inputs: readonly (Tensor | undefined)[];
  readonly params: ReadonlyMap<string, Tensor>;
}

/** Forward and backward of one op type. */
export interface OpKernel {
  readonly reads: KernelReads;
  /** Computes the op's output from its inputs (in argument order) and parameters. */
  readonly forward: (tf: Tf, op: ZooOp, inputs: readonly Tensor[], params: ParamTensors) => Tensor;
  /** Computes the gradients of the op's inputs and parameters from `dy`; `inputShapes` are the inputs' shapes, in order. */
  readonly backward: (
    tf: Tf,
    op: ZooOp,
    inputShapes: readonly (readonly number[])[],
    args: BackwardArgs,
  ) => Gradients;
}

/** The gradient table of an op without parameters. */
export const NO_PARAMS: ReadonlyMap<string, Tensor> = new Map();

/** The parameter named `name`; throws when the network was built without it (a bug). */
export function param(params: ParamTensors, name: string, op: ZooOp): Tensor {
  const tensor = params.get(name);
  if (tensor === undefined) throw new Error(`kernel ${op.type} (${op.id}): missing parameter "${name}"`);
  return tensor;
}

/** The inputs of a backward that reads them; throws when the simulator did not pass them (a bug). */
export function inputsOf(args: BackwardArgs, op: ZooOp): readonly Tensor[] {
  if (args.inputs === undefined) throw new Error(`kernel ${op.type} (${op.id}): backward needs the inputs`);
  return args.inputs;
}

/** A numeric attribute, or `fallback` when absent. */
export function numberAttr(op: ZooOp, name: string, fallback?: number): number {
  const value = op.attrs[name] ?? fallback;
  if (typeof value !== "number") throw new Error(`op ${op.id}: attribute ${name} must be a number`);
  return value;
}

/** A `[a, b]` attribute. */
export function pairAttr(op: ZooOp, name: string): [number, number] {
  const value = op.attrs[name];
  if (
    !Array.isArray(value) ||
    value.length !== 2 ||
    typeof value[0] !== "number" ||
    typeof value[1] !== "number"
  )
    throw new Error(`op ${op.id}: attribute ${name} must be a pair of numbers`);
  return [value[0], value[1]];
}

/** Runs `f` and returns the gradients of its output against `xs`, weighted by `dy` (a VJP by autodiff). */
export function vjp(tf: Tf, f: (...xs: Tensor[]) => Tensor, xs: readonly Tensor[], dy: Tensor): Tensor[] {
  return tf.grads(f)([...xs], dy);
}

/** A product of a shape's extents (1 for a scalar). */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((product, extent) => product * extent, 1);
}
