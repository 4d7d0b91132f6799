/**
 * `remat plot`: from a results log, overhead versus peak memory per instance and solver (one panel per
 * instance); from a schedule or result with its instance, the memory timeline against the budget.
 */
import { readFileSync } from "node:fs";
import { describeValue, InputError } from "../../errors.js";
import { evaluate } from "../../evaluate/evaluate.js";
import { loadInstance, readJson } from "../../instance/load.js";
import { writeFileAtomic } from "../../io/files.js";
import { checkOutputPath } from "../../io/output-path.js";
import { byteUnit, type Panel, renderSvg, type Series } from "../../plot/svg.js";
import { parseScheduleDocument } from "../../schedule/file.js";
import { noExtraPositionals, parseCommandArgs, requirePositional, stringOption } from "../args.js";
import type { Command } from "../command.js";

const HELP = `remat plot RESULTS.jsonl --out FILE.svg
remat plot SCHEDULE_OR_RESULT --instance INSTANCE --out FILE.svg

With a results log (from remat batch, or remat solve --out FILE.jsonl): one panel per instance, the
time overhead (%) of each solver against the peak memory it reached, one point per budget.
With a schedule or a result and its instance: the memory timeline (bytes after each instruction,
fixed memory included) and, for a result, its budget as a dashed line.`;

export const plotCommand: Command = {
  name: "plot",
  summary: "SVG plots: overhead versus memory from a results log; memory timeline of a schedule",
  help: HELP,
  run: async (args, io) => {
    const parsed = parseCommandArgs("plot", args, { out: { type: "string" }, instance: { type: "string" } });
    const input = requirePositional("plot", parsed, 0, "RESULTS_OR_SCHEDULE");
    noExtraPositionals("plot", parsed, 1);
    const out = stringOption(parsed, "out");
    if (out === undefined)
      throw new InputError("remat plot", [
        { code: "required", path: "--out", expected: "an output .svg file", received: "missing" },
      ]);
    checkOutputPath("remat plot", out);
    const instancePath = stringOption(parsed, "instance");
    const panels =
      instancePath === undefined
        ? frontPanels(input, (warning) => io.err(`remat plot: warning: ${warning}`))
        : await timelinePanel(input, instancePath);
    await writeFileAtomic(out, renderSvg(panels));
    io.out(`wrote ${out} (${panels.length} panel${panels.length === 1 ? "" : "s"})`);
    return 0;
  },
};

interface ResultLine {
  readonly instance?: string;
  readonly file?: string;
  readonly solver?: string;
  readonly status?: string;
  readonly peakBytes?: number | null;
  readonly overhead?: number | null;
}

/**
 * The records of a results log, one JSON object per line. A line that is not JSON (a record torn by a
 * killed writer, which `remat batch` keeps aside as a line of its own) is skipped with a warning when other
 * lines parse; when none does, the file is not a results log and the first line's error is reported.
 */
function readResultLines(path: string, warn: (text: string) => void): ResultLine[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new InputError(
      "remat plot",
      [{ code: "file", path: "", expected: "a readable results log", received: "no such file" }],
      path,
    );
  }
  const records: ResultLine[] = [];
  const unparsable: { line: string; index: number }[] = [];
  text.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    try {
      records.push(JSON.parse(line) as ResultLine);
    } catch {
      unparsable.push({ line, index });
    }
  });
  const first = unparsable[0];
  if (first !== undefined && records.length === 0) {
    throw new InputError(
      "remat plot",
      [
        {
          code: "json",
          path: `line ${first.index + 1}`,
          expected: "one JSON result per line (use --instance for a schedule)",
          received: describeValue(first.line),
        },
      ],
      path,
    );
  }
  if (first !== undefined)
    warn(
      `${path}: skipped ${unparsable.length === 1 ? "1 line that is" : `${unparsable.length} lines that are`} not JSON (torn records?), first at line ${first.index + 1}`,
    );
  return records;
}

function frontPanels(path: string, warn: (text: string) => void): Panel[] {
  const byInstance = new Map<string, Map<string, [number, number][]>>();
  const records = readResultLines(path, warn);
  for (const record of records) {
    if (typeof record.peakBytes !== "number" || typeof record.overhead !== "number") continue;
    const instance = record.instance ?? record.file ?? "instance";
    const solvers = byInstance.get(instance) ?? new Map<string, [number, number][]>();
    byInstance.set(instance, solvers);
    const points = solvers.get(record.solver ?? "?") ?? [];
    solvers.set(record.solver ?? "?", points);
    points.push([record.peakBytes, record.overhead * 100]);
  }
  if (byInstance.size === 0)
    throw new InputError(
      "remat plot",
      [
        {
          code: "structure",
          path: "",
          expected: "at least one result with a schedule",
          received: `${records.length} results without one`,
        },
      ],
      path,
    );
  return [...byInstance.entries()].map(([instance, solvers]) => {
    const unit = byteUnit(Math.max(...[...solvers.values()].flat().map(([bytes]) => bytes)));
    return {
      title: instance,
      xLabel: `peak memory (${unit.name})`,
      yLabel: "time overhead (%)",
      xFromZero: false,
      series: [...solvers.entries()].map(
        ([label, points]): Series => ({
          label,
          points: dedupe(points.map(([bytes, overhead]) => [bytes / unit.divisor, overhead])),
        }),
      ),
    };
  });
}

function dedupe(points: readonly [number, number][]): [number, number][] {
  const seen = new Set<string>();
  return points.filter(([x, y]) => {
    const key = `${x},${y}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function timelinePanel(schedulePath: string, instancePath: string): Promise<Panel[]> {
  const instance = await loadInstance(instancePath);
  const raw = await readJson(schedulePath, "remat plot");
  const document = parseScheduleDocument(raw, schedulePath);
  const evaluation = evaluate(instance, document.schedule);
  if (!evaluation.valid) {
    throw new InputError(
      "remat plot",
      [
        {
          code: "bad-value",
          path: `ops[${evaluation.error.index}]`,
          expected: "a valid schedule",
          received: evaluation.error.reason,
        },
      ],
      schedulePath,
    );
  }
  const budget = (raw as { budgetBytes?: unknown }).budgetBytes;
  const unit = byteUnit(evaluation.peakBytes);
  const points = evaluation.timeline.map((bytes, index): [number, number] => [
    index + 1,
    bytes / unit.divisor,
  ]);
  return [
    {
      title: `${instance.name}: memory after each instruction (peak ${+(evaluation.peakBytes / unit.divisor).toFixed(2)} ${unit.name}, makespan ${evaluation.makespanMs.toFixed(2)} ms)`,
      xLabel: "instruction",
      yLabel: `memory (${unit.name})`,
      series: [
        {
          label: "resident",
          points: [[0, instance.fixedBytes / unit.divisor], ...points],
          step: true,
          markers: false,
        },
      ],
      hLines: typeof budget === "number" ? [{ y: budget / unit.divisor, label: "budget" }] : [],
    },
  ];
}
