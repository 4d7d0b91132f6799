/**
 * The jobs `remat batch --queue` puts on a queue, and what a worker does with one. A job carries the
 * instance's content (so a worker needs no copy of the files), its full setting and whether the schedule
 * is kept; its id is the hash of exactly those (src/queue/job-id.ts), so the same solve asked twice, by a
 * rerun or under another file name, is one job.
 */
import { InputError } from "../errors.js";
import { readJson } from "../instance/load.js";
import type { QueuedJob } from "../queue/enqueue.js";
import { jobIdOf } from "../queue/job-id.js";
import { jobOf } from "./batch-lanes.js";
import type { BatchJob } from "./batch-worker.js";
import { canonicalJson, type JobSetting } from "./results-log.js";

/** The data of a queue job (plain JSON). */
export interface QueueJobData {
  /** The setting, its `file` the name the instance had where the job was added (for messages). */
  readonly setting: JobSetting;
  /** The instance file's JSON. */
  readonly instance: unknown;
  readonly withSchedule: boolean;
}

/** The queue jobs of a batch, and which of the batch's settings each one answers. */
export interface QueuePlan {
  readonly jobs: readonly QueuedJob<QueueJobData>[];
  /** The setting keys (src/cli/results-log.ts) of each job id, in the batch's order. */
  readonly keysById: ReadonlyMap<string, readonly string[]>;
  /**
   * The settings whose instance file cannot be read or is not JSON, with the reason: not queued, and
   * logged `rejected` as a local batch's worker thread would.
   */
  readonly unreadable: readonly (readonly [string, string])[];
}

/**
 * The queue jobs of `todo` (setting key and setting), each instance file read once.
 */
export async function queuePlan(
  todo: readonly (readonly [string, JobSetting])[],
  withSchedule: boolean,
): Promise<QueuePlan> {
  const contents = new Map<string, { readonly json: unknown } | { readonly reason: string }>();
  const jobs = new Map<string, QueuedJob<QueueJobData>>();
  const keysById = new Map<string, string[]>();
  const unreadable: [string, string][] = [];
  for (const [key, setting] of todo) {
    if (!contents.has(setting.file)) contents.set(setting.file, await readContent(setting.file));
    const content = contents.get(setting.file) as { readonly json: unknown } | { readonly reason: string };
    if ("reason" in content) {
      unreadable.push([key, content.reason]);
      continue;
    }
    const instance = content.json;
    const { file: _file, ...rest } = setting;
    const id = await jobIdOf(canonicalJson({ instance, setting: rest, withSchedule }));
    if (!jobs.has(id)) jobs.set(id, { id, data: { setting, instance, withSchedule } });
    keysById.set(id, [...(keysById.get(id) ?? []), key]);
  }
  return { jobs: [...jobs.values()], keysById, unreadable };
}

/** A file's JSON, or why it has none (the message of loadInstance's InputError). */
async function readContent(file: string): Promise<{ readonly json: unknown } | { readonly reason: string }> {
  try {
    return { json: await readJson(file, "loadInstance") };
  } catch (error) {
    if (error instanceof InputError) return { reason: error.message };
    throw error;
  }
}

/** The worker-thread message of a queue job (src/cli/batch-worker.ts), the instance inline. */
export function batchJobOf(data: QueueJobData): BatchJob {
  return { ...jobOf(data.setting, { withSchedule: data.withSchedule }), instance: data.instance };
}
