/**
 * The stored forms a chain's segment starts may wait in (proofs/chain-dp.md, "Stored forms"): for each
 * node `v_k` that starts a segment (k = 0..L-1), the modes it offers among those allowed, with the bytes
 * of `s:v_k` (src/evaluate/storage.ts, the evaluator's own sizes) and the time a wait in that form adds
 * (`convertMs + expandMs`). Only forms smaller than `a_v_k` itself are listed: a form at least as large
 * holds no less memory at every moment and adds time, so leaving it out changes no optimum (the proof's
 * "dominated forms"). O(L * modes).
 */
import { storedBytes } from "../../src/evaluate/storage.js";
import type { Instance, StorageMode } from "../../src/instance/types.js";
import type { ChainView } from "./chain-view.js";

/** One stored form a segment start may wait in. */
export interface StoredOption {
  readonly mode: StorageMode;
  /** Bytes of `s:v_k`. */
  readonly bytes: number;
  /** `convertMs + expandMs` of the mode, ms: what one wait in the form adds to the makespan. */
  readonly ms: number;
}

/** The options of every segment start `v_k`, k = 0..L-1 (empty lists where none pays). */
export type StoredOptions = readonly (readonly StoredOption[])[];

/**
 * The stored forms smaller than the activation that each `v_k` (k < L) offers among `allowed`, in the
 * order of `allowed`.
 */
export function storedOptions(
  instance: Instance,
  view: ChainView,
  allowed: readonly StorageMode[],
): StoredOptions {
  const byId = new Map(instance.nodes.map((node) => [node.id, node]));
  const out: StoredOption[][] = [];
  for (let k = 0; k < view.length; k++) {
    const node = byId.get(view.ids[k] as string);
    const options: StoredOption[] = [];
    for (const mode of allowed) {
      const costs = node?.storage[mode];
      if (node === undefined || costs === undefined) continue;
      const bytes = storedBytes(node, mode);
      if (bytes < node.bytes) options.push({ mode, bytes, ms: costs.convertMs + costs.expandMs });
    }
    out.push(options);
  }
  return out;
}

/** Whether any segment start may wait in a stored form. */
export function anyStoredOption(options: StoredOptions): boolean {
  return options.some((list) => list.length > 0);
}
