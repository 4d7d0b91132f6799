/** `remat profile`: measure a zoo network's ops on this machine and write an instance with the measured times. */

import { type FieldFit, summarizeBatchModel } from "../../batch-model/fit.js";
import { describeValue, InputError } from "../../errors.js";
import type { BatchModel } from "../../instance/batch-model.js";
import { writeFileAtomic } from "../../io/files.js";
import { checkOutputPath } from "../../io/output-path.js";
import { profileBatches } from "../../profile/batches.js";
import { profileModelReport, profileText } from "../../profile/profile.js";
import { BACKENDS, type Backend } from "../../simulate/tf.js";
import { noExtraPositionals, numberOption, parseCommandArgs, stringOption } from "../args.js";
import type { Command } from "../command.js";
import { renderTable } from "../table.js";

const HELP = `remat profile --model NAME [--batch N | --batches N1,N2,...] [--input-size S] [--config JSON]
              --out FILE [--backend wasm|cpu] [--warmup W] [--repeats R] [--seed N] [--name NAME]
              [--stored-forms]

Builds the zoo network NAME (see \`remat zoo\`), runs each op's forward and backward on real kernels
(TensorFlow.js, the simulator's own), and writes an op-level instance to FILE with exact bytes, the
measured times (each op's fastest of R runs of the whole training step,
after W warm-up runs), the measured host link (offload/prefetch
latency and bandwidth), its provenance and the model block (with the backend, which \`remat simulate\`
then runs on by default), ready for \`remat solve\` and \`remat simulate\`. Each time is a whole
instruction's wall time, kernel and overhead (dispatch, tensor bookkeeping, gradient sums), as
\`remat simulate\` measures steps; fwd also includes the free of the op's activation (the cost model
charges frees nothing). The overhead beyond the kernels per instruction kind is printed and kept in
the instance's source. Keep settings small: resnet-18 at --input-size 32 --batch 4 takes seconds.

With --batches the network is profiled at each batch size and every node's sizes and times are fitted
by least squares against the batch (Naveen & Kumar 2019 model each layer's memory linearly); the
instance written is the profile at the largest batch, carrying the lines (its batchModel block), and
the fit of each field is printed: how many nodes' lines are constant (parameters, fixedBytes),
exactly linear (activations) or only approximate (times), with the worst residual. \`remat predict\`
and \`remat fit --batch-model\` read the lines to make the instance at batches never profiled.

Options:
  --model NAME      the zoo network (mlp, resnet-18, gpt2-small, ...)
  --batch N         batch size (the zoo's config key "batch")
  --batches LIST    profile at each of these batch sizes (at least two) and fit the batch model
  --input-size S    input size in pixels or features (the zoo's config key "inputSize")
  --config JSON     further config keys, e.g. '{"layers":2,"dim":64,"seq":32}'
  --out FILE        where to write the instance (written to a temporary name, then renamed)
  --backend B       wasm (default, XNNPACK) or cpu (pure JS)
  --warmup W        warm-up runs of the whole step (default 5)
  --repeats R       timed runs of the whole step, each op's fastest kept (default 7)
  --seed N          seed of the parameters and data (default 1)
  --name NAME       instance name (default NAME-profiled)
  --stored-forms    also measure each activation's density (non-zero fraction at initialisation, on
                    the random data) and the C/X times of every storage mode with the simulator's
                    stored-form kernels, for \`remat solve --storage\` (src/profile/stored-times.ts)
Exit codes: 0 written, 2 bad input.`;

function fail(path: string, expected: string, received: unknown): never {
  throw new InputError("remat profile", [
    { code: "option", path, expected, received: describeValue(received) },
  ]);
}

/** The zoo config from --batch, --input-size and --config. */
function configOf(parsed: Parameters<typeof stringOption>[0]): Record<string, unknown> {
  const raw = stringOption(parsed, "config");
  let config: Record<string, unknown> = {};
  if (raw !== undefined) {
    try {
      config = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      fail("--config", "a JSON object of config keys", raw);
    }
    if (typeof config !== "object" || config === null || Array.isArray(config))
      fail("--config", "a JSON object of config keys", raw);
  }
  const batch = numberOption("profile", parsed, "batch", true);
  const inputSize = numberOption("profile", parsed, "input-size", true);
  return {
    ...config,
    ...(batch === undefined ? {} : { batch }),
    ...(inputSize === undefined ? {} : { inputSize }),
  };
}

/** --batches as sorted distinct positive integers (at least two), refused with --batch; undefined when absent. */
function batchesOption(parsed: Parameters<typeof stringOption>[0]): number[] | undefined {
  const text = stringOption(parsed, "batches");
  if (text === undefined) return undefined;
  if (stringOption(parsed, "batch") !== undefined)
    fail("--batches", "either --batch or --batches, not both", text);
  const batches = text.split(",").map((part) => Number(part.trim()));
  const distinct = [...new Set(batches)].sort((a, b) => a - b);
  if (distinct.length < 2 || !distinct.every((batch) => Number.isInteger(batch) && batch >= 1))
    fail("--batches", "at least two distinct positive integers, comma separated (1,2,4,8)", text);
  return distinct;
}

/** The fit of each field as a table: lines constant / exactly linear / approximate, and the worst residual. */
function describeFieldFits(fits: readonly FieldFit[]): string {
  const rows = fits
    .filter((fit) => fit.counts.constant + fit.counts.linear + fit.counts.approximate > 0)
    .map((fit) => [
      fit.field,
      String(fit.counts.constant),
      String(fit.counts.linear),
      String(fit.counts.approximate),
      relative(fit.totalRelativeResidual),
      `${relative(fit.worstRelativeResidual)}${fit.worstNode === null ? "" : ` (${fit.worstNode})`}`,
    ]);
  const head = [
    "field",
    "constant",
    "linear",
    "approximate",
    "residuals / total",
    "worst node's residual / value",
  ];
  return `${renderTable(head, rows)}\nResiduals: each line's largest |measured - fitted| over the profiled batches, against the fitted value at the largest batch.`;
}

const relative = (value: number) => (value === 0 ? "0 (exact)" : `${(100 * value).toFixed(1)}%`);

export const profileCommand: Command = {
  name: "profile",
  summary: "measure a zoo network's ops on this machine and write an instance",
  help: HELP,
  run: async (args, io) => {
    const parsed = parseCommandArgs("profile", args, {
      model: { type: "string" },
      batch: { type: "string" },
      batches: { type: "string" },
      "input-size": { type: "string" },
      config: { type: "string" },
      out: { type: "string" },
      backend: { type: "string" },
      warmup: { type: "string" },
      repeats: { type: "string" },
      seed: { type: "string" },
      name: { type: "string" },
      "stored-forms": { type: "boolean" },
    });
    noExtraPositionals("profile", parsed, 0);
    const model = stringOption(parsed, "model") ?? fail("--model", "a zoo network name", undefined);
    const out = stringOption(parsed, "out") ?? fail("--out", "an output file", undefined);
    checkOutputPath("remat profile", out);
    const backend = stringOption(parsed, "backend") ?? "wasm";
    if (!(BACKENDS as readonly string[]).includes(backend)) fail("--backend", "wasm or cpu", backend);
    const warmup = numberOption("profile", parsed, "warmup", true);
    const repeats = numberOption("profile", parsed, "repeats", true);
    const seed = numberOption("profile", parsed, "seed", true);
    const name = stringOption(parsed, "name");
    const options = {
      config: configOf(parsed),
      backend: backend as Backend,
      command: `remat profile ${args.join(" ")}`,
      ...(warmup === undefined ? {} : { warmup }),
      ...(repeats === undefined ? {} : { repeats }),
      ...(seed === undefined ? {} : { seed }),
      ...(name === undefined ? {} : { name }),
      ...(parsed.values["stored-forms"] === true ? { storedForms: true } : {}),
    };
    const batches = batchesOption(parsed);
    if (batches !== undefined) {
      const { document } = await profileBatches(model, batches, options);
      await writeFileAtomic(out, profileText(document));
      io.out(
        `wrote ${out}: ${document.name}, ${document.nodes.length} nodes, profiled at batches ${batches.join(", ")}`,
      );
      io.out(describeFieldFits(summarizeBatchModel(document.batchModel as BatchModel)));
      return 0;
    }
    const { document, overhead } = await profileModelReport(model, options);
    await writeFileAtomic(out, profileText(document));
    const total = document.nodes.reduce((sum, node) => sum + node.fwd + node.bwd, 0);
    const beyond = (["F", "B", "D"] as const).map(
      (kind) => `${kind} ${overhead[kind].medianMs.toFixed(4)} ms`,
    );
    io.out(
      `wrote ${out}: ${document.name}, ${document.nodes.length} nodes, forward + backward ${total.toFixed(3)} ms measured (${backend}); per instruction beyond its kernel ${beyond.join(", ")} (in the times; D in fwd)`,
    );
    return 0;
  },
};
