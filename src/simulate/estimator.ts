/**
 * How the profiler and the simulator turn an instruction's wall times over repeated runs into one time.
 * `min` (the default) takes the fastest run: on a shared machine other processes only ever add time to
 * a run (preemption, contention for caches and memory bandwidth), so the minimum is the estimate that
 * moves least with the load, the reasoning of Python's `timeit` documentation ("the lowest value gives a
 * lower bound for how fast your machine can run the given code snippet; higher values in the result
 * vector are typically not caused by variability in Python's speed, but by other processes interfering
 * with your timing accuracy"). Measured on this machine (the MLP, ResNet-18 and MobileNetV2 settings of
 * bench/fidelity.ts on wasm, 7 runs each side, 1-minute load 2.2-2.6): predicted against measured steps
 * were off by -6.1% to +3.2% with `min` and by -18.3% to +17.1% with `median`. `median` is the typical
 * run's time and stays available.
 * Profile and simulate with the same estimator for a like-for-like comparison.
 */
import { median } from "./median.js";

/** `min`: the fastest of the runs; `median`: the middle one. */
export type Estimator = "min" | "median";

/** Every estimator name, for option parsing. */
export const ESTIMATORS: readonly Estimator[] = ["min", "median"];

/** The estimator the profiler and the simulator use unless told otherwise. */
export const DEFAULT_ESTIMATOR: Estimator = "min";

/** One time from a non-empty list of wall times, ms. */
export function estimate(values: readonly number[], estimator: Estimator): number {
  return estimator === "min" ? Math.min(...values) : median(values);
}
