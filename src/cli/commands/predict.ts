/** `remat predict`: an instance with a batch model (from `remat profile --batches`) at another batch size. */

import { predictDocument } from "../../batch-model/predict.js";
import { describeValue, InputError } from "../../errors.js";
import type { InstanceDocument } from "../../instance/document.js";
import { readJson } from "../../instance/load.js";
import { parseInstance } from "../../instance/parse.js";
import { writeFileAtomic } from "../../io/files.js";
import { checkOutputPath } from "../../io/output-path.js";
import { formatDocument } from "../../zoo/document.js";
import { noExtraPositionals, numberOption, parseCommandArgs, stringOption } from "../args.js";
import type { Command } from "../command.js";

const HELP = `remat predict INSTANCE --batch N --out FILE [--margin] [--name NAME]

Writes INSTANCE's network at batch N, predicted from its batch model (the per-node lines of sizes and
times against the batch that \`remat profile --batches\` fits): each node's bytes, gradient, tape and
workspace sizes, its forward and backward times, and fixedBytes read off their lines at N. Sizes on
exact lines (every profiled batch on the line, as activations are) are exact; the others round up.
With --margin every value is raised by its line's largest residual over the profiled batches (a
bound there, an assumption beyond them). Stored forms are dropped (their times were measured at the
profiled batch only).

Options:
  --batch N     the batch size to predict (a positive integer)
  --out FILE    where to write the instance (a temporary name, then renamed)
  --margin      raise each value by its line's largest residual
  --name NAME   instance name (default {name}-b{N}-predicted)
Exit codes: 0 written, 2 bad input.`;

export const predictCommand: Command = {
  name: "predict",
  summary: "an instance with a batch model (profile --batches) at another batch size",
  help: HELP,
  run: async (args, io) => {
    const parsed = parseCommandArgs("predict", args, {
      batch: { type: "string" },
      out: { type: "string" },
      margin: { type: "boolean" },
      name: { type: "string" },
    });
    noExtraPositionals("predict", parsed, 1);
    const file = parsed.positionals[0];
    if (file === undefined) throw required("INSTANCE", "an instance file with a batchModel block");
    const batch = numberOption("predict", parsed, "batch", true);
    if (batch === undefined) throw required("--batch", "a positive integer");
    const out = stringOption(parsed, "out") ?? throwRequired("--out", "an output file");
    checkOutputPath("remat predict", out);
    const raw = await readJson(file, "remat predict");
    const instance = parseInstance(raw, file);
    if (instance.batchModel === undefined)
      throw new InputError(
        "remat predict",
        [
          {
            code: "required",
            path: "batchModel",
            expected: "a batch model (made by remat profile --batches)",
            received: "none",
          },
        ],
        file,
      );
    const name = stringOption(parsed, "name");
    const document = predictDocument(raw as InstanceDocument, batch, {
      margin: parsed.values.margin === true,
      ...(name === undefined ? {} : { name }),
    });
    parseInstance(document, out);
    await writeFileAtomic(out, formatDocument(document));
    io.out(
      `wrote ${out}: ${document.name}, batch ${batch} predicted from batches ${instance.batchModel.batches.join(", ")}${parsed.values.margin === true ? " with the residual margin" : ""}`,
    );
    return 0;
  },
};

function required(path: string, expected: string): InputError {
  return new InputError("remat predict", [
    { code: "required", path, expected, received: describeValue(undefined) },
  ]);
}

function throwRequired(path: string, expected: string): never {
  throw required(path, expected);
}
