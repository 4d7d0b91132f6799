/** A zoo graph as an instance at either level: one node per op, or one chain stage per block. */
import { parseInstance } from "../instance/parse.js";
import type { Instance } from "../instance/types.js";
import type { InstanceDocument, ZooInstanceOptions } from "./document.js";
import { toBlockDocument } from "./to-chain.js";
import { toOpDocument } from "./to-instance.js";
import type { ZooGraph } from "./types.js";

/** The instance document of `graph` at `options.level` (default `op`). */
export function toInstanceDocument(graph: ZooGraph, options: ZooInstanceOptions = {}): InstanceDocument {
  return options.level === "block" ? toBlockDocument(graph, options) : toOpDocument(graph, options);
}

/** The validated, frozen instance of `graph` at `options.level` (default `op`). */
export function toInstance(graph: ZooGraph, options: ZooInstanceOptions = {}): Instance {
  return parseInstance(toInstanceDocument(graph, options));
}
