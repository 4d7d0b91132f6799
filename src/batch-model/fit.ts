/**
 * Fitting an instance's batch model (src/instance/batch-model.ts) to documents of the same network at
 * several batch sizes, and the summary of how well each field fits, for `remat profile --batches`.
 */
import { InputError } from "../errors.js";
import {
  BATCH_FIELDS,
  BATCH_SIZE_FIELDS,
  type BatchField,
  type BatchLine,
  type BatchModel,
} from "../instance/batch-model.js";
import type { InstanceDocument, NodeDocument } from "../instance/document.js";
import { fitLine, type LineKind, lineKind } from "./regression.js";

/** One document and the batch size it was made at. */
export interface BatchDocument {
  readonly batch: number;
  readonly document: InstanceDocument;
}

/** A field's value in a node document (the document's defaults filled in). */
function fieldValue(node: NodeDocument, field: BatchField): number {
  if (field === "gradBytes") return node.gradBytes ?? node.bytes;
  return node[field] ?? 0;
}

/**
 * The batch model of `profiles` (at least two distinct batches of one network: the same node ids in
 * the same order), with the instance's own nodes taken at `batch`.
 * @throws InputError (code `structure`) when the documents do not have the same nodes
 */
export function fitBatchModel(profiles: readonly BatchDocument[], batch: number): BatchModel {
  const sorted = [...profiles].sort((a, b) => a.batch - b.batch);
  const batches = sorted.map((profile) => profile.batch);
  const first = sorted[0]?.document;
  if (first === undefined || new Set(batches).size !== batches.length || batches.length < 2)
    throw new InputError("fitBatchModel", [
      {
        code: "structure",
        path: "batches",
        expected: "at least two distinct batches",
        received: batches.join(","),
      },
    ]);
  for (const { batch: at, document } of sorted) sameNodes(first, document, at);
  const nodes: Record<string, Partial<Record<BatchField, BatchLine>>> = {};
  first.nodes.forEach((node, index) => {
    const lines: Partial<Record<BatchField, BatchLine>> = {};
    for (const field of BATCH_FIELDS) {
      const values = sorted.map(({ document }) => fieldValue(document.nodes[index] as NodeDocument, field));
      if (values.some((value) => value !== 0))
        lines[field] = fitLine(batches, values, BATCH_SIZE_FIELDS.has(field));
    }
    nodes[node.id] = lines;
  });
  const fixedBytes = fitLine(
    batches,
    sorted.map(({ document }) => document.fixedBytes),
    true,
  );
  return { batches, batch, fixedBytes, nodes };
}

function sameNodes(first: InstanceDocument, other: InstanceDocument, batch: number): void {
  const same =
    other.nodes.length === first.nodes.length &&
    other.nodes.every((node, index) => node.id === first.nodes[index]?.id);
  if (!same)
    throw new InputError("fitBatchModel", [
      {
        code: "structure",
        path: `batch ${batch}`,
        expected: `the nodes of the first profile (${first.nodes.length}, same ids in the same order)`,
        received: `${other.nodes.length} nodes`,
      },
    ]);
}

/** How one field fits across the nodes that have it. */
export interface FieldFit {
  readonly field: BatchField | "fixedBytes";
  readonly counts: Readonly<Record<LineKind, number>>;
  /** The largest residual relative to the field's largest fitted value at the largest batch (0 when exact). */
  readonly worstRelativeResidual: number;
  /** The node with that residual (null when every line is exact). */
  readonly worstNode: string | null;
  /** The sum of the nodes' largest residuals relative to the sum of their fitted values at the largest batch. */
  readonly totalRelativeResidual: number;
}

/** Per field: how many nodes' lines are constant, exactly linear or approximate, and the worst residual. */
export function summarizeBatchModel(model: BatchModel): FieldFit[] {
  const last = model.batches[model.batches.length - 1] as number;
  const fits: FieldFit[] = BATCH_FIELDS.map((field) => {
    const counts = { constant: 0, linear: 0, approximate: 0 };
    let worst = 0;
    let worstNode: string | null = null;
    let residuals = 0;
    let total = 0;
    for (const [id, lines] of Object.entries(model.nodes)) {
      const line = lines[field];
      if (line === undefined) continue;
      counts[lineKind(line)] += 1;
      const scale = Math.abs(line.intercept + line.slope * last);
      residuals += line.maxResidual;
      total += scale;
      const relative = line.maxResidual === 0 ? 0 : line.maxResidual / Math.max(scale, Number.MIN_VALUE);
      if (relative > worst) [worst, worstNode] = [relative, id];
    }
    const totalRelativeResidual = residuals === 0 ? 0 : residuals / Math.max(total, Number.MIN_VALUE);
    return { field, counts, worstRelativeResidual: worst, worstNode, totalRelativeResidual };
  });
  const fixed = model.fixedBytes;
  const fixedScale = Math.abs(fixed.intercept + fixed.slope * last);
  fits.push({
    field: "fixedBytes",
    counts: { constant: 0, linear: 0, approximate: 0, [lineKind(fixed)]: 1 },
    worstRelativeResidual: fixed.maxResidual === 0 ? 0 : fixed.maxResidual / Math.max(fixedScale, 1),
    worstNode: null,
    totalRelativeResidual: fixed.maxResidual === 0 ? 0 : fixed.maxResidual / Math.max(fixedScale, 1),
  });
  return fits;
}
