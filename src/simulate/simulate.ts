/**
 * `simulate(instance, schedule)`: the reference simulator (DESIGN.md, "The reference simulator"). It
 * runs the schedule on real TensorFlow.js kernels and checks it against the evaluator:
 * 1. gradients: the parameter gradients equal those of plain backpropagation, which is the store-all
 *    schedule run op by op by the same interpreter (bitwise on cpu: every kernel is deterministic, and a
 *    gradient with two contributions sums them commutatively; with three or more the sum follows the
 *    schedule's order of backwards);
 * 2. memory: after every instruction, fixedBytes + the bytes tf.memory() counts (per tensor handle,
 *    minus parameters and parameter gradients, which fixedBytes covers) equal the evaluator's timeline.
 *    The library's count is the one compared because it is what the tensor library really holds; the
 *    interpreter's own registry (Σ 4·prod(shape) over its `a:`/`g:` tensors) is checked against it too;
 *    Temporaries inside a kernel are transient and not in the timeline: the measured peak (the most the
 *    library held while an instruction ran, its outputs made and nothing freed) is compared with the
 *    evaluator's peak without the modelled `fwdTemp`/`bwdTemp`; the evaluator's own peak is reported too;
 * 3. time: each op's measured wall time against the instance's `fwd`/`bwd` (reported, not asserted).
 * The reference run goes first and warms the kernels up; then the schedule runs `warmup` untimed times
 * and `repeats` timed times, each instruction timed whole (its fastest run by default, as the profiler
 * times them: src/simulate/estimator.ts),
 * the first timed run being the one whose gradients and memory are checked. It runs on the backend the
 * instance's times were profiled on (`model.backend`) unless told otherwise, and says which and why.
 */
import type { Instance } from "../instance/types.js";
import { storeAllSchedule } from "../schedule/builders.js";
import type { Schedule } from "../schedule/types.js";
import { DEFAULT_ESTIMATOR, type Estimator, estimate } from "./estimator.js";
import { type RunRecord, runSchedule } from "./interpreter.js";
import { buildNetwork, disposeNetwork } from "./network.js";
import { type BackendFrom, compareRuns, type SimulationResult } from "./result.js";
import { type Backend, loadTf } from "./tf.js";
import { requireModel, validateRun } from "./validate.js";
import { type ModelOptions, runnableModel } from "./zoo-graph.js";

export interface SimulateOptions extends ModelOptions {
  /**
   * Kernel backend. Default: the one the instance's times were measured on (`model.backend`, which the
   * profiler writes), so that predicted and measured times compare like with like; `cpu` (the
   * bit-deterministic one) when the instance does not say.
   */
  readonly backend?: Backend;
  /** Seed of the parameters and input data (default 1). */
  readonly seed?: number;
  /** Largest absolute parameter-gradient difference accepted (default 0 on cpu, 1e-5 on wasm). */
  readonly tolerance?: number;
  /**
   * Timed runs of the schedule (default 1): each instruction's time is its estimate over them (see
   * `estimator`), as the profiler's op times are. The first run is the one whose gradients and memory
   * are checked.
   */
  readonly repeats?: number;
  /** How an instruction's time is taken from the timed runs (default `min`, as the profiler's). */
  readonly estimator?: Estimator;
  /**
   * Untimed runs of the schedule between the reference run and the timed runs (default
   * {@link DEFAULT_WARMUP}), as the profiler warms up before it times.
   */
  readonly warmup?: number;
}

/** Default seed of parameters and data. */
export const DEFAULT_SEED = 1;
/** Default untimed runs before the timed ones. */
export const DEFAULT_WARMUP = 0;
/** Gradient tolerance on wasm, whose XNNPACK kernels may reassociate sums; cpu must match bitwise. */
const WASM_TOLERANCE = 1e-5;

/**
 * Runs `schedule` on real kernels and compares it with plain backpropagation and with the evaluator.
 *
 * @returns what matched and by how much (see {@link SimulationResult})
 * @throws InputError before any kernel runs: the instance has no `model` (path `model`), the schedule is
 *   invalid (code `bad-value`, path `ops[i]`), or the instance does not describe the model's ops
 */
export async function simulate(
  instance: Instance,
  schedule: Schedule,
  options: SimulateOptions = {},
): Promise<SimulationResult> {
  const model = requireModel(instance);
  const runnable = runnableModel(model, options);
  const graph = runnable.graph;
  const evaluation = validateRun(instance, graph, schedule);
  const [backend, backendFrom] = chooseBackend(options.backend, model.backend);
  const tf = await loadTf(backend, "simulate");
  const network = buildNetwork(tf, graph, options.seed ?? DEFAULT_SEED, runnable.weights);
  const runs: RunRecord[] = [];
  let reference: RunRecord;
  try {
    reference = runSchedule(tf, network, instance, storeAllSchedule(instance));
    for (let i = 0; i < (options.warmup ?? DEFAULT_WARMUP); i++)
      runSchedule(tf, network, instance, schedule, { gradients: false });
    for (let i = 0; i < Math.max(1, options.repeats ?? 1); i++)
      runs.push(runSchedule(tf, network, instance, schedule, { gradients: i === 0 }));
  } finally {
    disposeNetwork(network);
  }
  const run = runs[0] as RunRecord;
  const estimator = options.estimator ?? DEFAULT_ESTIMATOR;
  return compareRuns({
    instance,
    backend,
    backendFrom,
    evaluation,
    reference,
    run,
    estimator,
    stepMs: run.steps.map((_, index) =>
      estimate(
        runs.map((r) => r.steps[index]?.ms ?? 0),
        estimator,
      ),
    ),
    timedRuns: runs.length,
    runMakespansMs: runs.map((r) => r.steps.reduce((sum, step) => sum + step.ms, 0)),
    tolerance: options.tolerance ?? (backend === "cpu" ? 0 : WASM_TOLERANCE),
  });
}

/** The backend to run on and why: the option, else the instance's `model.backend`, else `cpu`. */
function chooseBackend(option: Backend | undefined, profiled: Backend | undefined): [Backend, BackendFrom] {
  if (option !== undefined) return [option, "option"];
  if (profiled !== undefined) return [profiled, "model.backend"];
  return ["cpu", "default"];
}
