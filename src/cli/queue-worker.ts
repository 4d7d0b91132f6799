/**
 * The loop of `remat worker` (src/cli/commands/worker.ts, which loads this module only when it runs:
 * BullMQ and ioredis take seconds to import on a busy machine): take jobs from the queue, solve each in a
 * batch worker thread (src/cli/solve-threads.ts), hand the result back.
 */
import { probeServer } from "../queue/connect.js";
import { consume } from "../queue/consume.js";
import type { ConsumeSettings } from "../queue/settings.js";
import type { QueueTarget } from "../queue/url.js";
import type { CommandIo } from "./command.js";
import { batchJobOf, type QueueJobData } from "./queue-jobs.js";
import { SolveThreads } from "./solve-threads.js";

/** Hex digits of a job id shown in messages. */
const JOB_ID_SHOWN = 12;

/**
 * Takes and solves jobs from `target` until `stopped` resolves, then finishes the running jobs and
 * closes. `stopped` is given a function that stops at once (running solves terminated).
 * @throws InputError when the Redis server cannot be reached
 */
export async function runWorker(
  target: QueueTarget,
  settings: ConsumeSettings,
  io: CommandIo,
  stopped: (stopNow: () => Promise<void>) => Promise<void>,
): Promise<void> {
  await probeServer(target, "remat worker");
  const threads = new SolveThreads();
  const worker = consume<QueueJobData>(
    target,
    settings,
    async (job) => {
      const { file, solver, budget } = job.data.setting;
      const what = `${file} ${solver} ${budget} (job ${job.id.slice(0, JOB_ID_SHOWN)})`;
      io.err(`remat worker: solving ${what}`);
      const outcome = await threads.solve(batchJobOf(job.data));
      io.err(`remat worker: ${what}: ${outcome.status}`);
      return outcome;
    },
    (note) => io.err(`remat worker: ${note}`),
  );
  io.err(`remat worker: taking jobs from ${target.shown}, ${settings.concurrency} at a time`);
  await stopped(async () => {
    await worker.close(true);
    await threads.close();
  });
  io.err("remat worker: stopping after the running jobs");
  await worker.close();
  await threads.close();
}
