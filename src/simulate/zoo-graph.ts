/**
 * The network an instance's `model` block names: a zoo network built with its config, or an imported
 * ONNX file's graph with the file's own weights (src/onnx/weights.ts).
 */
import { InputError } from "../errors.js";
import type { ModelSpec } from "../instance/types.js";
import { onnxNetwork } from "../onnx/weights.js";
import { zooModel } from "../zoo/registry.js";
import type { ZooGraph } from "../zoo/types.js";

/** A network to run: its graph, and its parameters' values when they are not the seeded ones. */
export interface RunnableModel {
  readonly graph: ZooGraph;
  /** Parameter values by key `opId/name`, in the kernels' layout; absent: initialised from the seed. */
  readonly weights?: ReadonlyMap<string, Float32Array>;
}

/** What the simulator may be given instead of building the network from the `model` block alone. */
export interface ModelOptions {
  /** The network to run; default: built from the instance's `model` block. */
  readonly graph?: ZooGraph;
  /** Parameter values by key `opId/name` (default: the model's own for an ONNX model, else seeded). */
  readonly weights?: ReadonlyMap<string, Float32Array>;
  /** The bytes of the ONNX file a `model.onnx` block names (the CLI reads it next to the instance). */
  readonly onnx?: Uint8Array;
}

/**
 * The zoo network an instance's `model` block names, built with its config.
 * @throws InputError from the zoo: an unknown network (code `option`, path `model`) or a bad config key;
 *   for an ONNX model (code `required`, path `model.onnx`), whose network needs its file's bytes
 */
export function zooGraphOf(model: ModelSpec): ZooGraph {
  if (model.onnx !== undefined)
    throw new InputError("simulate", [
      {
        code: "required",
        path: "model.onnx",
        expected: `the bytes of ${model.onnx.file} (options.onnx), which hold the network and its weights`,
        received: "none",
      },
    ]);
  return zooModel(model.zoo).build(model.config);
}

/** The network to run for `model`, from the options or the `model` block (an ONNX model from `options.onnx`). */
export function runnableModel(model: ModelSpec, options: ModelOptions): RunnableModel {
  const weights = options.weights === undefined ? {} : { weights: options.weights };
  if (options.graph !== undefined) return { graph: options.graph, ...weights };
  if (model.onnx !== undefined && options.onnx !== undefined) {
    const network = onnxNetwork(options.onnx, model.onnx, model.onnx.file);
    return { graph: network.graph, weights: options.weights ?? network.weights };
  }
  return { graph: zooGraphOf(model), ...weights };
}
