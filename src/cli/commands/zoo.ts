/**
 * `remat zoo`: lists the model zoo, and generates op-level or block-level instances from it, one at a
 * time or the whole shipped set (`instances/zoo/`). Files are written to a temporary name and renamed.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { formatBytes } from "../../budget.js";
import { describeValue, InputError, type InputIssue } from "../../errors.js";
import { writeFileAtomic } from "../../io/files.js";
import { checkOutputFolder, checkOutputPath } from "../../io/output-path.js";
import type { ZooConfig } from "../../zoo/config.js";
import { generateWithStorage } from "../../zoo/densities.js";
import { OPTIMIZER_STATE_FLOATS, type Optimizer, parameterCount } from "../../zoo/document.js";
import { generateInstance, SHIPPED_SETTINGS, type ZooSetting } from "../../zoo/generate.js";
import { tensorBytes } from "../../zoo/ops/shape.js";
import { zooModel, zooModels } from "../../zoo/registry.js";
import { numberOption, type ParsedArgs, parseCommandArgs, stringOption } from "../args.js";
import type { Command, CommandIo } from "../command.js";
import { renderTable } from "../table.js";

const HELP = `remat zoo [--json]
remat zoo generate NAME [--batch N] [--input-size S] [--seq T] [--set KEY=VALUE]...
                        [--level op|block] [--optimizer sgd|momentum|adam] --out FILE
remat zoo generate --all --out-dir DIR

Lists the zoo's networks (name, ops, parameters, activation bytes at the default config), or writes
an instance generated from one: op level (one node per op, a DAG, with the model for the simulator)
or block level (one node per block, a chain). Bytes are exact from the shapes; times are a roofline
of an NVIDIA V100 (fp32); fixedBytes counts parameters, gradients and the optimizer's state.

Options:
  --batch N          batch size
  --input-size S     image side in pixels (features for mlp)
  --seq T            sequence length (gpt2-small)
  --set KEY=VALUE    any other config key (classes, layers, heads, dim, vocab, width, ...)
  --level op|block   default op
  --densities        add each node's density from the zoo's table (measured by the simulator at
                     initialisation: trained networks are sparser) and bitmap/fp16/bf16 storage costs
                     (a 900 GB/s roofline); the bundled instances have none
  --optimizer NAME   sgd (no state, default), momentum (1 float per parameter), adam (2)
  --out FILE         where to write the instance
  --all              regenerate every shipped instance into --out-dir (instances/zoo)

Examples:
  remat zoo
  remat zoo generate resnet-50 --batch 32 --input-size 224 --level block --out r50.json
  remat zoo generate gpt2-small --batch 2 --seq 64 --set layers=2 --set heads=2 --set dim=64 --out tiny.json`;

/** Config keys with their own flag; other keys come from `--set KEY=VALUE`. */
const KEY_FLAGS: Readonly<Record<string, string>> = { batch: "batch", inputSize: "input-size", seq: "seq" };

const OPTIONS = {
  json: { type: "boolean" },
  batch: { type: "string" },
  "input-size": { type: "string" },
  seq: { type: "string" },
  set: { type: "string", multiple: true },
  level: { type: "string" },
  optimizer: { type: "string" },
  out: { type: "string" },
  "out-dir": { type: "string" },
  all: { type: "boolean" },
  densities: { type: "boolean" },
} as const;

export const zooCommand: Command = {
  name: "zoo",
  summary: "list the model zoo, or generate an instance from one of its networks",
  help: HELP,
  run: async (args, io) => {
    const parsed = parseCommandArgs("zoo", args, OPTIONS);
    const [sub, name, ...extra] = parsed.positionals;
    if (sub === undefined) return list(parsed, io);
    if (sub !== "generate" || extra.length > 0)
      throw optionError("arguments", "`generate` or nothing", [sub, name, ...extra].join(" "));
    if (parsed.values.all === true) return generateAll(parsed, name, io);
    if (name === undefined || !zooModels.some((model) => model.name === name))
      throw optionError("NAME", `a zoo name (${zooModels.map((m) => m.name).join(", ")})`, name);
    return generateOne(parsed, name, io);
  },
};

async function list(parsed: ParsedArgs, io: CommandIo): Promise<number> {
  const rows = zooModels.map((model) => {
    const graph = model.build();
    const activationBytes = graph.ops.reduce((sum, op) => sum + tensorBytes(op.shape), 0);
    return {
      name: model.name,
      ops: graph.ops.length,
      params: parameterCount(graph),
      activationBytes,
      config: model.defaults,
      description: model.description,
    };
  });
  if (parsed.values.json === true) io.out(JSON.stringify(rows, null, 2));
  else
    io.out(
      renderTable(
        ["name", "ops", "params", "activations", "default config", "description"],
        rows.map((row) => [
          row.name,
          String(row.ops),
          row.params.toLocaleString("en-US"),
          formatBytes(row.activationBytes),
          Object.entries(row.config)
            .map(([key, value]) => `${key}=${value}`)
            .join(" "),
          row.description,
        ]),
      ),
    );
  return 0;
}

async function generateOne(parsed: ParsedArgs, name: string, io: CommandIo): Promise<number> {
  const out = stringOption(parsed, "out");
  if (out === undefined) throw optionError("--out", "a file to write");
  checkOutputPath("remat zoo", out);
  const level = parsed.values.level ?? "op";
  if (level !== "op" && level !== "block") throw optionError("--level", "op or block", level);
  const optimizer = parsed.values.optimizer ?? "sgd";
  if (typeof optimizer !== "string" || !(optimizer in OPTIMIZER_STATE_FLOATS))
    throw optionError("--optimizer", "sgd, momentum or adam", optimizer);
  const setting: ZooSetting = {
    zoo: name,
    config: configFrom(parsed, name),
    level,
    optimizer: optimizer as Optimizer,
  };
  const generated = withFlagPaths(() =>
    parsed.values.densities === true ? generateWithStorage(setting) : generateInstance(setting),
  );
  await writeFileAtomic(out, generated.text);
  io.out(`wrote ${out} (${generated.document.nodes.length} nodes): ${generated.command}`);
  return 0;
}

async function generateAll(parsed: ParsedArgs, name: string | undefined, io: CommandIo): Promise<number> {
  const outDir = stringOption(parsed, "out-dir");
  if (outDir === undefined) throw optionError("--out-dir", "a folder to write the shipped instances to");
  if (name !== undefined) throw optionError("NAME", "no name with --all", name);
  checkOutputFolder("remat zoo", outDir, "--out-dir");
  await mkdir(outDir, { recursive: true });
  for (const setting of SHIPPED_SETTINGS) {
    const generated = generateInstance(setting);
    await writeFileAtomic(join(outDir, generated.fileName), generated.text);
    io.out(`wrote ${join(outDir, generated.fileName)}`);
  }
  return 0;
}

/** The config given by `--batch`, `--input-size`, `--seq` and `--set KEY=VALUE`, checked against the model's keys. */
function configFrom(parsed: ParsedArgs, name: string): ZooConfig {
  const config: Record<string, number> = {};
  for (const [key, flag] of Object.entries(KEY_FLAGS)) {
    const value = numberOption("zoo", parsed, flag, true);
    if (value !== undefined) config[key] = value;
  }
  const sets = (parsed.values as Record<string, unknown>).set;
  for (const entry of Array.isArray(sets) ? (sets as string[]) : []) {
    const match = /^([A-Za-z]+)=([0-9]+)$/.exec(entry);
    const value = Number(match?.[2]);
    if (match === null || !Number.isInteger(value) || value < 1)
      throw optionError("--set", "KEY=VALUE with a positive integer VALUE", entry);
    config[match[1] as string] = value;
  }
  const defaults = zooModel(name).defaults;
  for (const key of Object.keys(config))
    if (!(key in defaults))
      throw optionError(
        flagOf(key),
        `an option of ${name} (its config keys: ${Object.keys(defaults).join(", ")})`,
        String(config[key]),
      );
  return config;
}

/** Runs `make`, renaming the config keys in its InputError paths to the flags that set them. */
function withFlagPaths<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new InputError(
      "remat zoo",
      error.issues.map((issue): InputIssue => ({ ...issue, path: flagOf(issue.path) })),
    );
  }
}

function flagOf(key: string): string {
  const flag = KEY_FLAGS[key];
  return flag === undefined ? `--set ${key}` : `--${flag}`;
}

function optionError(path: string, expected: string, received?: unknown): InputError {
  return new InputError("remat zoo", [{ code: "option", path, expected, received: describeValue(received) }]);
}
