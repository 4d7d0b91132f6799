/** `remat import`: an ONNX model file -> an op-level instance (src/onnx). */
import { describeValue, InputError } from "../../errors.js";
import { writeFileAtomic } from "../../io/files.js";
import { checkOutputPath } from "../../io/output-path.js";
import { DEVICES } from "../../onnx/devices.js";
import { type ImportOptions, importOnnx } from "../../onnx/import.js";
import { formatDocument, OPTIMIZER_STATE_FLOATS, type Optimizer } from "../../zoo/document.js";
import {
  noExtraPositionals,
  numberOption,
  type ParsedArgs,
  parseCommandArgs,
  stringOption,
} from "../args.js";
import type { Command } from "../command.js";
import { onnxSource } from "../onnx-model.js";

const SITE = "remat import";
const LOSSES = ["mean-square", "cross-entropy", "none"] as const;

const HELP = `remat import MODEL.onnx [--batch N] [--input NAME=SHAPE]... [--device v100|a100|h100]
             [--loss mean-square|cross-entropy|none] [--optimizer sgd|momentum|adam] [--name NAME] --out FILE

Reads an ONNX model (as torch.onnx.export, tf2onnx or jax2onnx write it) and writes an op-level
instance: one node per ONNX node, its id the node's name; bytes exact from the inferred shapes and
element types; needs from each op's backward (the zoo's op table; an op remat does not know is read
as needing its inputs and output, its shape from the file's value_info, and listed); learned
initializers with their gradients (and optimizer state) in fixedBytes; times a roofline of the
device. A loss is appended to the model's single output: mean-square (default, no labels), or
softmax cross-entropy against int32 labels (classes on axis 1 of a 4-D output, else the last axis).
When every node is an op the simulator has a kernel for (src/onnx/runnable.ts), the instance gets a
model block { onnx: { file, sha256, ... } } and remat simulate runs it with the file's own weights;
otherwise the nodes without a kernel are listed.

Options:
  --batch N          the batch size: the first dimension of every graph input
  --input NAME=SHAPE the shape of one graph input, sizes joined by x or commas (1x3x224x224)
  --device D         roofline device: v100 (default), a100, h100
  --loss L           the loss appended: mean-square (default), cross-entropy, none
  --optimizer O      sgd (default, no state), momentum (1 float per parameter), adam (2)
  --name NAME        instance name (default the graph's name)
  --out FILE         where to write the instance
Exit codes: 0 written, 2 bad input (an unreadable or malformed file names the message and byte).

Example:
  remat import resnet18.onnx --batch 32 --loss cross-entropy --out resnet18.json`;

function fail(path: string, expected: string, received: unknown): never {
  throw new InputError(SITE, [{ code: "option", path, expected, received: describeValue(received) }]);
}

/** The --input NAME=SHAPE options as shapes by name. */
function inputShapes(parsed: ParsedArgs): Record<string, number[]> {
  const raw = parsed.values.input;
  const items = raw === undefined ? [] : Array.isArray(raw) ? raw.map(String) : [String(raw)];
  const shapes: Record<string, number[]> = {};
  for (const item of items) {
    const at = item.lastIndexOf("=");
    const sizes = item
      .slice(at + 1)
      .split(/[x,]/)
      .map(Number);
    if (at <= 0 || sizes.some((size) => !Number.isInteger(size) || size < 1))
      fail("--input", "NAME=SHAPE with positive integer sizes (x=1x3x224x224)", item);
    shapes[item.slice(0, at)] = sizes;
  }
  return shapes;
}

/** The import options from the flags. */
function optionsOf(parsed: ParsedArgs, file: string): ImportOptions {
  const device = stringOption(parsed, "device") ?? "v100";
  if (DEVICES[device] === undefined) fail("--device", Object.keys(DEVICES).join(", "), device);
  const loss = stringOption(parsed, "loss") ?? "mean-square";
  if (!(LOSSES as readonly string[]).includes(loss)) fail("--loss", LOSSES.join(", "), loss);
  const optimizer = stringOption(parsed, "optimizer") ?? "sgd";
  if (!(optimizer in OPTIMIZER_STATE_FLOATS)) fail("--optimizer", "sgd, momentum or adam", optimizer);
  const batch = numberOption("import", parsed, "batch", true);
  const name = stringOption(parsed, "name");
  return {
    file,
    device: DEVICES[device],
    loss: loss as (typeof LOSSES)[number],
    optimizer: optimizer as Optimizer,
    inputShapes: inputShapes(parsed),
    ...(batch === undefined ? {} : { batch }),
    ...(name === undefined ? {} : { name }),
  } as ImportOptions;
}

async function readModel(file: string): Promise<Uint8Array> {
  const fs = await import("node:fs/promises");
  try {
    return new Uint8Array(await fs.readFile(file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new InputError(
      SITE,
      [
        {
          code: "file",
          path: "",
          expected: "a readable ONNX file",
          received: code === "ENOENT" ? "no such file" : code,
        },
      ],
      file,
    );
  }
}

export const importCommand: Command = {
  name: "import",
  summary: "read an ONNX model as an op-level instance",
  help: HELP,
  run: async (args, io) => {
    const parsed = parseCommandArgs("import", args, {
      batch: { type: "string" },
      input: { type: "string", multiple: true },
      device: { type: "string" },
      loss: { type: "string" },
      optimizer: { type: "string" },
      name: { type: "string" },
      out: { type: "string" },
    });
    noExtraPositionals("import", parsed, 1);
    const file = parsed.positionals[0] ?? fail("MODEL", "an ONNX model file", undefined);
    const out = stringOption(parsed, "out") ?? fail("--out", "an output file", undefined);
    checkOutputPath(SITE, out);
    const options = optionsOf(parsed, file);
    const bytes = await readModel(file);
    const { document, warnings, kernels } = importOnnx(bytes, options);
    const loss = options.loss ?? "mean-square";
    const runnable = kernels.runnable && loss !== "none";
    const written = runnable
      ? { ...document, model: { onnx: onnxSource(file, out, bytes, { ...options, loss }) } }
      : document;
    await writeFileAtomic(out, formatDocument(written));
    for (const warning of warnings) io.err(`warning: ${warning}`);
    const activations = document.nodes.reduce((sum, node) => sum + node.bytes, 0);
    io.out(
      `wrote ${out}: ${document.name}, ${document.nodes.length} nodes, ${activations} bytes of activations, fixedBytes ${document.fixedBytes}${warnings.length > 0 ? `, ${warnings.length} op(s) read conservatively` : ""}`,
    );
    io.out(
      runnable
        ? "runnable: every node has a kernel; remat simulate runs it with the file's weights (model.onnx)"
        : `not runnable on the simulator's kernels: ${kernels.runnable ? "no loss appended" : `${kernels.missing.length} node(s) without a kernel, first ${kernels.missing[0]}`}`,
    );
    return 0;
  },
};
