/** `remat memory`: an instance's training memory split into weights, gradients, optimizer state, activations, workspace. */
import { formatBytes } from "../../budget.js";
import { describeValue, InputError } from "../../errors.js";
import { loadInstance, readJson } from "../../instance/load.js";
import {
  type MemoryBreakdown,
  memoryBreakdown,
  OPTIMIZERS,
  type PeakParts,
  PRECISIONS,
  type Precision,
} from "../../memory/breakdown.js";
import { parseScheduleDocument } from "../../schedule/file.js";
import type { Optimizer } from "../../zoo/document.js";
import { noExtraPositionals, parseCommandArgs, requirePositional, stringOption } from "../args.js";
import type { Command } from "../command.js";
import { renderTable, wrapText } from "../table.js";

const HELP = `remat memory INSTANCE [--optimizer sgd|momentum|adam] [--precision fp32|fp16]
                    [--plan RESULT] [--json]

Splits the memory of a training step as Sohoni et al. (2019) do: weights, their gradients, the
optimizer's state (together fixedBytes), activations and workspace at the peak of the store-all
schedule, and of a plan when given. peak = fixedBytes + activations + workspace, as the evaluator
counts it; workspace is the temporaries of the op running at the peak.
The split of fixedBytes comes from the instance's memory block (zoo instances carry one); without
it the three parts are reported unknown.

Options:
  --optimizer NAME   recount the optimizer state: sgd none, momentum 1, adam 2 weight-sized buffers
                     (needs the memory block)
  --precision P      fp32 (default, the instance as it is) or fp16: the fixed parts and every 4-byte
                     tensor stored in 2 bytes (pure 16-bit storage, no float32 master weights)
  --plan RESULT      a result of remat solve (--json or --out) or a schedule file, broken down too
  --json             machine-readable output
Exit codes: 0 an answer, 2 bad input (an invalid plan included).
Example: remat memory instances/zoo/mobilenet-v2-b32-224-op.json --optimizer adam`;

export const memoryCommand: Command = {
  name: "memory",
  summary: "memory breakdown: weights, gradients, optimizer state, activations, workspace",
  help: HELP,
  run: async (args, io) => {
    const parsed = parseCommandArgs("memory", args, {
      optimizer: { type: "string" },
      precision: { type: "string" },
      plan: { type: "string" },
      json: { type: "boolean" },
    });
    const path = requirePositional("memory", parsed, 0, "INSTANCE");
    noExtraPositionals("memory", parsed, 1);
    const optimizer = choice(parsed.values.optimizer, "--optimizer", OPTIMIZERS) as Optimizer | undefined;
    const precision = choice(parsed.values.precision, "--precision", Object.keys(PRECISIONS)) as
      | Precision
      | undefined;
    const instance = await loadInstance(path);
    const planPath = stringOption(parsed, "plan");
    let plan: ReturnType<typeof parseScheduleDocument> | undefined;
    if (planPath !== undefined) {
      plan = parseScheduleDocument(await readJson(planPath, "remat memory"), planPath);
      if (plan.instance !== undefined && plan.instance !== instance.name)
        io.err(
          `remat memory: warning: ${planPath} was made for instance "${plan.instance}", breaking it down on "${instance.name}"`,
        );
    }
    let breakdown: MemoryBreakdown;
    try {
      breakdown = memoryBreakdown(instance, {
        ...(optimizer === undefined ? {} : { optimizer }),
        ...(precision === undefined ? {} : { precision }),
        ...(plan === undefined ? {} : { plan: plan.schedule }),
      });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      throw new InputError(
        "remat memory",
        error.issues.map((issue) => ({
          ...issue,
          path: issue.path === "optimizer" ? "--optimizer" : issue.path.replace(/^plan/, "--plan"),
        })),
        error.issues.some((issue) => issue.path.startsWith("plan")) ? planPath : path,
      );
    }
    io.out(parsed.values.json === true ? JSON.stringify(breakdown, null, 2) : describeBreakdown(breakdown));
    return 0;
  },
};

/** A value among `allowed`, or undefined when absent. @throws InputError (code `option`) otherwise */
function choice(value: unknown, flag: string, allowed: readonly string[]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string" && allowed.includes(value)) return value;
  throw new InputError("remat memory", [
    { code: "option", path: flag, expected: `one of ${allowed.join(", ")}`, received: describeValue(value) },
  ]);
}

const cell = (bytes: number | null) => (bytes === null ? "unknown" : `${formatBytes(bytes)} (${bytes})`);

/** The breakdown as a table, one column per schedule, and its notes. */
export function describeBreakdown(breakdown: MemoryBreakdown): string {
  const schedules: [string, PeakParts][] = [["store-all", breakdown.storeAll]];
  if (breakdown.plan !== null) schedules.push(["plan", breakdown.plan]);
  const fixed = (pick: (parts: NonNullable<MemoryBreakdown["parts"]>) => number) =>
    schedules.map(() => cell(breakdown.parts === null ? null : pick(breakdown.parts)));
  const rows = [
    ["weights", ...fixed((parts) => parts.weights)],
    ["gradients", ...fixed((parts) => parts.gradients)],
    ["optimizer state", ...fixed((parts) => parts.optimizer)],
    ["fixedBytes", ...schedules.map(() => cell(breakdown.fixedBytes))],
    ["activations", ...schedules.map(([, parts]) => cell(parts.activations))],
    ["workspace", ...schedules.map(([, parts]) => cell(parts.workspace))],
    ["peak", ...schedules.map(([, parts]) => cell(parts.peak))],
    ["peak at", ...schedules.map(([, parts]) => parts.at)],
    ["makespan ms", ...schedules.map(([, parts]) => parts.makespanMs.toFixed(3))],
  ];
  const head = `instance ${breakdown.instance}, precision ${breakdown.precision}, optimizer ${breakdown.optimizer ?? "as the instance says"}`;
  return [
    head,
    renderTable(["part", ...schedules.map(([name]) => name)], rows),
    `largest workspace of any op: ${cell(breakdown.largestWorkspace)}`,
    ...breakdown.notes.flatMap((note) => wrapText(note)),
  ].join("\n");
}
