/**
 * Reading a node's storage fields (DESIGN.md, "Storage modes"): the stored forms it offers, each with
 * the time of its conversion `C v MODE` and of its expansion `X v`, and the defaults of `elementBytes`
 * and `density`. A node that lists no mode offers none, so instances without these fields keep their
 * costs: no schedule of theirs can convert anything.
 */
import { type Checker, join } from "./checker.js";
import { STORAGE_MODES, type StorageCosts, type StorageMode } from "./types.js";

/** Default `elementBytes`: a float32 element, what every instance without the field describes. */
export const DEFAULT_ELEMENT_BYTES = 4;

/** Default `density`: every element non-zero, so a bitmap never pays (it stores every value plus the mask). */
export const DEFAULT_DENSITY = 1;

/** The fields of one mode's entry in `storage`. */
export const STORAGE_COST_FIELDS = ["convertMs", "expandMs"] as const;

/**
 * Reads `storage` at `path`: an object from mode names (`bitmap`, `fp16`, `bf16`) to
 * `{ convertMs, expandMs }` (both required, times in ms). Absent: no mode offered.
 * Issues: `type` (not an object), `unknown-field` (a key that is no mode, or a field of an entry that is
 * not one of the two), `required` / `type` / `negative` / `not-finite` / `too-large` for the times.
 */
export function readStorage(
  check: Checker,
  value: unknown,
  path: string,
): Partial<Record<StorageMode, StorageCosts>> {
  if (value === undefined) return {};
  const record = check.object(value, path);
  if (record === undefined) return {};
  check.knownFields(record, path, STORAGE_MODES);
  const storage: Partial<Record<StorageMode, StorageCosts>> = {};
  for (const mode of STORAGE_MODES) {
    if (record[mode] === undefined) continue;
    const at = join(path, mode);
    const entry = check.object(record[mode], at);
    if (entry === undefined) continue;
    check.knownFields(entry, at, STORAGE_COST_FIELDS);
    storage[mode] = {
      convertMs: check.amount(entry.convertMs, join(at, "convertMs"), { kind: "ms" }),
      expandMs: check.amount(entry.expandMs, join(at, "expandMs"), { kind: "ms" }),
    };
  }
  return storage;
}
