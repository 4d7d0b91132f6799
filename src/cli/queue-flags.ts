/**
 * The queue flags of `remat batch` (`--queue URL`, `--status`), read without loading BullMQ: the batch
 * imports the queue's code (src/cli/queue-batch.ts) only when `--queue` is given.
 */
import { InputError } from "../errors.js";
import { parseQueueUrl, type QueueTarget } from "../queue/url.js";
import { type ParsedArgs, stringOption } from "./args.js";

/** The parseArgs options of `remat batch` for the queue. */
export const QUEUE_OPTIONS = { queue: { type: "string" }, status: { type: "boolean" } } as const;

/** The help lines of {@link QUEUE_OPTIONS}. */
export const QUEUE_HELP = `  --queue URL         redis://HOST:PORT/NAME: put the jobs on that BullMQ queue instead of solving
                      them here; remat worker --queue URL solves them on any machine, and the
                      batch waits and appends each result to --out once (see README, Distributed batch)
  --status            with --queue: print the queue's jobs by state and, with --out, how many of
                      its finished jobs the log holds; solves nothing`;

/** The queue flags of a batch: the target (undefined without --queue) and whether only the status is asked. */
export interface QueueFlags {
  readonly target: QueueTarget | undefined;
  readonly status: boolean;
}

/**
 * Reads `--queue` and `--status`.
 * @throws InputError (code `option`) for a bad address, `--status` without `--queue`, or `--jobs` with
 *   `--queue` (the workers' --concurrency decides)
 */
export function queueFlags(parsed: ParsedArgs): QueueFlags {
  const text = stringOption(parsed, "queue");
  const status = parsed.values.status === true;
  const refuse = (path: string, expected: string, received: string) => {
    throw new InputError("remat batch", [{ code: "option", path, expected, received }]);
  };
  if (text === undefined && status) refuse("--status", "given with --queue URL", "no --queue");
  if (text !== undefined && parsed.values.jobs !== undefined)
    refuse("--jobs", "absent with --queue (each worker's --concurrency decides)", String(parsed.values.jobs));
  return { target: text === undefined ? undefined : parseQueueUrl(text, "remat batch"), status };
}
