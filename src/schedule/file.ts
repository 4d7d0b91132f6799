/**
 * Schedule documents: a schedule file (`remat-schedule/1`), a result (`remat solve --json`, which holds
 * a `schedule` list), or a bare list of text instructions. `evaluate` and `simulate` accept any of them.
 */
import { describeValue, InputError } from "../errors.js";
import { parseSchedule } from "./text.js";
import type { Schedule } from "./types.js";

export const SCHEDULE_FORMAT = "remat-schedule/1";

/** A schedule read from a document, with the instance name it was made for when the document says. */
export interface ScheduleDocument {
  readonly instance?: string;
  readonly schedule: Schedule;
}

/**
 * Reads a schedule from a parsed JSON document of any of the accepted shapes.
 * @throws InputError naming the file and the path of every bad instruction
 */
export function parseScheduleDocument(value: unknown, file?: string): ScheduleDocument {
  const site = "parseScheduleDocument";
  if (Array.isArray(value)) return { schedule: parseSchedule(value, site, "", file) };
  if (typeof value !== "object" || value === null) {
    throw new InputError(
      site,
      [
        {
          code: "type",
          path: "",
          expected: "a schedule file, a result, or a list of instructions",
          received: describeValue(value),
        },
      ],
      file,
    );
  }
  const record = value as Record<string, unknown>;
  const instance = typeof record.instance === "string" ? record.instance : undefined;
  const withInstance = (schedule: Schedule): ScheduleDocument =>
    instance === undefined ? { schedule } : { instance, schedule };
  if (record.format === SCHEDULE_FORMAT) {
    if (!Array.isArray(record.ops))
      throw new InputError(
        site,
        [
          {
            code: "required",
            path: "ops",
            expected: "a list of instructions",
            received: describeValue(record.ops),
          },
        ],
        file,
      );
    return withInstance(parseSchedule(record.ops, site, "ops", file));
  }
  if (Array.isArray(record.schedule)) {
    if (record.schedule.length === 0) {
      throw new InputError(
        site,
        [
          {
            code: "bad-value",
            path: "schedule",
            expected:
              "a non-empty schedule (this result has none: its status is " +
              describeValue(record.status) +
              ")",
            received: "an empty list",
          },
        ],
        file,
      );
    }
    return withInstance(parseSchedule(record.schedule, site, "schedule", file));
  }
  throw new InputError(
    site,
    [
      {
        code: "structure",
        path: "",
        expected: `a schedule file (format "${SCHEDULE_FORMAT}" with ops) or a result with a schedule`,
        received: describeValue(record.format ?? value),
      },
    ],
    file,
  );
}

/** A schedule file's JSON for `schedule` made for `instanceName`. */
export function scheduleDocument(
  instanceName: string,
  ops: readonly string[],
): { format: string; instance: string; ops: readonly string[] } {
  return { format: SCHEDULE_FORMAT, instance: instanceName, ops };
}
