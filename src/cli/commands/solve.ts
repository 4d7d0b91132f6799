/** `remat solve`: solve one instance with one solver under a budget. */
import { readFile } from "node:fs/promises";
import { solve, solveMicrobatched, solveWithBound } from "../../../solvers/index.js";
import { formatBytes } from "../../budget.js";
import { describeValue, InputError } from "../../errors.js";
import { loadInstance } from "../../instance/load.js";
import { checkOutputPath } from "../../io/output-path.js";
import { type Objective, SCHEDULE_CLASS_WORDS } from "../../optimality.js";
import type { GridBoundReport, SolveResult } from "../../solve-result.js";
import {
  extraOptions,
  noExtraPositionals,
  numberOption,
  parseCommandArgs,
  requirePositional,
  stringOption,
} from "../args.js";
import type { Command } from "../command.js";
import { SWITCH_FLAG_OPTIONS, withSwitchFlags } from "../flags.js";
import { LINK_HELP, LINK_OPTIONS, linkChoice } from "../link-flags.js";
import {
  describeMicrobatched,
  MICROBATCH_HELP,
  MICROBATCH_OPTIONS,
  type MicrobatchChoice,
  microbatchChoice,
} from "../microbatch-flags.js";
import { jobSetting, writeSolveOutput } from "../results-log.js";

const HELP = `remat solve INSTANCE --budget B --solver NAME [options]

Solves INSTANCE (a remat-instance/1 JSON file) under a memory budget and prints the result.

Options:
  --budget B          bytes, with an optional unit (1.5GB, 512MiB, 2e9), a percentage of
                      the store-all peak (50%), or none (default none)
  --solver NAME       a solver from \`remat solvers\` (required)
  --objective OBJ     time (least makespan within the budget) or memory (least peak)
  --slots S           memory discretization for DP solvers (default 500)
  --checkpoints IDS   for the checkpoints solver: ID,ID,... or @FILE (ids, one per line or JSON list)
  --time-limit SEC    wall-clock limit; a solver that runs out answers "timeout"
  --storage MODES     stored forms the solver may plan for kept activations: none (default),
                      bitmap (lossless), fp16, bf16 (lossy), or a list (bitmap,bf16); a solver
                      that does not plan a mode refuses it (remat solvers lists what each plans)
${LINK_HELP}
${MICROBATCH_HELP}
  --pareto            solvers that have a front (graph-mincut) also return the (peak, overhead)
                      front (the same as --extra pareto=true)
  --lp NAME           LP/MILP backend of the solvers that use one (offload-milp): highs (default),
                      glpk or jslp (the same as --extra lp=NAME)
  --extra KEY=VALUE   a solver switch (repeatable; VALUE read as JSON when it parses), e.g.
                      --extra method=partition or --extra spanWork=1e9 for graph-mincut;
                      \`remat solvers --switches\` lists every solver's switches; unknown ones are refused
  --bound             also compute the LP relaxation of Checkmate's MILP (the stage-grid class,
                      HiGHS) at the same budget and report the answer's gap to it (proofs/milp.md)
  --out FILE          also write the result: FILE.jsonl is appended to, any other FILE is
                      written whole (to a temporary name, then renamed)
  --json              print the result as JSON
Exit codes: 0 an answer (infeasible and timeout included), 2 bad input, 1 other failures.
The result records the link it was solved under (options.hardware: preset, bandwidth, latency).
Examples:
  remat solve instances/examples/chain.json --budget 1.7KB --solver chen-greedy
  remat solve instances/examples/chain.json --solver store-all --hardware sd-card --latency 0.2`;

export const solveCommand: Command = {
  name: "solve",
  summary: "solve an instance under a memory budget with one solver",
  help: HELP,
  run: async (args, io) => {
    const parsed = parseCommandArgs("solve", args, {
      budget: { type: "string" },
      solver: { type: "string" },
      objective: { type: "string" },
      slots: { type: "string" },
      checkpoints: { type: "string" },
      "time-limit": { type: "string" },
      storage: { type: "string" },
      pareto: { type: "boolean" },
      bound: { type: "boolean" },
      extra: { type: "string", multiple: true },
      ...SWITCH_FLAG_OPTIONS,
      out: { type: "string" },
      json: { type: "boolean" },
      ...LINK_OPTIONS,
      ...MICROBATCH_OPTIONS,
    });
    const path = requirePositional("solve", parsed, 0, "INSTANCE");
    noExtraPositionals("solve", parsed, 1);
    const solver = requiredSolver(stringOption(parsed, "solver"));
    const objective = objectiveOption(stringOption(parsed, "objective"));
    const slots = numberOption("solve", parsed, "slots", true);
    const timeLimitSec = numberOption("solve", parsed, "time-limit");
    const checkpointsText = stringOption(parsed, "checkpoints");
    const storage = stringOption(parsed, "storage");
    const hardware = linkChoice("solve", parsed);
    const out = stringOption(parsed, "out");
    if (out !== undefined) checkOutputPath("remat solve", out);
    const micro = microbatchRequest(parsed.values);
    const instance = await loadInstance(path);
    const options = {
      solver,
      budget: stringOption(parsed, "budget") ?? "none",
      ...(objective === undefined ? {} : { objective }),
      ...(slots === undefined ? {} : { slots }),
      ...(timeLimitSec === undefined ? {} : { timeLimitSec }),
      ...(checkpointsText === undefined ? {} : { checkpoints: await readCheckpoints(checkpointsText) }),
      extra: withSwitchFlags("remat solve", parsed.values, {
        ...(parsed.values.pareto === true ? { pareto: true } : {}),
        ...extraOptions("solve", parsed),
      }),
      ...(hardware === undefined ? {} : { hardware }),
      ...(storage === undefined ? {} : { storage }),
    };
    if (micro !== undefined) {
      const plan = await solveMicrobatched(instance, { ...options, ...micro });
      io.out(parsed.values.json === true ? JSON.stringify(plan, null, 2) : describeMicrobatched(plan));
      return 0;
    }
    const result =
      parsed.values.bound === true ? await solveWithBound(instance, options) : await solve(instance, options);
    if (out !== undefined) await writeSolveOutput(out, jobSetting(path, options), result, io.err);
    io.out(parsed.values.json === true ? JSON.stringify(result, null, 2) : describeResult(result));
    return 0;
  },
};

/** The objective flag's value, checked. */
function objectiveOption(objective: string | undefined): Objective | undefined {
  if (objective === undefined || objective === "time" || objective === "memory") return objective;
  throw new InputError("remat solve", [
    { code: "option", path: "--objective", expected: "time or memory", received: describeValue(objective) },
  ]);
}

/** The solver flag's value, required. */
function requiredSolver(solver: string | undefined): string {
  if (solver !== undefined) return solver;
  throw new InputError("remat solve", [
    {
      code: "required",
      path: "--solver",
      expected: "a solver name (see remat solvers)",
      received: "missing",
    },
  ]);
}

/**
 * The microbatching flags (undefined without --microbatches).
 * @throws InputError for bad values, or with --bound or --out, which do not combine with it
 */
function microbatchRequest(
  values: Readonly<Record<string, unknown>>,
): (MicrobatchChoice & { readonly microbatches: number | "auto" }) | undefined {
  const choice = microbatchChoice("remat solve", values);
  if (choice.microbatches === undefined) return undefined;
  const clashing = (["bound", "out"] as const).filter((flag) => values[flag] !== undefined);
  if (clashing.length > 0)
    throw new InputError(
      "remat solve",
      clashing.map((flag) => ({
        code: "option" as const,
        path: `--${flag}`,
        expected: "absent with --microbatches (a microbatched plan is printed; use --json for it whole)",
        received: describeValue(values[flag]),
      })),
    );
  return { ...choice, microbatches: choice.microbatches };
}

/** Reads `ID,ID,...` or `@FILE` (a JSON list of ids, or one id per line). */
async function readCheckpoints(text: string): Promise<string[]> {
  if (!text.startsWith("@"))
    return text
      .split(",")
      .map((id) => id.trim())
      .filter((id) => id !== "");
  const file = text.slice(1);
  let content: string;
  try {
    content = await readFile(file, "utf8");
  } catch {
    throw new InputError(
      "remat solve",
      [
        {
          code: "file",
          path: "--checkpoints",
          expected: "a readable file of node ids",
          received: describeValue(file),
        },
      ],
      file,
    );
  }
  const trimmed = content.trim();
  if (trimmed.startsWith("[")) {
    let list: unknown;
    try {
      list = JSON.parse(trimmed);
    } catch (error) {
      throw new InputError(
        "remat solve",
        [
          {
            code: "json",
            path: "--checkpoints",
            expected: "a JSON list of node ids",
            received: (error as Error).message,
          },
        ],
        file,
      );
    }
    if (Array.isArray(list) && list.every((id) => typeof id === "string")) return list;
    throw new InputError(
      "remat solve",
      [
        {
          code: "type",
          path: "--checkpoints",
          expected: "a JSON list of node ids",
          received: describeValue(list),
        },
      ],
      file,
    );
  }
  return trimmed.split(/[\s,]+/).filter((id) => id !== "");
}

/** The `--bound` line: the LP bound and the gap, or why there is none. */
function gridBoundLine(report: GridBoundReport, result: SolveResult): string {
  if (report.status !== "bound") return `LP bound   none (${report.status})`;
  const over = report.over === undefined ? "" : ` over ${SCHEDULE_CLASS_WORDS[report.over]}`;
  const gap =
    report.gap !== null && report.gap !== undefined
      ? `gap ${(report.gap * 100).toFixed(2)}%`
      : report.coversAnswer === false && result.makespanMs !== null
        ? "the answer lies outside that class: no gap"
        : "no answer to compare";
  return `LP bound   makespan >= ${(report.valueMs ?? 0).toFixed(3)} ms${over} (${report.backend}); ${gap}`;
}

/** The `stored` line: the stored forms a schedule uses, and whether they are lossy. */
function storedLine(result: SolveResult): string {
  const modes = result.storedModes ?? [];
  const lossy = result.lossy === true ? " (lossy: gradients differ from plain backprop)" : "";
  return `stored     ${modes.length === 0 ? "no stored forms" : modes.join(", ")}${lossy}`;
}

/** A human summary of a result. */
export function describeResult(result: SolveResult): string {
  const lines = [
    `instance   ${result.instance}`,
    `solver     ${result.solver} (objective ${result.objective})`,
    `budget     ${result.budgetBytes === null ? "none" : formatBytes(result.budgetBytes)}`,
    `status     ${result.status}`,
  ];
  if (result.makespanMs !== null) {
    lines.push(
      `makespan   ${result.makespanMs.toFixed(3)} ms (overhead ${((result.overhead ?? 0) * 100).toFixed(2)}%)`,
    );
    lines.push(`peak       ${formatBytes(result.peakBytes ?? 0)}`);
    lines.push(`schedule   ${result.schedule.length} instructions`);
  }
  if (result.storedModes !== undefined) lines.push(storedLine(result));
  if (result.optimalOver !== null) lines.push(`optimal    over ${result.optimalOver}`);
  for (const bound of result.bounds)
    lines.push(
      bound.objective === "time"
        ? `bound      makespan >= ${bound.value.toFixed(3)} ms over ${SCHEDULE_CLASS_WORDS[bound.over]} (${bound.method})`
        : `bound      peak >= ${formatBytes(bound.value)} over ${SCHEDULE_CLASS_WORDS[bound.over]} (${bound.method})`,
    );
  if (result.gridBound !== undefined) lines.push(gridBoundLine(result.gridBound, result));
  if (result.minFeasibleBudgetBytes !== null)
    lines.push(`needs      a budget of at least ${formatBytes(result.minFeasibleBudgetBytes)}`);
  if (result.reason !== null) lines.push(`reason     ${result.reason}`);
  lines.push(`time       ${result.stats.wallMs.toFixed(1)} ms`);
  return lines.join("\n");
}
