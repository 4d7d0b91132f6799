/**
 * The values of an imported model's parameters (issue 16 item 2): each {@link ParamBinding}'s
 * initializer read from the file (float32 `raw_data`, little-endian, or `float_data`) and permuted into
 * the kernels' layout, and {@link onnxNetwork}, which gives the simulator an ONNX file's network and weights.
 */
import { InputError, type InputIssue } from "../errors.js";
import type { OnnxModelSource } from "../instance/types.js";
import type { ZooGraph } from "../zoo/types.js";
import { decodeModel } from "./decode.js";
import { importOnnx } from "./import.js";
import type { OnnxTensor } from "./model.js";
import { permute } from "./permute.js";
import type { ParamBinding } from "./runnable.js";
import { count, FLOAT } from "./values.js";

const SITE = "remat simulate";

/** An ONNX model as the simulator runs it: its zoo graph and every parameter's values, by key `opId/name`. */
export interface OnnxNetwork {
  readonly graph: ZooGraph;
  readonly weights: ReadonlyMap<string, Float32Array>;
}

/**
 * The network of the ONNX file `bytes` imported with `source`'s options, with the file's weights.
 * @throws InputError: the file does not import (as `remat import` says), a node has no kernel (code
 *   `structure`, path `model.onnx`, one issue per node), or a parameter's values are not in the file as
 *   float32 (path `graph.initializer[i]`)
 */
export function onnxNetwork(
  bytes: Uint8Array,
  source: Pick<OnnxModelSource, "batch" | "inputShapes" | "loss">,
  file?: string,
): OnnxNetwork {
  const { kernels } = importOnnx(bytes, {
    ...(source.batch === undefined ? {} : { batch: source.batch }),
    ...(source.inputShapes === undefined ? {} : { inputShapes: source.inputShapes }),
    loss: source.loss,
    ...(file === undefined ? {} : { file }),
  });
  if (!kernels.runnable)
    throw new InputError(
      SITE,
      kernels.missing.map((line) => ({
        code: "structure",
        path: "model.onnx",
        expected: "every node an op with a kernel (src/onnx/runnable.ts)",
        received: line,
      })),
      file,
    );
  const initializers = decodeModel(bytes).graph.initializers;
  return { graph: kernels.graph, weights: onnxWeights(initializers, kernels.bindings, file) };
}

/**
 * The values of each bound parameter, in the zoo's layout.
 * @throws InputError (path `graph.initializer[i]`) for an initializer that is missing, not float32, kept
 *   in an external file, or of the wrong length
 */
export function onnxWeights(
  initializers: readonly OnnxTensor[],
  bindings: readonly ParamBinding[],
  file?: string,
): Map<string, Float32Array> {
  const index = new Map(initializers.map((tensor, at) => [tensor.name, at] as const));
  const issues: InputIssue[] = [];
  const weights = new Map<string, Float32Array>();
  for (const binding of bindings) {
    const at = index.get(binding.initializer);
    const tensor = at === undefined ? undefined : initializers[at];
    const path = `graph.initializer[${at ?? "?"}]`;
    const values = tensor === undefined ? "missing" : floatValues(tensor);
    if (typeof values === "string") {
      issues.push({
        code: "bad-value",
        path,
        expected: `the float32 values of "${binding.initializer}" (parameter ${binding.key})`,
        received: values,
      });
      continue;
    }
    const dims = (tensor as OnnxTensor).dims;
    weights.set(binding.key, binding.perm === undefined ? values : permute(values, dims, binding.perm));
  }
  if (issues.length > 0) throw new InputError(SITE, issues, file);
  return weights;
}

/** A float32 tensor's values, or what is wrong with them. */
function floatValues(tensor: OnnxTensor): Float32Array | string {
  if (tensor.dataType !== FLOAT) return `data type ${tensor.dataType}`;
  if (tensor.external === true) return "data in an external file (save the model with its weights inside)";
  const size = count(tensor.dims);
  if (tensor.floatData !== undefined && tensor.floatData.length === size)
    return Float32Array.from(tensor.floatData);
  const raw = tensor.raw;
  if (raw === undefined || raw.length !== 4 * size)
    return `${raw?.length ?? 0} bytes of data for ${size} elements`;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = view.getFloat32(4 * i, true);
  return values;
}
