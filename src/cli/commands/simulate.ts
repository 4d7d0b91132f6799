/** `remat simulate`: run a schedule on real TensorFlow.js kernels and compare it with the evaluator. */
import { budgetBytes, formatBytes, parseBudget } from "../../budget.js";
import { InputError } from "../../errors.js";
import { evaluate } from "../../evaluate/evaluate.js";
import { loadInstance, readJson } from "../../instance/load.js";
import { parseScheduleDocument } from "../../schedule/file.js";
import type { BackendFrom, SimulationResult } from "../../simulate/result.js";
import { simulate } from "../../simulate/simulate.js";
import { BACKENDS, type Backend } from "../../simulate/tf.js";
import {
  noExtraPositionals,
  numberOption,
  parseCommandArgs,
  requirePositional,
  stringOption,
} from "../args.js";
import type { Command } from "../command.js";
import { readOnnxSource } from "../onnx-model.js";

const HELP = `remat simulate INSTANCE SCHEDULE_OR_RESULT [--backend cpu|wasm] [--repeats R] [--seed N] [--json]

Runs the schedule on real kernels (TensorFlow.js) for an instance that carries a model block (made by
\`remat profile\` or the zoo): forwards, backwards, frees, recomputations, offloads to host buffers and
prefetches, with tensors held by the simulator. The schedule is checked by the evaluator first.
It reports whether the parameter gradients equal plain backpropagation's (the store-all schedule, run
op by op; bitwise on cpu), whether the bytes live after each instruction (tf.memory(), minus
parameters and their gradients, plus fixedBytes) equal the evaluator's timeline, the predicted and
measured peaks, and the predicted and measured makespans.

Options:
  --backend B   cpu (pure JS, bit-deterministic) or wasm (XNNPACK, faster); default: the backend the
                instance was profiled on (its model.backend, written by remat profile), else cpu
  --repeats R   timed runs of the schedule (default 1); each instruction's time is its fastest run, as
                remat profile takes it (the estimate that moves least with the machine's load)
  --warmup W    untimed runs of the schedule before the timed ones (default 0; the reference run of
                plain backprop always goes first)
  --seed N      seed of the parameters and input data (default 1)
  --max-memory B  refuse schedules whose evaluated peak exceeds B (default 512MB): real kernels on this
                CPU take minutes per step at full ImageNet sizes; generate a small setting instead
                (remat zoo generate resnet-18 --batch 4 --input-size 32 ...) or raise the limit
  --json        machine-readable output: gradientsMatch, maxGradDiff, memoryMatches, firstDivergence,
                predictedPeakBytes, measuredPeakBytes, predictedMakespanMs, measuredMakespanMs, ops, ...
Exit codes: 0 gradients and memory match, 1 they do not, 2 bad input (an invalid schedule included).`;

/** Why the backend ran, in words. */
const BACKEND_FROM: Record<BackendFrom, string> = {
  option: "--backend",
  "model.backend": "the backend the instance was profiled on, its model.backend",
  default: "the default: the instance does not say which backend its times were measured on",
};

/** Default refusal threshold for `--max-memory`: beyond it real kernels on a CPU take minutes per step. */
const DEFAULT_MAX_MEMORY = "512MB";

/** The `--backend` option (undefined when not given: simulate then picks the instance's own). */
function backendOption(value: string | undefined): Backend | undefined {
  if (value === undefined) return undefined;
  if ((BACKENDS as readonly string[]).includes(value)) return value as Backend;
  throw new InputError("remat simulate", [
    { code: "option", path: "--backend", expected: "cpu or wasm", received: JSON.stringify(value) },
  ]);
}

/** The schedule's predicted peak within `--max-memory`, or an InputError saying how to run it anyway. */
function checkPredictedPeak(peakBytes: number, limit: number): void {
  if (peakBytes <= limit) return;
  throw new InputError("remat simulate", [
    {
      code: "option",
      path: "--max-memory",
      expected: `a schedule peaking within ${formatBytes(limit)} (raise --max-memory to run it anyway)`,
      received: `a peak of ${formatBytes(peakBytes)}`,
    },
  ]);
}

/** The human-readable report: backend, gradients, memory, peak and makespan, one line each. */
function formatReport(result: SimulationResult): string {
  const divergence = result.firstDivergence;
  const error = (result.makespanError * 100).toFixed(1);
  const runs =
    result.timedRuns === 1
      ? "one run"
      : `${result.estimator === "min" ? "fastest" : "median"} of ${result.timedRuns} runs per instruction`;
  return [
    `backend    ${result.backend} (${BACKEND_FROM[result.backendFrom]})`,
    `gradients  ${result.gradientsMatch ? "match" : "DIFFER"} plain backprop (max |diff| ${result.maxGradDiff}, tolerance ${result.gradientTolerance})`,
    ...(result.lossy
      ? [
          `lossy      fp16/bf16 stored forms expanded: gradient error relative ${result.normRelativeGradError.toExponential(3)} in norm, ${result.maxRelativeGradError.toExponential(3)} at most per tensor; loss difference ${result.lossDifference}`,
        ]
      : []),
    divergence === null
      ? `memory     matches the evaluator after all ${result.instructions} instructions`
      : `memory     DIFFERS from instruction ${divergence.index} (${divergence.instruction}): predicted ${divergence.predictedBytes}, measured ${divergence.measuredBytes} bytes`,
    `peak       predicted ${formatBytes(result.predictedPeakBytes)} (${result.predictedPeakBytes} bytes; ${result.predictedResidentPeakBytes} without op temporaries), measured ${formatBytes(result.measuredPeakBytes)} (${result.measuredPeakBytes} bytes)`,
    `makespan   predicted ${result.predictedMakespanMs.toFixed(3)} ms, measured ${result.measuredMakespanMs.toFixed(3)} ms (${result.makespanError >= 0 ? "+" : ""}${error}%; ${runs})`,
  ].join("\n");
}

export const simulateCommand: Command = {
  name: "simulate",
  summary: "run a schedule on real kernels and compare gradients, memory and time",
  help: HELP,
  run: async (args, io) => {
    const parsed = parseCommandArgs("simulate", args, {
      backend: { type: "string" },
      seed: { type: "string" },
      repeats: { type: "string" },
      warmup: { type: "string" },
      json: { type: "boolean" },
      "max-memory": { type: "string" },
    });
    const instancePath = requirePositional("simulate", parsed, 0, "INSTANCE");
    const schedulePath = requirePositional("simulate", parsed, 1, "SCHEDULE_OR_RESULT");
    noExtraPositionals("simulate", parsed, 2);
    const backend = backendOption(stringOption(parsed, "backend"));
    const seed = numberOption("simulate", parsed, "seed", true);
    const repeats = numberOption("simulate", parsed, "repeats", true);
    const warmup = numberOption("simulate", parsed, "warmup", true);
    const maxMemory = parseBudget(stringOption(parsed, "max-memory") ?? DEFAULT_MAX_MEMORY, "--max-memory");
    const instance = await loadInstance(instancePath);
    const document = parseScheduleDocument(await readJson(schedulePath, "remat simulate"), schedulePath);
    const predicted = evaluate(instance, document.schedule);
    if (predicted.valid)
      checkPredictedPeak(predicted.peakBytes, budgetBytes(maxMemory, Number.POSITIVE_INFINITY));
    if (document.instance !== undefined && document.instance !== instance.name) {
      io.err(
        `remat simulate: warning: ${schedulePath} was made for instance "${document.instance}", simulating it on "${instance.name}"`,
      );
    }
    const onnx = instance.model?.onnx;
    const result = await simulate(instance, document.schedule, {
      ...(onnx === undefined ? {} : { onnx: await readOnnxSource(onnx, instancePath) }),
      ...(backend === undefined ? {} : { backend }),
      ...(seed === undefined ? {} : { seed }),
      ...(repeats === undefined ? {} : { repeats }),
      ...(warmup === undefined ? {} : { warmup }),
    });
    io.out(parsed.values.json === true ? JSON.stringify(result, null, 2) : formatReport(result));
    return result.gradientsMatch && result.memoryMatches ? 0 : 1;
  },
};
