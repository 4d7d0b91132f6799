/**
 * Measured densities of activations (DESIGN.md, "Storage modes"): runs plain backpropagation's
 * forwards on the instance's zoo network, with the simulator's parameters and data, and counts the
 * non-zero elements of every activation as the bitmap form stores them (any bit set). The densities it
 * returns are what the instance's `density` fields should say for the evaluator's bitmap bytes to equal
 * the simulator's to the byte on that data (`densityFor`, src/evaluate/storage.ts). O(total elements).
 */
import { densityFor } from "../evaluate/storage.js";
import type { Instance } from "../instance/types.js";
import { storeAllSchedule } from "../schedule/builders.js";
import { runSchedule } from "./interpreter.js";
import { buildNetwork, disposeNetwork } from "./network.js";
import { DEFAULT_SEED } from "./simulate.js";
import { type Backend, loadTf } from "./tf.js";
import { requireModel, validateRun } from "./validate.js";
import { type ModelOptions, runnableModel } from "./zoo-graph.js";

/** One activation's measured density. */
export interface ActivationDensity {
  readonly node: string;
  readonly elements: number;
  readonly nonzeros: number;
  /** A density with `ceil(density * elements) === nonzeros` (src/evaluate/storage.ts, `densityFor`). */
  readonly density: number;
}

/** Where and on what data to measure. */
export interface DensityOptions extends ModelOptions {
  /** Kernel backend (default cpu). */
  readonly backend?: Backend;
  /** Seed of the parameters and input data (default 1, the simulator's). */
  readonly seed?: number;
}

/**
 * The density of every activation of `instance` on the simulator's data at initialisation (trained
 * networks are typically sparser after ReLU; measure on the data the plan is for).
 * @throws InputError as `simulate` does for an instance it cannot run
 */
export async function measureDensities(
  instance: Instance,
  options: DensityOptions = {},
): Promise<ActivationDensity[]> {
  const model = requireModel(instance);
  const runnable = runnableModel(model, options);
  const graph = runnable.graph;
  const schedule = storeAllSchedule(instance);
  validateRun(instance, graph, schedule);
  const tf = await loadTf(options.backend ?? "cpu", "measureDensities");
  const network = buildNetwork(tf, graph, options.seed ?? DEFAULT_SEED, runnable.weights);
  try {
    const run = runSchedule(tf, network, instance, schedule, { gradients: false, countNonzeros: true });
    return graph.ops.map((op) => {
      const elements = op.shape.reduce((p, e) => p * e, 1);
      const nonzeros = run.nonzeros.get(op.id) ?? elements;
      return { node: op.id, elements, nonzeros, density: densityFor(nonzeros, elements) };
    });
  } finally {
    disposeNetwork(network);
  }
}
