/**
 * A zoo graph made runnable: every parameter as a tensor (initialised deterministically from a seed),
 * the data of every input as a host array, and for each op the table of its parameters by name (a tied
 * dense finds the tied op's weight under `weight`).
 *
 * Initialisation: weights Glorot-uniform (limit sqrt(6 / (fanIn + fanOut)), fanOut the last extent,
 * fanIn the product of the others), `gamma` ones, `bias` and `beta` zeros. Float inputs uniform in
 * [-1, 1); int inputs uniform over the range their consumer reads (an embedding's vocabulary, the loss's
 * classes).
 */
import { InputError } from "../errors.js";
import type { ZooGraph, ZooOp } from "../zoo/types.js";
import type { ParamTensors } from "./kernels/types.js";
import { integerArray, uniformArray } from "./random.js";
import type { Tensor, Tf } from "./tf.js";

/** The host data of an input op. */
export interface InputData {
  readonly values: Float32Array | Int32Array;
  readonly dtype: "float32" | "int32";
}

export interface Network {
  readonly graph: ZooGraph;
  readonly opById: ReadonlyMap<string, ZooOp>;
  /** Every parameter tensor by key `opId/name`. */
  readonly params: ReadonlyMap<string, Tensor>;
  /** Per op: its parameters by name. */
  readonly paramsOf: ReadonlyMap<string, ParamTensors>;
  /** Per op: the key of each of its parameter names (a tied weight's key is the tied op's). */
  readonly paramKeysOf: ReadonlyMap<string, ReadonlyMap<string, string>>;
  readonly inputs: ReadonlyMap<string, InputData>;
  /** Bytes of all parameter tensors. */
  readonly paramBytes: number;
}

/** Bytes of a float32 or int32 element. */
export const BYTES_PER_ELEMENT = 4;

function initialValues(seed: number, key: string, name: string, shape: readonly number[]): Float32Array {
  const size = shape.reduce((p, e) => p * e, 1);
  if (name === "gamma") return new Float32Array(size).fill(1);
  if (name === "bias" || name === "beta") return new Float32Array(size);
  const fanOut = shape[shape.length - 1] ?? 1;
  const fanIn = size / fanOut;
  return uniformArray(seed, key, size, Math.sqrt(6 / (fanIn + fanOut)));
}

/** The values of parameter `key`: the given ones (checked against its shape), else seeded. */
function paramValues(
  seed: number,
  weights: ReadonlyMap<string, Float32Array> | undefined,
  key: string,
  { name, shape }: { readonly name: string; readonly shape: readonly number[] },
): Float32Array {
  if (weights === undefined) return initialValues(seed, key, name, shape);
  const values = weights.get(key);
  const size = shape.reduce((p, e) => p * e, 1);
  if (values !== undefined && values.length === size) return values;
  throw new InputError("simulate", [
    {
      code: "option",
      path: `weights.${key}`,
      expected: `${size} float32 values (shape [${shape}])`,
      received: values === undefined ? "missing" : `${values.length} values`,
    },
  ]);
}

/** The exclusive upper bound of the ids an int input holds, from what reads it. */
function integerBound(graph: ZooGraph, input: ZooOp): number {
  for (const op of graph.ops) {
    const position = op.inputs.indexOf(input.id);
    if (position < 0) continue;
    if (op.type === "embedding" && typeof op.attrs.vocab === "number") return op.attrs.vocab;
    if (op.type === "softmax-cross-entropy" && position === 1) {
      const logits = graph.ops.find((o) => o.id === op.inputs[0]);
      const classes = logits?.shape[logits.shape.length - 1];
      if (classes !== undefined) return classes;
    }
  }
  throw new Error(`buildNetwork: cannot tell the range of the int input ${input.id} from its consumers`);
}

/**
 * Builds the network of `graph` with parameters from `seed`, or with `weights` (by key `opId/name`) when given.
 * @throws Error when a tied op or an int input's range cannot be resolved (a zoo bug); InputError
 *   (code `option`, path `weights.KEY`) when `weights` lack a parameter or hold one of the wrong size
 */
export function buildNetwork(
  tf: Tf,
  graph: ZooGraph,
  seed: number,
  weights?: ReadonlyMap<string, Float32Array>,
): Network {
  const opById = new Map(graph.ops.map((op) => [op.id, op] as const));
  const params = new Map<string, Tensor>();
  const paramsOf = new Map<string, Map<string, Tensor>>();
  const paramKeysOf = new Map<string, Map<string, string>>();
  const inputs = new Map<string, InputData>();
  let paramBytes = 0;
  for (const op of graph.ops) {
    const own = new Map<string, Tensor>();
    const keys = new Map<string, string>();
    for (const spec of op.params) {
      const key = `${op.id}/${spec.name}`;
      const tensor = tf.tensor(paramValues(seed, weights, key, spec), [...spec.shape], "float32");
      params.set(key, tensor);
      paramBytes += tensor.size * BYTES_PER_ELEMENT;
      own.set(spec.name, tensor);
      keys.set(spec.name, key);
    }
    const tiedTo = op.attrs.tiedTo;
    if (typeof tiedTo === "string") {
      const key = `${tiedTo}/weight`;
      const tied = params.get(key);
      if (tied === undefined)
        throw new Error(`buildNetwork: ${op.id} is tied to ${tiedTo}, which has no weight before it`);
      own.set("weight", tied);
      keys.set("weight", key);
    }
    paramsOf.set(op.id, own);
    paramKeysOf.set(op.id, keys);
    if (op.type === "input") {
      const size = op.shape.reduce((p, e) => p * e, 1);
      inputs.set(
        op.id,
        op.attrs.dtype === "int32"
          ? { dtype: "int32", values: integerArray(seed, op.id, size, integerBound(graph, op)) }
          : { dtype: "float32", values: uniformArray(seed, op.id, size, 1) },
      );
    }
  }
  return { graph, opById, params, paramsOf, paramKeysOf, inputs, paramBytes };
}

/** Frees every parameter tensor of `network`. */
export function disposeNetwork(network: Network): void {
  for (const tensor of network.params.values()) tensor.dispose();
}
