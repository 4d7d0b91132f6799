/** The instance document of an imported graph: its nodes, fixedBytes from the initializers it uses, provenance. */
import type { InstanceDocument, NodeDocument, Optimizer } from "../zoo/document.js";
import { OPTIMIZER_STATE_FLOATS } from "../zoo/document.js";
import { type Device, PCIE3_X16 } from "../zoo/roofline.js";
import type { OnnxModel, OnnxTensor } from "./model.js";
import { count, valueBytes } from "./values.js";

/** What the importer found, for the document. */
export interface ImportedParts {
  readonly model: OnnxModel;
  readonly nodes: NodeDocument[];
  readonly initializers: ReadonlyMap<string, OnnxTensor>;
  /** Initializers some node reads. */
  readonly used: ReadonlySet<string>;
  /** Of those, the learned parameters (the rest are buffers and constants). */
  readonly learned: ReadonlySet<string>;
  readonly warnings: readonly string[];
  readonly device: Device;
  readonly optimizer: Optimizer;
  readonly name?: string;
  readonly file?: string;
}

/**
 * The instance document: learned parameters count with their gradients and optimizer state in
 * `fixedBytes`, other initializers once; `source` says how it was made.
 */
export function importedDocument(parts: ImportedParts): InstanceDocument {
  const { optimizer, model, device, warnings } = parts;
  const state = OPTIMIZER_STATE_FLOATS[optimizer];
  let learned = 0;
  let buffers = 0;
  let parameters = 0;
  for (const name of parts.used) {
    const tensor = parts.initializers.get(name) as OnnxTensor;
    const bytes = valueBytes({ shape: tensor.dims, dtype: tensor.dataType });
    if (parts.learned.has(name)) {
      learned += 2 * bytes + 4 * state * count(tensor.dims);
      parameters += count(tensor.dims);
    } else buffers += bytes;
  }
  const graph = model.graph;
  return {
    format: "remat-instance/1",
    name: parts.name ?? (graph.name.replace(/[^A-Za-z0-9_.-]/g, "_") || "onnx-model"),
    source: [
      `Imported from ONNX${parts.file === undefined ? "" : ` ${parts.file}`} by remat import (src/onnx)${model.producer === undefined ? "" : `, produced by ${model.producer}`}.`,
      "One node per ONNX node (ids are the node names); bytes exact from shapes and element types; needs from each op's backward (src/onnx/ops.ts, src/zoo/ops/backward.ts).",
      `Times: roofline of ${device.name} (src/zoo/ops/cost.ts).`,
      `fixedBytes: ${parameters} learned parameters x (weights + gradients${state === 0 ? "" : ` + ${state} ${optimizer} state floats`}), plus ${buffers} bytes of other initializers (buffers, constants).`,
      ...(warnings.length > 0
        ? [`Read conservatively: ${warnings.length} node(s) of ops not in the table.`]
        : []),
    ].join(" "),
    fixedBytes: learned + buffers,
    hardware: PCIE3_X16,
    nodes: parts.nodes,
  };
}
