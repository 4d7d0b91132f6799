/**
 * Fidelity of the cost model on this machine: each small zoo model is profiled (measured op times),
 * solved by a few solvers, and every schedule is simulated on real kernels (wasm backend). Recorded per
 * schedule: gradients against plain backprop, whether memory matched the evaluator after every
 * instruction, predicted against measured peak (should be equal) and predicted against measured makespan
 * (the error). Also writes bench/results/loop.md, the real output of profile -> solve -> simulate run
 * through the CLI's command objects. Run with `npx tsx bench/fidelity.ts` (about a minute).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { solve, solvers } from "../solvers/index.js";
import { profileCommand } from "../src/cli/commands/profile.js";
import { simulateCommand } from "../src/cli/commands/simulate.js";
import { solveCommand } from "../src/cli/commands/solve.js";
import { evaluate } from "../src/evaluate/evaluate.js";
import { parseInstance } from "../src/instance/parse.js";
import type { Instance } from "../src/instance/types.js";
import { profileModel } from "../src/profile/profile.js";
import { storeAllSchedule as plainSchedule } from "../src/schedule/builders.js";
import { parseSchedule } from "../src/schedule/text.js";
import { simulate } from "../src/simulate/simulate.js";
import { benchEnvironment, writeBenchResults } from "./environment.js";

/** The models profiled, at settings that run in seconds. */
const MODELS: readonly { readonly zoo: string; readonly config: Record<string, number> }[] = [
  { zoo: "mlp", config: { batch: 32, inputSize: 784, hidden: 256, layers: 3, classes: 10 } },
  { zoo: "resnet-18", config: { batch: 4, inputSize: 32 } },
  { zoo: "gpt2-small", config: { batch: 2, seq: 32, layers: 2, heads: 4, dim: 64, vocab: 512 } },
  { zoo: "mobilenet-v2", config: { batch: 2, inputSize: 32, classes: 10 } },
];
/**
 * Solvers run on each model (those a model's shape rules out are skipped), each at the first budget it
 * can meet. A budget is a fraction of the *activation* memory: fixedBytes + fraction x (store-all peak -
 * fixedBytes), since parameters dominate the peak of these small settings; undefined means none.
 */
const RUNS: readonly { readonly solver: string; readonly fractions: readonly (number | undefined)[] }[] = [
  { solver: "store-all", fractions: [undefined] },
  { solver: "chen-sqrt", fractions: [undefined] },
  { solver: "checkpoints", fractions: [undefined] },
  { solver: "chain-dp", fractions: [0.5, 0.7, 0.9] },
  { solver: "graph-mincut", fractions: [0.5, 0.7, 0.9] },
];
/** Timed runs per simulated schedule; each instruction's median over them is kept, as the profiler does. */
const SIMULATIONS = 5;
const BACKEND = "wasm";
/** Profiler settings (its defaults). */
const PROFILE_WARMUP = 5;
const PROFILE_REPEATS = 7;

interface Row {
  readonly model: string;
  readonly solver: string;
  readonly budget: string;
  readonly instructions: number;
  readonly gradientsMatch: boolean;
  readonly maxGradDiff: number;
  readonly memoryMatches: boolean;
  readonly predictedPeakBytes: number;
  readonly predictedResidentPeakBytes: number;
  readonly measuredPeakBytes: number;
  readonly predictedMakespanMs: number;
  readonly measuredMakespanMs: number;
  readonly makespanError: number;
  readonly measuredMakespansMs: readonly number[];
}

/** Every tenth node's id (the checkpoints solver's set). */
function everyTenth(instance: Instance): string[] {
  return instance.nodes.filter((_, i) => i % 10 === 5).map((node) => node.id);
}

/** The budget in bytes leaving `fraction` of the store-all activation memory (none for undefined). */
function activationBudget(instance: Instance, fraction: number | undefined): number | "none" {
  if (fraction === undefined) return "none";
  const evaluation = evaluate(instance, plainSchedule(instance));
  if (!evaluation.valid) throw new Error("fidelity: the store-all schedule is invalid");
  return Math.floor(instance.fixedBytes + fraction * (evaluation.peakBytes - instance.fixedBytes));
}

/** The solver's result at the first of `fractions` it meets, or undefined (rejected instance, or none met). */
async function firstFeasible(instance: Instance, solver: string, fractions: readonly (number | undefined)[]) {
  const entry = solvers.find((s) => s.name === solver);
  if (entry === undefined || entry.rejects?.(instance) !== undefined) return undefined;
  for (const fraction of fractions) {
    const budgetBytes = activationBudget(instance, fraction);
    const result = await solve(instance, {
      solver,
      budget: budgetBytes,
      ...(solver === "checkpoints" ? { checkpoints: everyTenth(instance) } : {}),
    });
    const budget = fraction === undefined ? "none" : `${fraction * 100}% of activations`;
    if (result.schedule.length > 0) return { budget, budgetBytes, result };
  }
  return undefined;
}

async function measureModel(zoo: string, config: Record<string, number>): Promise<Row[]> {
  const instance = parseInstance(
    await profileModel(zoo, { config, backend: BACKEND, warmup: PROFILE_WARMUP, repeats: PROFILE_REPEATS }),
  );
  const rows: Row[] = [];
  for (const { solver, fractions } of RUNS) {
    const found = await firstFeasible(instance, solver, fractions);
    if (found === undefined) continue;
    const { budget, result } = found;
    const schedule = parseSchedule(result.schedule);
    const first = await simulate(instance, schedule, { backend: BACKEND, repeats: SIMULATIONS });
    const measured = first.measuredMakespanMs;
    if (!first.gradientsMatch || !first.memoryMatches)
      throw new Error(`fidelity: ${zoo} ${solver}: the simulation did not match (gradients or memory)`);
    rows.push({
      model: `${zoo} ${JSON.stringify(config)}`,
      solver,
      budget,
      instructions: first.instructions,
      gradientsMatch: first.gradientsMatch,
      maxGradDiff: first.maxGradDiff,
      memoryMatches: first.memoryMatches,
      predictedPeakBytes: first.predictedPeakBytes,
      predictedResidentPeakBytes: first.predictedResidentPeakBytes,
      measuredPeakBytes: first.measuredPeakBytes,
      predictedMakespanMs: first.predictedMakespanMs,
      measuredMakespanMs: measured,
      makespanError: measured / first.predictedMakespanMs - 1,
      measuredMakespansMs: first.runMakespansMs,
    });
    console.error(
      `${zoo} ${solver}: peak ${first.predictedPeakBytes}/${first.measuredPeakBytes}, makespan ${first.predictedMakespanMs.toFixed(1)}/${measured.toFixed(1)} ms`,
    );
  }
  return rows;
}

/** The 1-minute load average before and after the run: timings on a shared machine are only as quiet as it was. */
interface Load {
  readonly before: number;
  readonly after: number;
}

function markdown(
  rows: readonly Row[],
  environment: ReturnType<typeof benchEnvironment>,
  load: Load,
): string {
  const pct = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;
  const lines = [
    "# Fidelity: predicted against measured, on real kernels",
    "",
    `Each model is profiled on this machine (\`remat profile\`, TensorFlow.js ${BACKEND}, each op's median over ${PROFILE_REPEATS} runs of the whole step after ${PROFILE_WARMUP} warm-up runs), solved, and each schedule is simulated (\`simulate\`, ${BACKEND}, ${SIMULATIONS} timed runs); the measured makespan is the sum over instructions of each one's median wall time over the ${SIMULATIONS} runs, the estimator the profiler uses for op times; min-max are the runs' own sums. Peaks: the evaluator's (with modelled op temporaries) and without temporaries, against the bytes TensorFlow.js held (tf.memory(), minus parameters and their gradients, plus fixedBytes). Every row's gradients equal plain backprop's within the wasm tolerance, and its memory equals the evaluator's timeline after every instruction.`,
    "",
    `${environment.cpu} (${environment.cores} cores), Node ${environment.node}, commit ${environment.commit}, ${environment.date}; 1-minute load average ${load.before.toFixed(2)} before and ${load.after.toFixed(2)} after the run. Peaks are exact whatever the load; makespans are wall times and move with it (see the min-max spread).`,
    "",
    "| model | solver | budget | instr. | max grad diff | memory = timeline | predicted peak (no temps) | measured peak | predicted makespan | measured makespan (min-max) | error |",
    "| --- | --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map(
      (r) =>
        `| ${r.model} | ${r.solver} | ${r.budget} | ${r.instructions} | ${r.maxGradDiff.toExponential(1)} | ${r.memoryMatches ? "yes" : "no"} | ${r.predictedPeakBytes} (${r.predictedResidentPeakBytes}) | ${r.measuredPeakBytes} | ${r.predictedMakespanMs.toFixed(1)} ms | ${r.measuredMakespanMs.toFixed(1)} ms (${Math.min(...r.measuredMakespansMs).toFixed(1)}-${Math.max(...r.measuredMakespansMs).toFixed(1)}) | ${pct(r.makespanError)} |`,
    ),
    "",
  ];
  return lines.join("\n");
}

/** Runs profile -> solve -> simulate through the CLI's command objects and returns the transcript. */
async function loopTranscript(): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), "remat-loop-"));
  const instancePath = join(folder, "resnet18.json");
  const steps: [string, typeof profileCommand, string[]][] = [
    [
      "profile",
      profileCommand,
      ["--model", "resnet-18", "--batch", "4", "--input-size", "32", "--out", instancePath],
    ],
  ];
  const mincut = RUNS.find((run) => run.solver === "graph-mincut")?.fractions ?? [];
  const instance = parseInstance(
    await profileModel("resnet-18", { config: { batch: 4, inputSize: 32 }, backend: BACKEND }),
  );
  const mincutBudget = String((await firstFeasible(instance, "graph-mincut", mincut))?.budgetBytes ?? "none");
  for (const solver of ["store-all", "chen-sqrt", "checkpoints", "graph-mincut"]) {
    const result = join(folder, `${solver}.json`);
    const options =
      solver === "checkpoints" ? ["--checkpoints", "layer1.1.relu,layer2.1.relu,layer3.1.relu"] : [];
    const budget = solver === "graph-mincut" ? mincutBudget : "none";
    steps.push([
      "solve",
      solveCommand,
      [instancePath, "--solver", solver, "--budget", budget, ...options, "--out", result],
    ]);
    steps.push([
      "simulate",
      simulateCommand,
      [instancePath, result, "--backend", "wasm", "--repeats", String(SIMULATIONS)],
    ]);
  }
  const out: string[] = [];
  for (const [name, command, args] of steps) {
    const printed: string[] = [];
    const code = await command.run(args, {
      out: (text) => printed.push(text),
      err: (text) => printed.push(text),
    });
    const shown = args.map((arg) => arg.replace(folder, "."));
    out.push(`$ remat ${name} ${shown.join(" ")}`, ...printed.map((text) => text.replaceAll(folder, ".")));
    if (code !== 0) throw new Error(`fidelity: remat ${name} exited ${code}`);
  }
  return out.join("\n");
}

async function main(): Promise<void> {
  const started = Date.now();
  const environment = benchEnvironment();
  const before = loadavg()[0] ?? 0;
  const rows: Row[] = [];
  for (const { zoo, config } of MODELS) rows.push(...(await measureModel(zoo, config)));
  const load = { before, after: loadavg()[0] ?? 0 };
  writeBenchResults(
    "fidelity",
    { environment, load, backend: BACKEND, simulations: SIMULATIONS, rows },
    markdown(rows, environment, load),
  );
  const transcript = await loopTranscript();
  writeFileSync(
    new URL("./results/loop.md", import.meta.url),
    [
      "# The loop on this machine: profile -> solve -> simulate",
      "",
      `Real output (${environment.cpu}, Node ${environment.node}, commit ${environment.commit}, ${environment.date}), produced by \`npx tsx bench/fidelity.ts\` running the \`remat\` commands' own code; \`.\` is a temporary folder.`,
      "",
      "```console",
      transcript,
      "```",
      "",
    ].join("\n"),
  );
  console.error(`fidelity: ${rows.length} schedules in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

await main();
