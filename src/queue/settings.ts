/** How a worker takes jobs from a queue, and BullMQ's defaults (a module without BullMQ, for help texts). */

/** How a worker takes jobs. */
export interface ConsumeSettings {
  /** Jobs at a time. */
  readonly concurrency: number;
  /** How long a job's lock lasts without renewal, milliseconds (renewed at half of it). */
  readonly lockDurationMs: number;
  /** Time between two checks for jobs whose lock expired, milliseconds. */
  readonly stalledIntervalMs: number;
  /** How often a job may be put back after a stall before it fails. */
  readonly maxStalledCount: number;
}

/** BullMQ's defaults (a killed worker's job runs again after about 30 to 60 s). */
export const DEFAULT_CONSUME: Omit<ConsumeSettings, "concurrency"> = {
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
  maxStalledCount: 1,
};
