/**
 * Fidelity of the cost model on this machine: each small zoo model is profiled (measured instruction
 * times, overhead included: src/profile/step-times.ts), solved by a few solvers, and every schedule is
 * simulated on real kernels (wasm backend). Recorded per schedule: gradients against plain backprop,
 * whether memory matched the evaluator after every instruction, predicted against measured peak (should
 * be equal) and predicted against measured makespan (the error); per model, the overhead the profiler
 * measured per instruction kind; and a summary (how many schedules are within 10%, the range of errors),
 * per round and pooled over ROUNDS rounds, from which the README's fidelity paragraph is written. Wall
 * times move with the machine's load, so the run first waits (up to WAIT_MINUTES) for the 1-minute load
 * average to drop below QUIET_LOAD and records the load before and after each round. Also writes
 * bench/results/loop.md, the real output of profile -> solve -> simulate run through the CLI's command
 * objects. Run with `npx tsx bench/fidelity.ts` (about three minutes once the machine is quiet).
 */
import { mkdtempSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { solve, solvers } from "../solvers/index.js";
import { profileCommand } from "../src/cli/commands/profile.js";
import { simulateCommand } from "../src/cli/commands/simulate.js";
import { solveCommand } from "../src/cli/commands/solve.js";
import { evaluate } from "../src/evaluate/evaluate.js";
import { parseInstance } from "../src/instance/parse.js";
import type { Instance } from "../src/instance/types.js";
import { profileModelReport } from "../src/profile/profile.js";
import type { InstructionOverhead } from "../src/profile/step-times.js";
import { storeAllSchedule } from "../src/schedule/builders.js";
import { parseSchedule } from "../src/schedule/text.js";
import { DEFAULT_ESTIMATOR } from "../src/simulate/estimator.js";
import { simulate } from "../src/simulate/simulate.js";
import { benchEnvironment, median, writeBenchResults } from "./environment.js";

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
/** Timed runs per simulated schedule; each instruction's estimate over them is kept, as the profiler does. */
const SIMULATIONS = 7;
/** Untimed runs of each schedule before its timed ones (the simulator's reference run goes first anyway). */
const SIMULATION_WARMUP = 2;
const BACKEND = "wasm";
/** The profiler's and simulator's default estimator, in words. */
const ESTIMATOR_WORDS = DEFAULT_ESTIMATOR === "min" ? "fastest of" : "median over";
/** Profiler settings (its defaults). */
const PROFILE_WARMUP = 5;
const PROFILE_REPEATS = 7;
/**
 * Rounds of the whole measurement (profile every model, solve, simulate every schedule). The host's speed
 * drifts over seconds even when the 1-minute load is low, so one round can be lucky or unlucky; the
 * summary gives each round's count and the pooled one.
 */
const ROUNDS = 3;
/** What "within" means in the summary: |measured / predicted - 1| at most this. */
const WITHIN = 0.1;
/** The 1-minute load average below which the machine counts as quiet (2 cores: one busy core is 1.0). */
const QUIET_LOAD = 1.0;
/** How long to wait for a quiet machine before running anyway, and how often to look. */
const WAIT_MINUTES = 20;
const POLL_SECONDS = 30;

interface Row {
  readonly round: number;
  readonly model: string;
  readonly solver: string;
  readonly budget: string;
  readonly instructions: number;
  /** F, B and D instructions of the schedule (the profiler charges each D to the F that made its tensor). */
  readonly counts: { readonly F: number; readonly B: number; readonly D: number };
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

/** What the profiler measured of one model's store-all step. */
interface Profiled {
  readonly round: number;
  readonly model: string;
  /** The store-all step as the simulator measures it, in the profiler's own runs, ms. */
  readonly stepMs: number;
  readonly overhead: InstructionOverhead;
}

/** Every tenth node's id (the checkpoints solver's set). */
function everyTenth(instance: Instance): string[] {
  return instance.nodes.filter((_, i) => i % 10 === 5).map((node) => node.id);
}

/** The budget in bytes leaving `fraction` of the store-all activation memory (none for undefined). */
function activationBudget(instance: Instance, fraction: number | undefined): number | "none" {
  if (fraction === undefined) return "none";
  const evaluation = evaluate(instance, storeAllSchedule(instance));
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

async function measureModel(
  round: number,
  zoo: string,
  config: Record<string, number>,
): Promise<[Profiled, Row[]]> {
  const model = `${zoo} ${JSON.stringify(config)}`;
  const report = await profileModelReport(zoo, {
    config,
    backend: BACKEND,
    warmup: PROFILE_WARMUP,
    repeats: PROFILE_REPEATS,
  });
  const instance = parseInstance(report.document);
  const rows: Row[] = [];
  for (const { solver, fractions } of RUNS) {
    const found = await firstFeasible(instance, solver, fractions);
    if (found === undefined) continue;
    const { budget, result } = found;
    const schedule = parseSchedule(result.schedule);
    const run = await simulate(instance, schedule, { repeats: SIMULATIONS, warmup: SIMULATION_WARMUP });
    if (run.backend !== BACKEND)
      throw new Error(`fidelity: simulated on ${run.backend}, profiled on ${BACKEND}`);
    if (!run.gradientsMatch || !run.memoryMatches)
      throw new Error(`fidelity: ${zoo} ${solver}: the simulation did not match (gradients or memory)`);
    const count = (op: string) => schedule.filter((instruction) => instruction.op === op).length;
    rows.push({
      round,
      model,
      solver,
      budget,
      instructions: run.instructions,
      counts: { F: count("F"), B: count("B"), D: count("D") },
      gradientsMatch: run.gradientsMatch,
      maxGradDiff: run.maxGradDiff,
      memoryMatches: run.memoryMatches,
      predictedPeakBytes: run.predictedPeakBytes,
      predictedResidentPeakBytes: run.predictedResidentPeakBytes,
      measuredPeakBytes: run.measuredPeakBytes,
      predictedMakespanMs: run.predictedMakespanMs,
      measuredMakespanMs: run.measuredMakespanMs,
      makespanError: run.makespanError,
      measuredMakespansMs: run.runMakespansMs,
    });
    console.error(
      `round ${round}: ${zoo} ${solver}: peak ${run.predictedPeakBytes}/${run.measuredPeakBytes}, makespan ${run.predictedMakespanMs.toFixed(1)}/${run.measuredMakespanMs.toFixed(1)} ms (load ${loadavg()[0]?.toFixed(2)})`,
    );
  }
  return [{ round, model, stepMs: report.stepMs, overhead: report.overhead }, rows];
}

/** The summary the README states: how many schedules are within WITHIN, and the range of the errors. */
interface Summary {
  readonly schedules: number;
  readonly within: number;
  readonly withinFraction: number;
  readonly minError: number;
  readonly maxError: number;
  readonly medianAbsError: number;
  readonly gradientsMatch: number;
  readonly memoryMatches: number;
  readonly peaksEqual: number;
}

function summarize(rows: readonly Row[]): Summary {
  const errors = rows.map((row) => row.makespanError);
  return {
    schedules: rows.length,
    within: errors.filter((error) => Math.abs(error) <= WITHIN).length,
    withinFraction: WITHIN,
    minError: Math.min(...errors),
    maxError: Math.max(...errors),
    medianAbsError: median(errors.map(Math.abs)),
    gradientsMatch: rows.filter((row) => row.gradientsMatch).length,
    memoryMatches: rows.filter((row) => row.memoryMatches).length,
    peaksEqual: rows.filter((row) => row.measuredPeakBytes === row.predictedResidentPeakBytes).length,
  };
}

/** The 1-minute load average before and after each round, and how long the run waited for it to drop. */
interface Load {
  readonly quietBelow: number;
  readonly waitedSeconds: number;
  readonly rounds: readonly { readonly before: number; readonly after: number }[];
}

/** One round's summary, with its load. */
interface RoundSummary extends Summary {
  readonly round: number;
  readonly loadBefore: number;
  readonly loadAfter: number;
}

/** Waits until the 1-minute load average is below QUIET_LOAD, or WAIT_MINUTES have passed. */
async function waitForQuiet(): Promise<{ waitedSeconds: number; before: number }> {
  const started = Date.now();
  let load = loadavg()[0] ?? 0;
  while (load >= QUIET_LOAD && Date.now() - started < WAIT_MINUTES * 60_000) {
    console.error(`fidelity: load ${load.toFixed(2)} >= ${QUIET_LOAD}, waiting ${POLL_SECONDS} s`);
    await sleep(POLL_SECONDS * 1000);
    load = loadavg()[0] ?? 0;
  }
  return { waitedSeconds: Math.round((Date.now() - started) / 1000), before: load };
}

const pct = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;

/** A summary as a clause. */
function summaryClause(summary: Summary): string {
  return `${summary.within} of ${summary.schedules} within ${summary.withinFraction * 100}% (errors ${pct(summary.minError)} to ${pct(summary.maxError)}, median |error| ${(summary.medianAbsError * 100).toFixed(1)}%)`;
}

/** The pooled and per-round summaries as the sentence the README quotes. */
function summarySentence(pooled: Summary, rounds: readonly RoundSummary[]): string {
  const each = rounds.map(
    (r) => `${r.within} of ${r.schedules} at load ${r.loadBefore.toFixed(2)}-${r.loadAfter.toFixed(2)}`,
  );
  return `over ${rounds.length} rounds, ${summaryClause(pooled)} of the simulated schedules; per round ${each.join(", ")}`;
}

function markdown(
  rows: readonly Row[],
  profiles: readonly Profiled[],
  summary: Summary,
  rounds: readonly RoundSummary[],
  environment: ReturnType<typeof benchEnvironment>,
  load: Load,
): string {
  const ms = (x: number) => x.toFixed(4);
  const lines = [
    "# Fidelity: predicted against measured, on real kernels",
    "",
    `Each model is profiled on this machine (\`remat profile\`, TensorFlow.js ${BACKEND}, each instruction's ${ESTIMATOR_WORDS} ${PROFILE_REPEATS} runs of the whole store-all step after ${PROFILE_WARMUP} warm-up runs (src/simulate/estimator.ts says why); each op's fwd and bwd are whole instructions, kernel and overhead, and fwd includes the free of its activation: src/profile/step-times.ts), solved, and each schedule is simulated (\`simulate\` on the backend the instance names, ${BACKEND}: the reference run, ${SIMULATION_WARMUP} untimed runs, ${SIMULATIONS} timed runs); the measured makespan is the sum over instructions of each one's ${ESTIMATOR_WORDS} the ${SIMULATIONS} runs, the estimator the profiler uses; min-max are the runs' own sums. Peaks: the evaluator's (with modelled op temporaries) and without temporaries, against the bytes TensorFlow.js held (tf.memory(), minus parameters and their gradients, plus fixedBytes).`,
    "",
    `${environment.cpu} (${environment.cores} cores), Node ${environment.node}, commit ${environment.commit}, ${environment.date}; ${ROUNDS} rounds, each profiling every model anew and simulating every schedule, after waiting ${load.waitedSeconds} s for the 1-minute load average to drop below ${load.quietBelow}; the load before and after each round: ${load.rounds.map((r) => `${r.before.toFixed(2)}-${r.after.toFixed(2)}`).join(", ")}. Peaks are exact whatever the load; makespans are wall times and move with it and with the host's speed (see the min-max spread).`,
    "",
    `**Summary**: ${summarySentence(summary, rounds)}; gradients equal plain backprop's (wasm tolerance) on ${summary.gradientsMatch} of ${summary.schedules}, memory equals the evaluator's timeline after every instruction on ${summary.memoryMatches} of ${summary.schedules}, measured peak equals the predicted peak without temporaries on ${summary.peaksEqual} of ${summary.schedules}.`,
    "",
    "Per-instruction overhead beyond the kernel, as the profiler measured it (median over the store-all step's instructions of each kind, and the kind's total over the step; a free has no kernel):",
    "",
    "| round | model | store-all step | F median (total) | B median (total) | D median (total) |",
    "| ---: | --- | ---: | ---: | ---: | ---: |",
    ...profiles.map(
      (p) =>
        `| ${p.round} | ${p.model} | ${p.stepMs.toFixed(1)} ms | ${ms(p.overhead.F.medianMs)} (${p.overhead.F.totalMs.toFixed(2)}) ms | ${ms(p.overhead.B.medianMs)} (${p.overhead.B.totalMs.toFixed(2)}) ms | ${ms(p.overhead.D.medianMs)} (${p.overhead.D.totalMs.toFixed(2)}) ms |`,
    ),
    "",
    "| round | model | solver | budget | instr. (F/B/D) | max grad diff | memory = timeline | predicted peak (no temps) | measured peak | predicted makespan | measured makespan (min-max) | error |",
    "| ---: | --- | --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map(
      (r) =>
        `| ${r.round} | ${r.model} | ${r.solver} | ${r.budget} | ${r.instructions} (${r.counts.F}/${r.counts.B}/${r.counts.D}) | ${r.maxGradDiff.toExponential(1)} | ${r.memoryMatches ? "yes" : "no"} | ${r.predictedPeakBytes} (${r.predictedResidentPeakBytes}) | ${r.measuredPeakBytes} | ${r.predictedMakespanMs.toFixed(1)} ms | ${r.measuredMakespanMs.toFixed(1)} ms (${Math.min(...r.measuredMakespansMs).toFixed(1)}-${Math.max(...r.measuredMakespansMs).toFixed(1)}) | ${pct(r.makespanError)} |`,
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
  const { document } = await profileModelReport("resnet-18", {
    config: { batch: 4, inputSize: 32 },
    backend: BACKEND,
  });
  const mincutBudget = String(
    (await firstFeasible(parseInstance(document), "graph-mincut", mincut))?.budgetBytes ?? "none",
  );
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
      [instancePath, result, "--repeats", String(SIMULATIONS), "--warmup", String(SIMULATION_WARMUP)],
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
  const { waitedSeconds } = await waitForQuiet();
  const started = Date.now();
  const environment = benchEnvironment();
  const rows: Row[] = [];
  const profiles: Profiled[] = [];
  const rounds: RoundSummary[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const loadBefore = loadavg()[0] ?? 0;
    const roundRows: Row[] = [];
    for (const { zoo, config } of MODELS) {
      const [profiled, modelRows] = await measureModel(round, zoo, config);
      profiles.push(profiled);
      roundRows.push(...modelRows);
    }
    rows.push(...roundRows);
    rounds.push({ round, loadBefore, loadAfter: loadavg()[0] ?? 0, ...summarize(roundRows) });
  }
  const load: Load = {
    quietBelow: QUIET_LOAD,
    waitedSeconds,
    rounds: rounds.map((r) => ({ before: r.loadBefore, after: r.loadAfter })),
  };
  const summary = summarize(rows);
  writeBenchResults(
    "fidelity",
    {
      environment,
      load,
      backend: BACKEND,
      profile: { warmup: PROFILE_WARMUP, repeats: PROFILE_REPEATS },
      simulation: { warmup: SIMULATION_WARMUP, repeats: SIMULATIONS, estimator: DEFAULT_ESTIMATOR },
      summary,
      rounds,
      summarySentence: summarySentence(summary, rounds),
      profiles,
      rows,
    },
    markdown(rows, profiles, summary, rounds, environment, load),
  );
  console.error(`fidelity: ${summarySentence(summary, rounds)}`);
  const loop = await waitForQuiet();
  const transcript = await loopTranscript();
  const loopAfter = loadavg()[0] ?? 0;
  writeBenchResults(
    "loop",
    {
      environment,
      load: { before: loop.before, waitedSeconds: loop.waitedSeconds, after: loopAfter },
      transcript,
    },
    [
      "# The loop on this machine: profile -> solve -> simulate",
      "",
      `Real output (${environment.cpu}, Node ${environment.node}, commit ${environment.commit}, ${environment.date}; 1-minute load average ${loop.before.toFixed(2)} before, after waiting ${loop.waitedSeconds} s for it to drop below ${QUIET_LOAD}, and ${loopAfter.toFixed(2)} after), produced by \`npx tsx bench/fidelity.ts\` running the \`remat\` commands' own code; \`.\` is a temporary folder. \`remat simulate\` is given no \`--backend\`: it runs on the one the instance was profiled on.`,
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
