/**
 * `remat worker --queue URL`: takes solve jobs from a BullMQ queue on Redis (put there by
 * `remat batch --queue URL`), solves each in a worker thread under its job's time limit exactly as
 * `remat batch` does (src/cli/solve-threads.ts), and hands the result back to the queue. Runs until
 * SIGINT or SIGTERM, then finishes the running jobs and exits (a second signal stops at once; the
 * jobs it held run again on another worker once their locks expire).
 */
import { InputError } from "../../errors.js";
import { type ConsumeSettings, DEFAULT_CONSUME } from "../../queue/settings.js";
import { parseQueueUrl } from "../../queue/url.js";
import {
  noExtraPositionals,
  numberOption,
  type ParsedArgs,
  parseCommandArgs,
  stringOption,
} from "../args.js";
import type { Command, CommandIo } from "../command.js";

const HELP = `remat worker --queue redis://HOST:PORT/NAME [--concurrency N] [options]

Solves the jobs of a queue filled by remat batch --queue (on this or any machine that reaches the
Redis server), each in a worker thread under the job's own time limit, as remat batch solves them,
and returns each result to the queue; the batch appends it to its log. Runs until SIGINT or SIGTERM,
then finishes the running jobs and exits 0 (a second signal stops at once). A worker that dies
(killed, machine lost) holds its jobs until their locks expire; another worker then solves them.
Prints one line on stderr as each job starts and as it ends.

Options:
  --queue URL          the queue (redis://HOST:PORT/NAME, rediss:// for TLS; USER:PASSWORD@ if needed)
  --concurrency N      jobs at a time, one worker thread each (default 1)
  --lock-ms MS         how long a job's lock lasts without renewal (default ${DEFAULT_CONSUME.lockDurationMs}); a dead
                       worker's jobs run again after about this long
  --stalled-ms MS      time between checks for jobs whose lock expired (default ${DEFAULT_CONSUME.stalledIntervalMs})
  --max-stalled N      times a job may be put back after its worker died before it fails (default ${DEFAULT_CONSUME.maxStalledCount})`;

export const workerCommand: Command = {
  name: "worker",
  summary: "solve the jobs of a batch queue (remat batch --queue) on this machine",
  help: HELP,
  run: async (args, io) => {
    const parsed = parseCommandArgs("worker", args, {
      queue: { type: "string" },
      concurrency: { type: "string" },
      "lock-ms": { type: "string" },
      "stalled-ms": { type: "string" },
      "max-stalled": { type: "string" },
    });
    noExtraPositionals("worker", parsed, 0);
    const text = stringOption(parsed, "queue");
    if (text === undefined)
      throw new InputError("remat worker", [
        {
          code: "required",
          path: "--queue",
          expected: "a queue address redis://HOST:PORT/NAME",
          received: "missing",
        },
      ]);
    const target = parseQueueUrl(text, "remat worker");
    const settings = consumeSettings(parsed);
    const { runWorker } = await import("../queue-worker.js");
    await runWorker(target, settings, io, (stopNow) => untilSignal(io, stopNow));
    return 0;
  },
};

/** The worker's settings from its flags, BullMQ's defaults for the rest. @throws InputError for a bad number */
function consumeSettings(parsed: ParsedArgs): ConsumeSettings {
  return {
    concurrency: numberOption("worker", parsed, "concurrency", true) ?? 1,
    lockDurationMs: numberOption("worker", parsed, "lock-ms", true) ?? DEFAULT_CONSUME.lockDurationMs,
    stalledIntervalMs:
      numberOption("worker", parsed, "stalled-ms", true) ?? DEFAULT_CONSUME.stalledIntervalMs,
    maxStalledCount: numberOption("worker", parsed, "max-stalled", true) ?? DEFAULT_CONSUME.maxStalledCount,
  };
}

/**
 * Resolves at the first SIGINT or SIGTERM; a second one calls `stopNow` and ends the process (exit 1).
 */
function untilSignal(io: CommandIo, stopNow: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const first = () => {
      process.off("SIGINT", first);
      process.off("SIGTERM", first);
      const second = () => {
        io.err("remat worker: stopping now; the running jobs run again elsewhere once their locks expire");
        void stopNow().finally(() => process.exit(1));
      };
      process.once("SIGINT", second);
      process.once("SIGTERM", second);
      resolve();
    };
    process.on("SIGINT", first);
    process.on("SIGTERM", first);
  });
}
