/** `remat export`: a schedule or result, evaluated on its instance, in a format other tools read. */
import { describeValue, InputError } from "../../errors.js";
import { evaluate } from "../../evaluate/evaluate.js";
import { chromeTrace } from "../../export/chrome-trace.js";
import { type PlanProvenance, planOf } from "../../export/plan.js";
import { loadInstance, readJson } from "../../instance/load.js";
import { writeFileAtomic } from "../../io/files.js";
import { checkOutputPath } from "../../io/output-path.js";
import { parseScheduleDocument } from "../../schedule/file.js";
import { noExtraPositionals, parseCommandArgs, requirePositional, stringOption } from "../args.js";
import type { Command } from "../command.js";

const SITE = "remat export";
const FORMATS = ["chrome-trace", "plan"] as const;

const HELP = `remat export RESULT_OR_SCHEDULE --instance INSTANCE --format chrome-trace|plan --out FILE.json

Evaluates the schedule (a result of remat solve, or a schedule file) on its instance under the cost
model and writes it in a format other tools read:
  chrome-trace  JSON trace events (open in Perfetto or chrome://tracing): a compute lane (F, B, C, X,
                and stalls waiting for transfers), the device-to-host (O) and host-to-device (P)
                channels, and a memory counter (bytes resident, fixedBytes included).
  plan          a plan file (format remat-plan/1, schema instances/plan.schema.json): per node, its
                ONNX name (for imported instances) and PyTorch module path, and its decision: input,
                save, recompute, offload or stored (storedForm bitmap, fp16, bf16), with the PyTorch
                CheckpointPolicy (MUST_SAVE / PREFER_RECOMPUTE) and the counts of forwards and offloads.
Exit codes: 0 written, 2 bad input (an invalid schedule names its first bad instruction).`;

/** The solver, status and budget a result file states (none for a bare schedule). */
function provenanceOf(raw: unknown): PlanProvenance {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return {};
  const record = raw as Record<string, unknown>;
  return {
    ...(typeof record.solver === "string" ? { solver: record.solver } : {}),
    ...(typeof record.status === "string" ? { status: record.status } : {}),
    ...(typeof record.budgetBytes === "number" ? { budgetBytes: record.budgetBytes } : {}),
  };
}

function fail(path: string, expected: string, received: unknown, file?: string): never {
  throw new InputError(SITE, [{ code: "option", path, expected, received: describeValue(received) }], file);
}

export const exportCommand: Command = {
  name: "export",
  summary: "write an evaluated schedule as a Chrome trace or a plan file",
  help: HELP,
  run: async (args, io) => {
    const parsed = parseCommandArgs("export", args, {
      instance: { type: "string" },
      format: { type: "string" },
      out: { type: "string" },
    });
    const input = requirePositional("export", parsed, 0, "RESULT_OR_SCHEDULE");
    noExtraPositionals("export", parsed, 1);
    const instancePath =
      stringOption(parsed, "instance") ?? fail("--instance", "an instance file", undefined);
    const format = stringOption(parsed, "format") ?? fail("--format", FORMATS.join(", "), undefined);
    if (!(FORMATS as readonly string[]).includes(format)) fail("--format", FORMATS.join(", "), format);
    const out = stringOption(parsed, "out") ?? fail("--out", "an output file", undefined);
    checkOutputPath(SITE, out);
    const instance = await loadInstance(instancePath);
    const raw = await readJson(input, SITE);
    const document = parseScheduleDocument(raw, input);
    const evaluation = evaluate(instance, document.schedule, { trace: true });
    if (!evaluation.valid)
      throw new InputError(
        SITE,
        [
          {
            code: "bad-value",
            path: `ops[${evaluation.error.index}]`,
            expected: "a valid schedule",
            received: evaluation.error.reason,
          },
        ],
        input,
      );
    if (format === "plan") {
      const plan = planOf(instance, document.schedule, evaluation, provenanceOf(raw));
      await writeFileAtomic(out, `${JSON.stringify(plan, null, 2)}\n`);
      const counts = new Map<string, number>();
      for (const node of plan.nodes) counts.set(node.decision, (counts.get(node.decision) ?? 0) + 1);
      io.out(
        `wrote ${out}: plan of ${plan.nodes.length} nodes (${[...counts].map(([word, n]) => `${n} ${word}`).join(", ")}), makespan ${evaluation.makespanMs.toFixed(3)} ms, peak ${evaluation.peakBytes} bytes`,
      );
      return 0;
    }
    const trace = chromeTrace(evaluation, instance.name);
    await writeFileAtomic(out, `${JSON.stringify(trace)}\n`);
    io.out(
      `wrote ${out}: ${trace.traceEvents.length} trace events, makespan ${evaluation.makespanMs.toFixed(3)} ms, peak ${evaluation.peakBytes} bytes`,
    );
    return 0;
  },
};
