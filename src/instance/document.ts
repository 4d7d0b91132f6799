/**
 * The raw instance document, as written to a file: optional fields left out when they hold their
 * default (src/instance/types.ts documents each field). Generators build these, then parseInstance
 * checks them and fills the defaults.
 */
import type { BatchModel } from "./batch-model.js";
import type { Hardware, MemoryParts, ModelSpec, NeedsWord, StorageCosts, StorageMode } from "./types.js";

/** One node as written to a file. */
export interface NodeDocument {
  id: string;
  fwd: number;
  bwd: number;
  bytes: number;
  gradBytes?: number;
  inputs?: string[];
  needs?: NeedsWord[];
  tapeBytes?: number;
  fwdTemp?: number;
  bwdTemp?: number;
  recomputable?: boolean;
  offloadable?: boolean;
  elementBytes?: number;
  density?: number;
  storage?: Partial<Record<StorageMode, StorageCosts>>;
  meta?: Record<string, unknown>;
}

/** An instance as written to a file, before parseInstance fills its defaults. */
export interface InstanceDocument {
  format: "remat-instance/1";
  name: string;
  source: string;
  fixedBytes: number;
  memory?: MemoryParts;
  hardware?: Hardware;
  model?: ModelSpec;
  batchModel?: BatchModel;
  nodes: NodeDocument[];
}
