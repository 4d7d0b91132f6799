/**
 * `remat plot`: Vega-Lite plots rendered to SVG in Node (src/plot/). From a results log: the time
 * overhead against peak memory per instance and solver (`--kind front`, the default) or against the
 * budget (`--kind sweep`); from a schedule or result with its instance: the memory timeline against the
 * budget. `--format vega-lite` writes the specification instead, for other tools.
 */
import type { TopLevelSpec } from "vega-lite";
import { describeValue, InputError } from "../../errors.js";
import { loadInstance, readJson } from "../../instance/load.js";
import { writeFileAtomic } from "../../io/files.js";
import { checkOutputPath } from "../../io/output-path.js";
import { frontSpec, sweepSpec } from "../../plot/results-specs.js";
import { timelineOf, timelineSpec } from "../../plot/timeline-spec.js";
import { parseScheduleDocument } from "../../schedule/file.js";
import { noExtraPositionals, parseCommandArgs, requirePositional, stringOption } from "../args.js";
import type { Command } from "../command.js";
import { readRecords } from "../read-records.js";

const HELP = `remat plot RESULTS.jsonl --out FILE.svg [--kind front|sweep]
remat plot SCHEDULE_OR_RESULT --instance INSTANCE --out FILE.svg

Vega-Lite plots, rendered to SVG without a browser.
With a results log (from remat batch, or remat solve --out FILE.jsonl), one view per instance:
  --kind front        the time overhead (%) of each solver against the peak memory it reached, one
                      point per budget (default)
  --kind sweep        the time overhead (%) of each solver against the budget
With a schedule or a result and its instance: the memory timeline (bytes after each instruction,
fixed memory included) shaded by phase (forward, recompute, backward), offloads and prefetches
marked and, for a result, its budget as a dashed line.
  --format F          svg (default) or vega-lite (the specification as JSON, data inlined)`;

const KINDS = ["front", "sweep"] as const;
const FORMATS = ["svg", "vega-lite"] as const;

/** The value of `--name` among `allowed` (the first when absent). @throws InputError for another */
function choice<T extends string>(raw: string | undefined, name: string, allowed: readonly T[]): T {
  if (raw === undefined) return allowed[0] as T;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new InputError("remat plot", [
    {
      code: "option",
      path: `--${name}`,
      expected: `one of ${allowed.join(", ")}`,
      received: describeValue(raw),
    },
  ]);
}

export const plotCommand: Command = {
  name: "plot",
  summary:
    "Vega-Lite plots as SVG: overhead versus memory or budget from a results log; memory timeline of a schedule",
  help: HELP,
  run: async (args, io) => {
    const parsed = parseCommandArgs("plot", args, {
      out: { type: "string" },
      instance: { type: "string" },
      kind: { type: "string" },
      format: { type: "string" },
    });
    const input = requirePositional("plot", parsed, 0, "RESULTS_OR_SCHEDULE");
    noExtraPositionals("plot", parsed, 1);
    const out = stringOption(parsed, "out");
    if (out === undefined)
      throw new InputError("remat plot", [
        { code: "required", path: "--out", expected: "an output .svg file", received: "missing" },
      ]);
    checkOutputPath("remat plot", out);
    const kind = choice(stringOption(parsed, "kind"), "kind", KINDS);
    const format = choice(stringOption(parsed, "format"), "format", FORMATS);
    const instancePath = stringOption(parsed, "instance");
    const spec =
      instancePath === undefined ? resultsSpec(input, kind, io.err) : await scheduleSpec(input, instancePath);
    // Vega is loaded only here: every other command starts without it.
    const text =
      format === "svg"
        ? await (await import("../../plot/render.js")).renderSvg(spec)
        : `${JSON.stringify(spec, null, 2)}\n`;
    await writeFileAtomic(out, text);
    io.out(`wrote ${out}`);
    return 0;
  },
};

/** The front or sweep of the log at `path`. @throws InputError for a bad log or one without a schedule */
function resultsSpec(path: string, kind: (typeof KINDS)[number], err: (text: string) => void): TopLevelSpec {
  const log = readRecords(path, { err }, "remat plot", " (use --instance for a schedule)");
  const spec = kind === "front" ? frontSpec(log.records) : sweepSpec(log.records);
  if (spec === undefined)
    throw new InputError(
      "remat plot",
      [
        {
          code: "structure",
          path: "",
          expected: "at least one result with a schedule within its budget",
          received: `${log.records.length} results without one`,
        },
      ],
      path,
    );
  return spec;
}

/** The memory timeline of the schedule or result at `schedulePath`. @throws InputError for an invalid schedule */
async function scheduleSpec(schedulePath: string, instancePath: string): Promise<TopLevelSpec> {
  const instance = await loadInstance(instancePath);
  const raw = await readJson(schedulePath, "remat plot");
  const document = parseScheduleDocument(raw, schedulePath);
  const budget = (raw as { budgetBytes?: unknown }).budgetBytes;
  const solver = (raw as { solver?: unknown }).solver;
  const timeline = timelineOf(
    instance,
    document.schedule,
    typeof budget === "number" ? budget : null,
    typeof solver === "string" ? `solver ${solver}` : undefined,
  );
  if ("reason" in timeline)
    throw new InputError(
      "remat plot",
      [
        {
          code: "bad-value",
          path: `ops[${timeline.index}]`,
          expected: "a valid schedule",
          received: timeline.reason,
        },
      ],
      schedulePath,
    );
  return timelineSpec(timeline);
}
