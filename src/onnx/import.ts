/**
 * ONNX model -> remat instance (issue 16 item 1). Walks the graph in its (topological) order: graph
 * inputs become data sources, every node with an activation input becomes one instance node (its ONNX
 * name kept as the id), nodes computed from constants alone are folded away (a transposed weight, a
 * shape computation), and a MatMul with a weight followed by the Add of a bias becomes one dense node
 * (as PyTorch's Linear exports on 3-D inputs). Bytes are exact from shapes and element types; `needs`,
 * temporaries and FLOPs come from the op table (src/onnx/ops.ts, which defers to the zoo's); times are a
 * roofline of the chosen device; float initializers (but for scalars and BatchNormalization's running
 * statistics) are learned parameters, counted in `fixedBytes` with their gradients and optimizer state.
 * A loss is appended to the graph's output (ONNX exports of inference graphs have none): mean-square by
 * default, or softmax cross-entropy against int32 labels, classes on axis 1 for 4-D outputs (images,
 * as PyTorch) and on the last axis otherwise.
 */
import { InputError } from "../errors.js";
import { decodeModel } from "./decode.js";
import { type ImportOptions, type ImportResult, SITE } from "./import-options.js";
import { Importer } from "./importer.js";
import { OnnxFormatError, type OnnxModel } from "./model.js";

export type { ImportOptions, ImportResult } from "./import-options.js";

/**
 * Imports the ONNX model in `bytes` as an op-level instance.
 * @throws InputError (code `file` for unreadable bytes, `structure` or `option` otherwise), naming the
 *   message path or the node and op
 */
export function importOnnx(bytes: Uint8Array, options: ImportOptions = {}): ImportResult {
  let model: OnnxModel;
  try {
    model = decodeModel(bytes);
  } catch (error) {
    if (error instanceof OnnxFormatError)
      throw new InputError(
        SITE,
        [
          {
            code: "file",
            path: error.path,
            expected: "a well-formed ONNX model (ModelProto)",
            received: error.problem,
          },
        ],
        options.file,
      );
    throw error;
  }
  return new Importer(model, options).run();
}
