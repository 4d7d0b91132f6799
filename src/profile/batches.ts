/**
 * `remat profile --batches`: the profiler run at several batch sizes, and a batch model fitted to the
 * profiles (Naveen & Kumar, IEEE HPCC 2019: per-layer memory linear in the batch), so that the instance
 * predicts itself at batches never profiled (src/batch-model/predict.ts).
 */

import { fitBatchModel } from "../batch-model/fit.js";
import { InputError } from "../errors.js";
import type { InstanceDocument } from "../zoo/document.js";
import { type ProfileOptions, type ProfileReport, profileModelReport } from "./profile.js";

/** The profiles at each batch and the instance at the largest one, carrying the fitted batch model. */
export interface BatchProfileReport {
  /** The profile at the largest batch, with `batchModel`. */
  readonly document: InstanceDocument;
  readonly profiles: readonly { readonly batch: number; readonly report: ProfileReport }[];
}

/**
 * Profiles the zoo network `zoo` at each of `batches` (at least two distinct positive integers) with
 * `options` (whose config's own batch, if any, is overridden) and fits the batch model, after one
 * discarded profile of the smallest batch that warms the kernels up.
 * @throws InputError (code `option`, path `batches`) for fewer than two distinct batches; as
 *   profileModelReport otherwise
 */
export async function profileBatches(
  zoo: string,
  batches: readonly number[],
  options: ProfileOptions = {},
): Promise<BatchProfileReport> {
  const sorted = [...new Set(batches)].sort((a, b) => a - b);
  if (sorted.length < 2 || !sorted.every((batch) => Number.isInteger(batch) && batch >= 1))
    throw new InputError("profileBatches", [
      {
        code: "option",
        path: "batches",
        expected: "at least two distinct positive integers",
        received: batches.join(","),
      },
    ]);
  // The first profile in a process runs on cold kernels (JIT, first allocations): measured here, a
  // cold batch-1 profile of a small MLP took up to 6x the warm one per op and tilted every line. One profile of
  // the smallest batch is run first and discarded.
  await profileModelReport(zoo, { ...options, config: { ...options.config, batch: sorted[0] } });
  const profiles: { batch: number; report: ProfileReport }[] = [];
  for (const batch of sorted)
    profiles.push({
      batch,
      report: await profileModelReport(zoo, { ...options, config: { ...options.config, batch } }),
    });
  const largest = profiles[profiles.length - 1] as { batch: number; report: ProfileReport };
  const model = fitBatchModel(
    profiles.map(({ batch, report }) => ({ batch, document: report.document })),
    largest.batch,
  );
  const document = largest.report.document;
  return {
    document: {
      ...document,
      source: `${document.source} Batch model: each node's sizes and times fitted by least squares against the batch over profiles at batches ${sorted.join(", ")} (batchModel; this instance is the profile at batch ${largest.batch}).`,
      batchModel: model,
    },
    profiles,
  };
}
