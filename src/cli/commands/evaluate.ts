/** `remat evaluate`: judge a schedule (or a result's schedule) under the one cost model. */
import { formatBytes } from "../../budget.js";
import { describeValue, InputError } from "../../errors.js";
import { evaluate, type ValidEvaluation } from "../../evaluate/evaluate.js";
import { applyHardware } from "../../hardware/apply.js";
import { loadInstance, readJson } from "../../instance/load.js";
import { parseScheduleDocument, SCHEDULE_FORMAT } from "../../schedule/file.js";
import { noExtraPositionals, parseCommandArgs, requirePositional } from "../args.js";
import type { Command } from "../command.js";
import { LINK_HELP, LINK_OPTIONS, linkChoice } from "../link-flags.js";

const HELP = `remat evaluate INSTANCE SCHEDULE_OR_RESULT [--json] [--trace] [--hardware NAME]

Runs a schedule through the evaluator (the one cost model) and prints whether it is valid (else the
first bad instruction and why), its makespan, its peak memory and its memory timeline.
SCHEDULE_OR_RESULT is a remat-schedule/1 file, a result written by \`remat solve --json\` or --out,
or a JSON list of instructions ("F x", "F conv1 tape", "B loss", "D a:conv1", "O v", "P v",
"C v bitmap", "X v", "D s:v").

Options:
  --json              machine-readable output: valid, error, makespanMs, peakBytes, timeline
  --trace             also give each instruction's start, end, stall and memory
${LINK_HELP}
A result solved under a link (its options.hardware) is judged as solve judged it when given the same
link flags; without them, the instance file's own hardware block counts.
Exit codes: 0 valid, 2 bad input, an invalid schedule included (the message names the schedule
file, the instruction as ops[i], the instruction and why it cannot run; --json prints the report
as well).`;

export const evaluateCommand: Command = {
  name: "evaluate",
  summary: "validity, makespan, peak memory and timeline of a schedule",
  help: HELP,
  run: async (args, io) => {
    const parsed = parseCommandArgs("evaluate", args, {
      json: { type: "boolean" },
      trace: { type: "boolean" },
      ...LINK_OPTIONS,
    });
    const instancePath = requirePositional("evaluate", parsed, 0, "INSTANCE");
    const schedulePath = requirePositional("evaluate", parsed, 1, "SCHEDULE_OR_RESULT");
    noExtraPositionals("evaluate", parsed, 2);
    const choice = linkChoice("evaluate", parsed);
    const { instance } = applyHardware(await loadInstance(instancePath), choice, "remat evaluate");
    const raw = await readJson(schedulePath, "remat evaluate");
    const document = parseScheduleDocument(raw, schedulePath);
    if (document.instance !== undefined && document.instance !== instance.name) {
      io.err(
        `remat evaluate: warning: ${schedulePath} was made for instance "${document.instance}", evaluating it on "${instance.name}"`,
      );
    }
    const evaluation = evaluate(instance, document.schedule, { trace: parsed.values.trace === true });
    if (parsed.values.json === true) {
      const base = { instance: instance.name, instructions: document.schedule.length };
      io.out(
        JSON.stringify(
          evaluation.valid
            ? { ...base, error: null, ...evaluation }
            : {
                ...base,
                valid: false,
                error: evaluation.error,
                makespanMs: null,
                peakBytes: null,
                timeline: null,
              },
          null,
          2,
        ),
      );
    } else if (evaluation.valid) {
      io.out(
        [
          `valid      yes (${document.schedule.length} instructions)`,
          `makespan   ${evaluation.makespanMs.toFixed(3)} ms (compute ${evaluation.computeMs.toFixed(3)}, stalls ${evaluation.stallMs.toFixed(3)})`,
          `peak       ${formatBytes(evaluation.peakBytes)} (${evaluation.peakBytes} bytes)`,
          `recomputes ${evaluation.recomputations}, transfers ${evaluation.transfers}`,
          ...(evaluation.conversions === 0 ? [] : [storedFormsLine(evaluation)]),
        ].join("\n"),
      );
    }
    if (!evaluation.valid) {
      const { error } = evaluation;
      throw new InputError(
        "remat evaluate",
        [
          {
            code: "bad-value",
            path: `${instructionsField(raw)}[${error.index}]`,
            expected: "an instruction that can run at this point of the schedule",
            received: `${describeValue(error.instruction)}: ${error.reason}`,
          },
        ],
        schedulePath,
      );
    }
    return 0;
  },
};

/** The stored-form line: conversions, expansions, and whether a lossy form was expanded. */
function storedFormsLine(evaluation: ValidEvaluation): string {
  const lossy = evaluation.lossy
    ? `lossy (fp16/bf16 expanded at ops ${evaluation.lossyExpansions.join(", ")}): gradients differ from plain backprop`
    : "lossless";
  return `stored     ${evaluation.conversions} conversions, ${evaluation.expansions} expansions, ${lossy}`;
}

/** The JSON field holding a document's instructions: `ops` (schedule file), `schedule` (result), or the list itself. */
function instructionsField(raw: unknown): string {
  if (Array.isArray(raw)) return "";
  return (raw as { format?: unknown }).format === SCHEDULE_FORMAT ? "ops" : "schedule";
}
