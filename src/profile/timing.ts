/** Wall-clock timing of a synchronous call: warm-up runs, then one estimate of the timed repeats. */
import { type Estimator, estimate } from "../simulate/estimator.js";

/** How many times to run a call before timing it, and how many timed runs to estimate its time from. */
export interface TimingOptions {
  readonly warmup: number;
  readonly repeats: number;
}

/**
 * Runs `call` `warmup` times, then `repeats` timed times.
 * @returns the estimate of its wall time over the timed runs (src/simulate/estimator.ts), ms
 */
export function timedMs(call: () => void, { warmup, repeats }: TimingOptions, estimator: Estimator): number {
  for (let i = 0; i < warmup; i++) call();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    call();
    times.push(performance.now() - started);
  }
  return estimate(times, estimator);
}
