/**
 * What the zoo's instance makers share: the raw instance document they emit (the JSON written to
 * files, optional fields left out when they hold their default), the options, `fixedBytes` and the
 * provenance text every generated instance carries in `source`.
 */
import { InternalError } from "../errors.js";
import type { InstanceDocument as BaseInstanceDocument } from "../instance/document.js";
import { parseInstance } from "../instance/parse.js";
import type { Hardware, MemoryParts } from "../instance/types.js";
import { elementCount } from "./ops/shape.js";
import { type Device, PCIE3_X16, V100 } from "./roofline.js";
import type { ZooGraph } from "./types.js";

/** The raw document types live with the instance format; the zoo's makers emit them with hardware. */
export type { NodeDocument } from "../instance/document.js";

/** An instance as the zoo writes it: always with a hardware block. */
export interface InstanceDocument extends BaseInstanceDocument {
  hardware: Hardware;
}

/** Optimizer state kept per parameter, in floats: SGD none, SGD with momentum 1, Adam 2. */
export const OPTIMIZER_STATE_FLOATS = { sgd: 0, momentum: 1, adam: 2 } as const;
export type Optimizer = keyof typeof OPTIMIZER_STATE_FLOATS;

/** How to make an instance from a zoo graph. */
export interface ZooInstanceOptions {
  /** `op`: one node per op (a DAG); `block`: one node per block (a chain). Default `op`. */
  readonly level?: "op" | "block";
  /** The instance name; default `{zoo}-{level}`. */
  readonly name?: string;
  /** The device of the roofline time model; default {@link V100}. */
  readonly device?: Device;
  /** The optimizer whose state counts in `fixedBytes`; default `sgd` (no state). */
  readonly optimizer?: Optimizer;
  /** How the instance was made (the command), written first in `source`. */
  readonly command?: string;
  /** One line naming the architecture and its paper, for `source`. */
  readonly description?: string;
}

/** The number of learned parameters of `graph` (a tied weight counts once). */
export function parameterCount(graph: ZooGraph): number {
  return graph.ops.reduce(
    (sum, op) => sum + op.params.reduce((inner, param) => inner + elementCount(param.shape), 0),
    0,
  );
}

/** What `fixedBytes` is made of: the parameters, their gradients and the optimizer's state, float32. */
export function memoryOf(graph: ZooGraph, optimizer: Optimizer): MemoryParts {
  const weights = 4 * parameterCount(graph);
  return { weights, gradients: weights, optimizer: weights * OPTIMIZER_STATE_FLOATS[optimizer] };
}

/** Bytes resident for the whole step: parameters, their gradients and the optimizer's state, float32. */
export function fixedBytesOf(graph: ZooGraph, optimizer: Optimizer): number {
  const parts = memoryOf(graph, optimizer);
  return parts.weights + parts.gradients + parts.optimizer;
}

/** The `source` text: the command, the architecture, and how bytes, times and fixedBytes were made. */
export function provenance(graph: ZooGraph, options: ZooInstanceOptions, levelText: string): string {
  const device = options.device ?? V100;
  const optimizer = options.optimizer ?? "sgd";
  const state = OPTIMIZER_STATE_FLOATS[optimizer];
  return [
    options.command ?? "made by remat's model zoo (src/zoo)",
    `${options.description ?? graph.zoo}, config ${JSON.stringify(graph.config)}.`,
    levelText,
    "Bytes exact from the shapes (4 bytes per element, float32 activations, NHWC).",
    `Times: roofline of ${device.name}: per op max(FLOPs / peak, bytes moved / bandwidth), forward and backward;` +
      " backward = 2x forward FLOPs for conv and dense, memory-bound ops by bytes moved (src/zoo/ops/cost.ts).",
    `fixedBytes: ${parameterCount(graph)} parameters x 4 bytes x (weights + gradients` +
      (state === 0 ? `; ${optimizer}, no optimizer state).` : ` + ${state} ${optimizer} state).`),
    `Hardware: PCIe 3.0 x16, ${PCIE3_X16.bandwidth / 1e6} GB/s each way, ${PCIE3_X16.latency} ms per transfer.`,
  ].join(" ");
}

/**
 * The document as text: top fields indented, one node per line, so that files diff and read well.
 * Always ends with a newline.
 */
export function formatDocument(document: BaseInstanceDocument): string {
  const { nodes, ...top } = document;
  const head = JSON.stringify(top, null, 2).replace(/\n}$/, "");
  const lines = nodes.map((node) => `    ${JSON.stringify(node)}`);
  return `${head},\n  "nodes": [\n${lines.join(",\n")}\n  ]\n}\n`;
}

/** Runs parseInstance on a generated document and returns it: a rejection is a bug in the zoo. */
export function checked(document: InstanceDocument): InstanceDocument {
  try {
    parseInstance(document);
  } catch (error) {
    throw new InternalError(`zoo made an invalid instance ${document.name}: ${(error as Error).message}`);
  }
  return document;
}
