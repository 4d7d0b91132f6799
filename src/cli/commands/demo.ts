/** `remat demo` (what `npm start` runs): every applicable solver on a bundled instance at two budgets. */

import { solve, solvers } from "../../../solvers/index.js";
import { formatBytes, parseBudget } from "../../budget.js";
import { InputError } from "../../errors.js";
import { loadInstance } from "../../instance/load.js";
import { bundledPath } from "../../io/paths.js";
import { noExtraPositionals, parseCommandArgs, stringOption } from "../args.js";
import type { Command } from "../command.js";
import { renderTable } from "../table.js";

const DEFAULT_BUDGETS = "100%,50%";

export const demoCommand: Command = {
  name: "demo",
  summary: "solve a bundled instance with every applicable solver at two budgets (npm start)",
  help: `remat demo [INSTANCE] [--budgets B1,B2,...] [--time-limit SEC]

Solves INSTANCE (default: the bundled instances/zoo/resnet-50-b32-224-op.json) with every solver that accepts it
(all but \`checkpoints\`, which needs a checkpoint set) at each budget (default ${DEFAULT_BUDGETS})
and prints one table row per solve: solver, budget, status, makespan, overhead, peak.`,
  run: async (args, io) => {
    const parsed = parseCommandArgs("demo", args, {
      budgets: { type: "string" },
      "time-limit": { type: "string" },
    });
    noExtraPositionals("demo", parsed, 1);
    const path = parsed.positionals[0] ?? bundledPath("instances", "zoo", "resnet-50-b32-224-op.json");
    const instance = await loadInstance(path);
    const budgets = (stringOption(parsed, "budgets") ?? DEFAULT_BUDGETS)
      .split(",")
      .map((text) => text.trim());
    for (const text of budgets) parseBudget(text);
    const timeLimit = Number(stringOption(parsed, "time-limit") ?? 60);
    io.out(`${instance.name}: ${instance.nodes.length} nodes, ${instance.source}\n`);
    const rows: string[][] = [];
    for (const budget of budgets) {
      for (const solver of solvers) {
        if (solver.name === "checkpoints") continue;
        if (solver.rejects?.(instance) !== undefined) continue;
        try {
          const result = await solve(instance, { solver: solver.name, budget, timeLimitSec: timeLimit });
          rows.push([
            solver.name,
            result.budgetBytes === null ? budget : `${budget} = ${formatBytes(result.budgetBytes)}`,
            result.status,
            result.makespanMs === null ? "-" : result.makespanMs.toFixed(2),
            result.overhead === null ? "-" : `${(result.overhead * 100).toFixed(1)}%`,
            result.peakBytes === null ? "-" : formatBytes(result.peakBytes),
            result.stats.wallMs.toFixed(0),
          ]);
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          rows.push([solver.name, budget, "n/a", "-", "-", "-", "-"]);
        }
      }
    }
    io.out(renderTable(["solver", "budget", "status", "makespan ms", "overhead", "peak", "solve ms"], rows));
    io.out(
      `\npeak includes ${formatBytes(instance.fixedBytes)} of fixed memory (parameters, gradients, optimizer state); a budget in % is of the store-all peak.`,
    );
    return 0;
  },
};
