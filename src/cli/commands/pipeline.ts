/** `remat pipeline`: partition a chain or an op graph (at its cut points) into pipeline stages on P devices, and report the plan's step time. */

import { pipelineSolvers } from "../../../solvers/pipeline/registry.js";
import { type SolvePipelineOptions, solvePipelineAsync } from "../../../solvers/pipeline/solve.js";
import { formatBytes } from "../../budget.js";
import { describeValue, InputError } from "../../errors.js";
import { loadInstance, readJson } from "../../instance/load.js";
import { writeFileAtomic } from "../../io/files.js";
import { timelineSvg } from "../../pipeline/timeline-svg.js";
import type { PipelineResult } from "../../pipeline/types.js";
import {
  noExtraPositionals,
  numberOption,
  parseCommandArgs,
  requirePositional,
  stringOption,
} from "../args.js";
import type { Command } from "../command.js";
import { renderTable } from "../table.js";

const HELP = `remat pipeline INSTANCE --devices P --memory M --microbatches m --schedule 1f1b|gpipe
                      [--solver NAME] [--link B] [--latency T] [--slots S] [--no-checkpointing]
                      [--state FILE] [--time-limit S] [--lp highs|glpk|jslp]
                      [--recompute-per stage|microbatch] [--json] [--plot FILE.svg]

Cuts an instance into contiguous stages on P devices (stage s on device s): a chain anywhere, an
op-level graph only at its cut points (where one activation is all that crosses). Runs m micro-batches
with the schedule kind (gpipe: all forwards then all backwards; 1f1b: PipeDream-Flush), gives each
stage a single-device schedule (store-all, or chain-dp's checkpointing of its nodes or of its blocks
under the memory its in-flight micro-batches leave), and reports the partition, each device's peak, the step time and the
throughput against the ideal (m x total compute / P) and a proven lower bound. Every plan is checked
by the pipeline evaluator (proofs/pipeline-model.md).

Options:
  --devices P         devices (at most P stages are used)
  --memory M          memory of each device: bytes, with a unit (16GB), or % of the one-device store-all peak
  --microbatches m    micro-batches per step
  --schedule K        1f1b or gpipe
  --solver NAME       ${pipelineSolvers.map((s) => s.name).join(", ")} (default pipeline-dp)
  --link B            device-to-device bandwidth (25GB/s, or bytes/ms); default: transfers cost nothing
  --latency T         per-transfer latency (5us, or ms; default 0)
  --slots S           memory discretization of the stages' chain DP (default 200)
  --no-checkpointing  every stage stores all its activations
  --state FILE        JSON object: node id -> bytes of its parameters, gradients and optimizer state
                      (summing to fixedBytes); default: fixedBytes split by compute time
  --time-limit S      seconds; an unfinished search answers timeout with the best plan so far
  --lp NAME           pipeline-ilp's LP/MILP backend: highs (default), glpk, jslp (proves nothing)
  --recompute-per K   pipeline-ilp: stage (default; one schedule per stage, run by every micro-batch)
                      or microbatch (a schedule per (stage, micro-batch), as elf: e.g. two
                      micro-batches store all, two recompute; on the best partition, then jointly
                      with the partition, optimal over that class when every MILP is proven;
                      the joint MILPs grow with P, m and the chain: give --time-limit)
  --json              the result as JSON (remat-pipeline-result/1)
  --plot FILE.svg     draw the per-device timeline
Exit codes: 0 an answer (infeasible and timeout included), 2 bad input.
Example: remat pipeline instances/zoo/gpt2-small-b8-t1024-block.json --devices 4 --memory 6GB --microbatches 8 --schedule 1f1b`;

/** Library option paths and the flags that set them. */
const FLAG_OF: Readonly<Record<string, string>> = {
  devices: "--devices",
  memory: "--memory",
  microbatches: "--microbatches",
  schedule: "--schedule",
  solver: "--solver",
  slots: "--slots",
  "link.bandwidth": "--link",
  "link.latency": "--latency",
  stateBytes: "--state",
  "extra.lp": "--lp",
  "extra.recomputePer": "--recompute-per",
};

export const pipelineCommand: Command = {
  name: "pipeline",
  summary: "pipeline parallelism: stages on P devices, micro-batches, per-stage checkpointing",
  help: HELP,
  run: async (args, io) => {
    const parsed = parseCommandArgs("pipeline", args, {
      devices: { type: "string" },
      memory: { type: "string" },
      microbatches: { type: "string" },
      schedule: { type: "string" },
      solver: { type: "string" },
      link: { type: "string" },
      latency: { type: "string" },
      slots: { type: "string" },
      "no-checkpointing": { type: "boolean" },
      state: { type: "string" },
      "time-limit": { type: "string" },
      lp: { type: "string" },
      "recompute-per": { type: "string" },
      json: { type: "boolean" },
      plot: { type: "string" },
    });
    const path = requirePositional("pipeline", parsed, 0, "INSTANCE");
    noExtraPositionals("pipeline", parsed, 1);
    const options = await optionsOf(parsed);
    const instance = await loadInstance(path);
    let result: PipelineResult;
    try {
      result = await solvePipelineAsync(instance, options);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      throw new InputError(
        "remat pipeline",
        error.issues.map((issue) => ({ ...issue, path: flagOf(issue.path) })),
        path,
      );
    }
    const plot = stringOption(parsed, "plot");
    if (plot !== undefined && result.evaluation !== null)
      await writeFileAtomic(
        plot,
        timelineSvg(
          result.evaluation,
          `${result.instance}: ${result.solver}, ${result.schedule}, ${result.devices} devices, m = ${result.microbatches}`,
        ),
      );
    io.out(parsed.values.json === true ? JSON.stringify(result, null, 2) : describe(result));
    return 0;
  },
};

function flagOf(path: string): string {
  if (path.startsWith("stateBytes")) return path.replace(/^stateBytes/, "--state");
  return FLAG_OF[path] ?? path;
}

async function optionsOf(parsed: ReturnType<typeof parseCommandArgs>): Promise<SolvePipelineOptions> {
  const required = (name: string) => {
    const value = stringOption(parsed, name);
    if (value === undefined)
      throw new InputError("remat pipeline", [
        {
          code: "required",
          path: `--${name}`,
          expected: `--${name} (see remat pipeline --help)`,
          received: "missing",
        },
      ]);
    return value;
  };
  const count = (name: string) => Number(required(name));
  const statePath = stringOption(parsed, "state");
  const state = statePath === undefined ? undefined : await readJson(statePath, "remat pipeline");
  if (state !== undefined && (typeof state !== "object" || state === null || Array.isArray(state)))
    throw new InputError(
      "remat pipeline",
      [
        {
          code: "type",
          path: "--state",
          expected: "a JSON object of node id -> bytes",
          received: describeValue(state),
        },
      ],
      statePath,
    );
  const link = stringOption(parsed, "link");
  const latency = stringOption(parsed, "latency");
  const slots = numberOption("pipeline", parsed, "slots", true);
  const limit = numberOption("pipeline", parsed, "time-limit");
  const extra = ilpSwitches(parsed);
  return {
    devices: count("devices"),
    memory: required("memory"),
    microbatches: count("microbatches"),
    schedule: required("schedule"),
    solver: stringOption(parsed, "solver") ?? "pipeline-dp",
    ...(link === undefined && latency === undefined
      ? {}
      : {
          link: {
            ...(link === undefined ? {} : { bandwidth: link }),
            ...(latency === undefined ? {} : { latency }),
          },
        }),
    ...(slots === undefined ? {} : { slots }),
    ...(limit === undefined ? {} : { timeLimitSec: limit }),
    checkpointing: parsed.values["no-checkpointing"] !== true,
    ...(state === undefined ? {} : { stateBytes: state as Record<string, number> }),
    ...(Object.keys(extra).length === 0 ? {} : { extra }),
  };
}

/** pipeline-ilp's switches from `--lp` and `--recompute-per` (the solver checks their values). */
function ilpSwitches(parsed: ReturnType<typeof parseCommandArgs>): Record<string, string> {
  const lp = stringOption(parsed, "lp");
  const recomputePer = stringOption(parsed, "recompute-per");
  return {
    ...(lp === undefined ? {} : { lp }),
    ...(recomputePer === undefined ? {} : { recomputePer }),
  };
}

/** The result as text: the partition per device, then the step time against the ideal and the bound. */
export function describe(result: PipelineResult): string {
  const head = `${result.solver}: ${result.status} (${result.schedule}, ${result.devices} devices of ${formatBytes(result.memoryBytes)}, ${result.microbatches} micro-batches)`;
  const evaluation = result.evaluation;
  const bound = `lower bound ${result.lowerBound.valueMs.toFixed(3)} ms (${result.lowerBound.method})`;
  if (evaluation === null) return [head, result.reason ?? "", bound].join("\n");
  const rows = evaluation.devices.map((device, s) => [
    String(s),
    `${device.first}..${device.last}`,
    device.lastNode,
    String(device.nodeCount),
    formatBytes(device.profile.stateBytes),
    formatBytes(device.profile.keptBytes),
    String(device.maxInFlight),
    String(device.profile.recomputations),
    formatBytes(device.peakBytes),
    (device.profile.forwardMs + device.profile.backwardMs).toFixed(3),
  ]);
  const table = renderTable(
    ["device", "nodes", "ends at", "count", "state", "kept/mb", "in flight", "recomp", "peak", "ms/mb"],
    rows,
  );
  const ideal = evaluation.idealStepMs;
  const summary = [
    `step time ${evaluation.stepMs.toFixed(3)} ms, throughput ${evaluation.throughput.toFixed(3)} micro-batches/s`,
    `ideal ${ideal.toFixed(3)} ms (m x total compute / P; step = ${(evaluation.stepMs / ideal).toFixed(3)} x ideal)`,
    `${bound}; gap ${((result.gap ?? 0) * 100).toFixed(2)}%`,
  ];
  return [head, table, ...summary, ...certificateLines(result, evaluation)].join("\n");
}

/** The per-micro-batch lines, then what the answer is optimal over (or why not) and the class bound. */
function certificateLines(
  result: PipelineResult,
  evaluation: NonNullable<PipelineResult["evaluation"]>,
): string[] {
  const lines = microbatchLines(evaluation);
  if (result.optimalOver !== null) lines.push(`optimal over ${result.optimalOver}`);
  else if (result.reason !== null) lines.push(result.reason);
  const classBound = result.stats.classBoundMs;
  if (classBound !== undefined) lines.push(`bound over the solver's class ${classBound.toFixed(3)} ms`);
  return lines;
}

/**
 * One line per device whose micro-batches ran more than one schedule: which micro-batches ran which
 * (its kept bytes, recomputations and time per micro-batch). The table above shows `schedule`'s profile.
 */
function microbatchLines(evaluation: NonNullable<PipelineResult["evaluation"]>): string[] {
  return evaluation.devices.flatMap((device) => {
    const used = [...new Set(device.profileOf)];
    if (used.length < 2) return [];
    const groups = used.map((k) => {
      const profile = device.profiles[k] as (typeof device.profiles)[number];
      const which = device.profileOf.flatMap((x, j) => (x === k ? [j] : []));
      return `${which.length} (${which.join(",")}) keep ${formatBytes(profile.keptBytes)}, ${profile.recomputations} recomputes, ${(profile.forwardMs + profile.backwardMs).toFixed(3)} ms`;
    });
    return [`device ${device.device} per micro-batch: ${groups.join("; ")}`];
  });
}
