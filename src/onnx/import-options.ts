/** What `remat import` (src/onnx/import.ts) takes and gives. */
import type { InstanceDocument, Optimizer } from "../zoo/document.js";
import type { Device } from "../zoo/roofline.js";
import type { KernelMapping } from "./runnable.js";

/** How to import. */
export interface ImportOptions {
  /** The batch size: replaces the first dimension of every graph input. */
  readonly batch?: number;
  /** Shapes of graph inputs by name, for symbolic or overridden dimensions. */
  readonly inputShapes?: Readonly<Record<string, readonly number[]>>;
  /** Device of the roofline times; default V100. */
  readonly device?: Device;
  /** The loss appended to the graph's single output; default `mean-square`. */
  readonly loss?: "mean-square" | "cross-entropy" | "none";
  readonly optimizer?: Optimizer;
  /** Instance name; default the graph's name. */
  readonly name?: string;
  /** The file, for error messages and `source`. */
  readonly file?: string;
}

/** An imported instance and what the importer could only read conservatively. */
export interface ImportResult {
  readonly document: InstanceDocument;
  /** One line per op read conservatively (unknown to the table). */
  readonly warnings: readonly string[];
  /**
   * Whether every node has a kernel, so that the simulator can run the instance with the file's
   * weights (src/onnx/runnable.ts): the zoo graph and parameter bindings, or the nodes without one.
   */
  readonly kernels: KernelMapping;
}

/** Where import errors are reported from. */
export const SITE = "remat import";
