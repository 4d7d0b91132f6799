/**
 * An instance's optional `batchModel` block: per node, a straight line of each size and time against
 * the batch size, fitted to profiles at several batch sizes (`remat profile --batches`), as Naveen &
 * Kumar (IEEE HPCC 2019) model each layer's memory by linear regression. With it an instance predicts
 * itself at a batch that was never profiled (src/batch-model/predict.ts). The block is read here and never
 * by solvers: the instance's own nodes are the profile at one of the batches (`batch`).
 */
import { type Checker, join } from "./checker.js";
import { BATCH_FIELDS, type BatchField, type BatchLine, type BatchModel } from "./types.js";

export type { BatchField, BatchLine, BatchModel } from "./types.js";
export { BATCH_FIELDS, BATCH_SIZE_FIELDS } from "./types.js";

const TOP = ["batches", "batch", "fixedBytes", "nodes"] as const;
const LINE = ["intercept", "slope", "maxResidual"] as const;

/**
 * Reads `batchModel` (absent: undefined). Node ids are checked against the instance's by
 * {@link batchModelIdIssues} once the nodes are read.
 * Issues: `type`, `required`, `unknown-field`, `not-finite`, `negative`, `not-integer`, and
 * `bad-value` for batches that are not increasing positive integers (at least two) or a `batch` not
 * among them.
 */
export function readBatchModel(check: Checker, value: unknown): BatchModel | undefined {
  if (value === undefined) return undefined;
  const record = check.object(value, "batchModel");
  if (record === undefined) return undefined;
  check.knownFields(record, "batchModel", TOP);
  const before = check.issues.length;
  const batches = readBatches(check, record.batches);
  const batch = check.amount(record.batch, "batchModel.batch", { kind: "count" });
  if (batches.length > 0 && check.issues.length === before && !batches.includes(batch))
    check.add("bad-value", "batchModel.batch", `one of the batches ${batches.join(", ")}`, batch);
  const fixedBytes = readLine(check, record.fixedBytes, "batchModel.fixedBytes");
  const nodesRecord = check.object(record.nodes, "batchModel.nodes") ?? {};
  const nodes: Record<string, Partial<Record<BatchField, BatchLine>>> = {};
  for (const [id, entry] of Object.entries(nodesRecord)) {
    const path = join("batchModel.nodes", id);
    const fields = check.object(entry, path);
    if (fields === undefined) continue;
    check.knownFields(fields, path, BATCH_FIELDS);
    const lines: Partial<Record<BatchField, BatchLine>> = {};
    for (const field of BATCH_FIELDS)
      if (fields[field] !== undefined) lines[field] = readLine(check, fields[field], join(path, field));
    nodes[id] = lines;
  }
  return { batches, batch, fixedBytes, nodes };
}

/** One issue per node id of the model that the instance does not have, and per node it leaves out. */
export function batchModelIdIssues(check: Checker, model: BatchModel, ids: readonly string[]): void {
  const known = new Set(ids);
  for (const id of Object.keys(model.nodes))
    if (!known.has(id)) check.add("unknown-id", join("batchModel.nodes", id), "the id of a node", id);
  for (const id of ids)
    if (model.nodes[id] === undefined)
      check.add("required", join("batchModel.nodes", id), "a line per fitted field of every node", undefined);
}

function readBatches(check: Checker, value: unknown): number[] {
  const expected = "increasing positive integers, at least two";
  if (!Array.isArray(value) || value.length < 2) {
    check.add(value === undefined ? "required" : "bad-value", "batchModel.batches", expected, value);
    return [];
  }
  const increasing = value.every(
    (batch, i) =>
      Number.isInteger(batch) && (batch as number) >= 1 && (i === 0 || (batch as number) > value[i - 1]),
  );
  if (!increasing) check.add("bad-value", "batchModel.batches", expected, value);
  return increasing ? (value as number[]) : [];
}

function readLine(check: Checker, value: unknown, path: string): BatchLine {
  const record = check.object(value, path);
  if (record === undefined) return { intercept: 0, slope: 0, maxResidual: 0 };
  check.knownFields(record, path, LINE);
  return {
    intercept: finite(check, record.intercept, join(path, "intercept")),
    slope: finite(check, record.slope, join(path, "slope")),
    maxResidual: check.amount(record.maxResidual, join(path, "maxResidual"), { kind: "ms" }),
  };
}

/** A finite number of either sign (a fitted coefficient). */
function finite(check: Checker, value: unknown, path: string): number {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  check.add(value === undefined ? "required" : "type", path, "a finite number", value);
  return 0;
}
