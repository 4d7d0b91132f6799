/**
 * The instance at a batch size that was not profiled, from its batch model (src/instance/batch-model.ts):
 * every fitted size and time read off its line at that batch. Sizes on exact lines are exact; with the
 * safety margin each value is raised by its line's largest residual over the profiled batches, which
 * bounds the error at those batches and is an assumption beyond them (extrapolation).
 */
import { InputError } from "../errors.js";
import { BATCH_FIELDS, BATCH_SIZE_FIELDS, type BatchModel } from "../instance/batch-model.js";
import type { InstanceDocument, NodeDocument } from "../instance/document.js";
import { parseInstance } from "../instance/parse.js";
import type { Instance } from "../instance/types.js";
import { predictOnLine } from "./regression.js";

/** Options of {@link predictDocument}. */
export interface PredictInstanceOptions {
  /** Add each line's largest residual (default false: the fitted value). */
  readonly margin?: boolean;
  /** The predicted instance's name (default `{name}-b{batch}-predicted`). */
  readonly name?: string;
}

/**
 * The document of `document`'s network at `batch`, predicted from its `batchModel`. The prediction has
 * no batch model and no stored forms (their conversion times were measured at the profiled batch only);
 * its model block's config says the new batch, so that `remat simulate` builds the zoo network at it
 * (an ONNX model block is dropped: the file's graph is at the batch it was imported at).
 * @throws InputError (code `required`, path `batchModel`) when the document has none; (code
 *   `option`, path `batch`) for a batch that is not a positive integer
 */
export function predictDocument(
  document: InstanceDocument,
  batch: number,
  options: PredictInstanceOptions = {},
): InstanceDocument {
  const model = document.batchModel;
  if (model === undefined)
    throw new InputError("predictInstance", [
      {
        code: "required",
        path: "batchModel",
        expected: "a batch model (made by remat profile --batches)",
        received: "none",
      },
    ]);
  if (!Number.isInteger(batch) || batch < 1)
    throw new InputError("predictInstance", [
      { code: "option", path: "batch", expected: "a positive integer", received: String(batch) },
    ]);
  const margin = options.margin ?? false;
  const fixedBytes = predictOnLine(model.fixedBytes, batch, { integer: true, margin });
  const { batchModel: _dropped, memory, model: spec, ...rest } = document;
  return {
    ...rest,
    name: options.name ?? `${document.name}-b${batch}-predicted`,
    source: `${document.source} Predicted at batch ${batch} from the batch model fitted to batches ${model.batches.join(", ")} (${margin ? "each value raised by its line's largest residual" : "fitted values, no margin"}; remat predict).`,
    fixedBytes,
    ...(memory !== undefined && fixedBytes === document.fixedBytes ? { memory } : {}),
    ...(spec?.zoo === undefined ? {} : { model: { ...spec, config: { ...spec.config, batch } } }),
    nodes: document.nodes.map((node) => predictNode(node, model, batch, margin)),
  };
}

/** {@link predictDocument}, parsed. @throws as predictDocument */
export function predictInstance(
  document: InstanceDocument,
  batch: number,
  options: PredictInstanceOptions = {},
): Instance {
  return parseInstance(predictDocument(document, batch, options));
}

function predictNode(node: NodeDocument, model: BatchModel, batch: number, margin: boolean): NodeDocument {
  const lines = model.nodes[node.id] ?? {};
  const { storage: _measuredAtProfiledBatch, ...predicted } = node;
  const out: NodeDocument = { ...predicted };
  for (const field of BATCH_FIELDS) {
    const line = lines[field];
    const value =
      line === undefined ? 0 : predictOnLine(line, batch, { integer: BATCH_SIZE_FIELDS.has(field), margin });
    if (field === "gradBytes") out.gradBytes = value;
    else if (field === "fwd" || field === "bwd" || field === "bytes") out[field] = value;
    else if (value === 0) delete out[field];
    else out[field] = value;
  }
  return out;
}
