/** `remat fit`: the largest batch of a zoo network that each solver fits in a memory. */
import { solve } from "../../../solvers/index.js";
import { predictInstance } from "../../batch-model/predict.js";
import { formatBytes, parseBudget } from "../../budget.js";
import { describeValue, InputError } from "../../errors.js";
import { fitBatches } from "../../fit/fit.js";
import type { FitLevel, FitReport, FitRow } from "../../fit/types.js";
import type { InstanceDocument } from "../../instance/document.js";
import { readJson } from "../../instance/load.js";
import { parseInstance } from "../../instance/parse.js";
import type { Instance } from "../../instance/types.js";
import { OPTIMIZER_STATE_FLOATS, type Optimizer } from "../../zoo/document.js";
import { zooModel } from "../../zoo/registry.js";
import { noExtraPositionals, numberOption, parseCommandArgs, stringOption } from "../args.js";
import type { Command } from "../command.js";
import { MICROBATCH_HELP, MICROBATCH_OPTIONS, microbatchChoice } from "../microbatch-flags.js";
import { renderTable, wrapText } from "../table.js";

/** The solvers tried when --solvers is not given: those that plan without a host link. */
export const DEFAULT_FIT_SOLVERS = [
  "store-all",
  "chen-sqrt",
  "chen-greedy",
  "chain-dp",
  "revolve",
  "graph-mincut",
  "recompute-all",
] as const;

const HELP = `remat fit --model NAME --memory M [--input-size S] [--set KEY=VALUE]... [options]
       remat fit --batch-model PROFILE.json --memory M [options]

For store-all and each solver, the largest batch size of zoo network NAME whose plan fits in M bytes
(fixedBytes included), within the overhead cap when given. The zoo instance is regenerated at every
batch size tried; the search doubles the batch from 1 until it does not fit, then bisects between
the last that fit and the first that did not. It assumes that a batch fits when a larger one does;
the report checks that every size of the instance grows with the batch (so that any one
schedule's peak does), but a heuristic solver may still fit a batch and not a smaller one: every
probe is listed with --json. Each solver runs on the levels it accepts (op-level DAG, block-level
chain).

With --batch-model the instances come from a profile's batch model (remat profile --batches): at
each batch tried, every node's sizes and times are read off their fitted lines and raised by each
line's largest residual over the profiled batches (the safety margin; 0 for sizes that are exactly
linear, as activations are), op level only; the network and its config are the profile's.

Options:
  --model NAME        a zoo network (remat zoo list), required unless --batch-model
  --batch-model FILE  an instance with a batch model (remat profile --batches)
  --memory M          bytes with an optional unit (1GB, 1GiB, 4e9), required
  --input-size S      image side (or --seq T for GPT-2); --set KEY=VALUE for other config keys
  --level L           op, block or both (default both)
  --optimizer NAME    sgd (default), momentum or adam: its state counts in fixedBytes
  --solvers A,B,...   default ${DEFAULT_FIT_SOLVERS.join(",")}
                      (no offloading: the memory is the only memory; add offload solvers by name)
  --max-overhead X    the largest overhead accepted, a fraction (0.5) or a percentage (50%)
  --time-limit SEC    per solve (an answer found in time counts; the batch may then depend on
                      the machine)
  --max-batch N       the largest batch tried (default 65536)
  --storage MODES     none (default), bitmap, bitmap,fp16, ...: the solvers that plan stored forms
                      may use these modes; the zoo instances then carry the zoo's densities,
                      measured at initialisation (trained networks are sparser), and roofline
                      conversion times; a solver that plans none of them is not applicable
${MICROBATCH_HELP}
                      (with K fixed the batch searched is a multiple of K; without
                      --max-overhead every batch fits once batch 1 does)
  --json              the report with every probe
Times are the zoo's roofline (NVIDIA V100): overheads are ratios of those times.
Exit codes: 0 an answer, 2 bad input.
Examples:
  remat fit --model mobilenet-v2 --memory 1GB --level block --solvers store-all,chain-dp`;

export const fitCommand: Command = {
  name: "fit",
  summary: "the largest batch of a zoo network each solver fits in a memory",
  help: HELP,
  run: async (args, io) => {
    const parsed = parseCommandArgs("fit", args, {
      model: { type: "string" },
      "batch-model": { type: "string" },
      memory: { type: "string" },
      "input-size": { type: "string" },
      seq: { type: "string" },
      set: { type: "string", multiple: true },
      level: { type: "string" },
      optimizer: { type: "string" },
      solvers: { type: "string" },
      "max-overhead": { type: "string" },
      "time-limit": { type: "string" },
      "max-batch": { type: "string" },
      storage: { type: "string" },
      json: { type: "boolean" },
      ...MICROBATCH_OPTIONS,
    });
    noExtraPositionals("fit", parsed, 0);
    const profiled = await batchModelOption(parsed);
    const model =
      profiled?.model ?? required(stringOption(parsed, "model"), "--model", "a zoo network (remat zoo list)");
    checkModel(model);
    const memoryText = required(stringOption(parsed, "memory"), "--memory", "bytes, e.g. 1GB");
    const budget = parseBudget(memoryText, "--memory");
    if (budget.kind !== "bytes")
      throw optionError("--memory", "bytes, e.g. 1GB (not a percentage or none)", memoryText);
    const levels = levelsOption(parsed, profiled !== undefined);
    const optimizer = stringOption(parsed, "optimizer") ?? "sgd";
    if (!(optimizer in OPTIMIZER_STATE_FLOATS))
      throw optionError("--optimizer", "sgd, momentum or adam", optimizer);
    const solverText = stringOption(parsed, "solvers");
    const solvers =
      solverText === undefined ? [...DEFAULT_FIT_SOLVERS] : solverText.split(",").filter((s) => s !== "");
    const maxOverhead = overheadOption(stringOption(parsed, "max-overhead"));
    const timeLimitSec = numberOption("fit", parsed, "time-limit");
    const maxBatch = numberOption("fit", parsed, "max-batch", true);
    const micro = microbatchChoice("remat fit", parsed.values);
    const config = profiled?.config ?? configFrom(parsed);
    checkConfig(model, config);
    const report = await fitBatches(
      {
        model,
        config,
        levels,
        optimizer: optimizer as Optimizer,
        memoryBytes: budget.bytes,
        solvers,
        ...(maxOverhead === undefined ? {} : { maxOverhead }),
        ...(timeLimitSec === undefined ? {} : { timeLimitSec }),
        ...(maxBatch === undefined ? {} : { maxBatch }),
        ...(profiled === undefined ? {} : { instanceAt: profiled.instanceAt }),
        ...micro,
        ...storageOption(stringOption(parsed, "storage")),
      },
      solve,
    );
    io.out(parsed.values.json === true ? JSON.stringify(report, null, 2) : describeFit(report));
    return 0;
  },
};

function required(value: string | undefined, flag: string, expected: string): string {
  if (value === undefined)
    throw new InputError("remat fit", [{ code: "required", path: flag, expected, received: "missing" }]);
  return value;
}

function optionError(path: string, expected: string, received: unknown): InputError {
  return new InputError("remat fit", [{ code: "option", path, expected, received: describeValue(received) }]);
}

/** @throws InputError (path `--model`) for a network the zoo does not have */
function checkModel(model: string): void {
  try {
    zooModel(model);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new InputError(
      "remat fit",
      error.issues.map((issue) => ({ ...issue, path: "--model" })),
    );
  }
}

/** @throws InputError naming the flag of a config key the network rejects */
function checkConfig(model: string, config: Record<string, number>): void {
  try {
    zooModel(model).build({ ...config, batch: 1 });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const flags: Record<string, string> = { inputSize: "--input-size", seq: "--seq" };
    throw new InputError(
      "remat fit",
      error.issues.map((issue) => ({ ...issue, path: flags[issue.path] ?? `--set ${issue.path}` })),
    );
  }
}

/** `0.5` or `50%` as 0.5; undefined when absent. */
function overheadOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const percent = text.trim().endsWith("%");
  const value = Number(percent ? text.trim().slice(0, -1) : text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0)
    throw optionError("--max-overhead", "a fraction (0.5) or a percentage (50%), at least 0", text);
  return percent ? value / 100 : value;
}

/** The config from --input-size, --seq and --set KEY=VALUE (checked by the zoo, --batch refused). */
function configFrom(parsed: ReturnType<typeof parseCommandArgs>): Record<string, number> {
  const config: Record<string, number> = {};
  const inputSize = numberOption("fit", parsed, "input-size", true);
  if (inputSize !== undefined) config.inputSize = inputSize;
  const seq = numberOption("fit", parsed, "seq", true);
  if (seq !== undefined) config.seq = seq;
  const sets = parsed.values.set;
  for (const entry of Array.isArray(sets) ? sets : []) {
    const match = /^([A-Za-z]+)=([0-9]+)$/.exec(entry);
    const value = Number(match?.[2]);
    if (match === null || !Number.isInteger(value) || value < 1 || match[1] === "batch")
      throw optionError("--set", "KEY=VALUE with a positive integer VALUE (the batch is searched)", entry);
    config[match[1] as string] = value;
  }
  return config;
}

/** The levels searched: --level (op, block or both; default both), op alone with a batch model. */
function levelsOption(parsed: ReturnType<typeof parseCommandArgs>, profiled: boolean): FitLevel[] {
  const levelText = stringOption(parsed, "level") ?? "both";
  if (!["op", "block", "both"].includes(levelText))
    throw optionError("--level", "op, block or both", levelText);
  if (profiled) return ["op"];
  return levelText === "both" ? ["op", "block"] : [levelText as FitLevel];
}

/** What --batch-model gives: the profiled network, its config, and the predicted instance at each batch. */
interface ProfiledModel {
  readonly model: string;
  readonly config: Record<string, number>;
  readonly instanceAt: (level: FitLevel, batch: number) => Instance;
}

/**
 * Reads --batch-model (absent: undefined): an instance with a batch model and a zoo model block. The
 * flags that would contradict it (--model, --level block, --optimizer, --input-size, --seq, --set) are
 * refused.
 */
async function batchModelOption(
  parsed: ReturnType<typeof parseCommandArgs>,
): Promise<ProfiledModel | undefined> {
  const file = stringOption(parsed, "batch-model");
  if (file === undefined) return undefined;
  for (const flag of ["model", "optimizer", "input-size", "seq", "set"] as const)
    if (parsed.values[flag] !== undefined)
      throw optionError(
        `--${flag}`,
        `no --${flag} with --batch-model (the profile fixes it)`,
        parsed.values[flag],
      );
  if ((stringOption(parsed, "level") ?? "op") !== "op")
    throw optionError(
      "--level",
      "op with --batch-model (profiles are op level)",
      stringOption(parsed, "level"),
    );
  const raw = await readJson(file, "remat fit");
  const instance = parseInstance(raw, file);
  const issue = (path: string, expected: string) =>
    new InputError("remat fit", [{ code: "required", path, expected, received: "none" }], file);
  if (instance.batchModel === undefined)
    throw issue("batchModel", "a batch model (made by remat profile --batches)");
  const spec = instance.model;
  if (spec?.zoo === undefined) throw issue("model.zoo", "the zoo network the profile measured");
  const { batch: _searched, ...rest } = spec.config;
  const config = Object.fromEntries(
    Object.entries(rest).filter(([, value]) => typeof value === "number"),
  ) as Record<string, number>;
  const document = raw as InstanceDocument;
  return {
    model: spec.zoo,
    config,
    instanceAt: (_level, batch) =>
      predictInstance(document, batch, { margin: true, name: `${instance.name}-b${batch}-predicted` }),
  };
}

/** The first 60 characters of `text`. */
const brief = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}...` : text);

const percent = (value: number | null) => (value === null ? "-" : `${(100 * value).toFixed(1)}%`);

/** The table cells of one row (without the k column). */
function fitCells(row: FitRow): string[] {
  if (!row.applicable)
    return [row.solver, row.level, "n/a", "-", "-", "-", `not applicable: ${brief(row.reason ?? "")}`, "0"];
  return [
    row.solver,
    row.level,
    `${row.capped ? ">=" : ""}${row.batch}`,
    row.peakBytes === null ? "-" : formatBytes(row.peakBytes),
    percent(row.overhead),
    row.solveMs === null ? "-" : row.solveMs.toFixed(0),
    row.firstFailing === null ? "-" : `${row.firstFailing.batch}: ${row.firstFailing.why}`,
    String(row.probes.length),
  ];
}

/** The k column: the step's micro-batches at the batch found. */
function kCell(row: FitRow): string {
  return row.microbatches === null || row.microbatches === undefined ? "-" : String(row.microbatches);
}

/** The report as a table: one row per solver and level. */
export function describeFit(report: FitReport): string {
  const micro = report.microbatches !== undefined;
  const rows = report.rows.map((row) => [...fitCells(row), ...(micro ? [kCell(row)] : [])]);
  const monotone = Object.entries(report.sizesMonotone)
    .map(([level, ok]) => `${level} ${ok ? "yes" : "NO"}`)
    .join(", ");
  return [
    `model ${report.model} ${JSON.stringify(report.config)} (batch searched), optimizer ${report.optimizer}`,
    `memory ${formatBytes(report.memoryBytes)}, fixedBytes ${formatBytes(report.fixedBytes)}, overhead cap ${report.maxOverhead === null ? "none" : percent(report.maxOverhead)}`,
    renderTable(
      [
        "solver",
        "level",
        "batch",
        "peak",
        "overhead",
        "solve ms",
        "first batch that does not fit",
        "probes",
        ...(micro ? ["k"] : []),
      ],
      rows,
    ),
    ...wrapText(`Search: ${report.search}. Sizes nondecreasing in the batch across the probes: ${monotone}.`),
    ...(report.storage === undefined
      ? []
      : wrapText(
          `Storage modes: ${report.storage.modes.join(", ")}; densities ${report.storage.densities}.`,
        )),
  ].join("\n");
}

/** The fit's storage option (absent when not given). */
function storageOption(text: string | undefined): { storage?: string } {
  return text === undefined ? {} : { storage: text };
}
