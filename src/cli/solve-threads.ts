/**
 * A pool of batch worker threads (src/cli/batch-worker.ts) for `remat worker`: each solve borrows an idle
 * thread (or starts one), runs under its job's time limit as in `remat batch` (src/cli/batch-lanes.ts),
 * and gives the thread back, or terminates it when it was stopped or died.
 */
import { Worker } from "node:worker_threads";
import { batchWorkerPath, runOne } from "./batch-lanes.js";
import type { BatchJob } from "./batch-worker.js";
import type { Outcome } from "./results-log.js";

/** Worker threads, started as needed and reused. */
export class SolveThreads {
  readonly #path = batchWorkerPath();
  readonly #idle: Worker[] = [];
  readonly #busy = new Set<Worker>();

  /** Solves `job` on a thread of the pool; the outcome is a result or a failure, never a rejection. */
  async solve(job: BatchJob): Promise<Outcome> {
    const thread = this.#idle.pop() ?? new Worker(this.#path);
    this.#busy.add(thread);
    const { outcome, replaceWorker } = await runOne(thread, job);
    this.#busy.delete(thread);
    if (replaceWorker) await thread.terminate();
    else this.#idle.push(thread);
    return outcome;
  }

  /** Terminates every thread (running solves are stopped). */
  async close(): Promise<void> {
    const all = [...this.#idle, ...this.#busy];
    this.#idle.length = 0;
    this.#busy.clear();
    await Promise.all(all.map((thread) => thread.terminate()));
  }
}
