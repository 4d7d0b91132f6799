/** Wall-clock timing of a synchronous call: warm-up runs, then the median of repeats. */
import { median } from "../simulate/median.js";

/** How many times to run a call before timing it, and how many timed runs to take the median of. */
export interface TimingOptions {
  readonly warmup: number;
  readonly repeats: number;
}

/** Runs `call` `warmup` times, then `repeats` timed times; returns the median wall time, ms. */
export function medianMs(call: () => void, { warmup, repeats }: TimingOptions): number {
  for (let i = 0; i < warmup; i++) call();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    call();
    times.push(performance.now() - started);
  }
  return median(times);
}
