/** `remat demo` (what `npm start` runs): every applicable solver on a bundled instance at two budgets. */

import { solve, solvers } from "../../../solvers/index.js";
import { formatBytes, parseBudget } from "../../budget.js";
import { statusWithCertificate } from "../../certificate.js";
import { loadInstance } from "../../instance/load.js";
import type { Instance } from "../../instance/types.js";
import { bundledPath } from "../../io/paths.js";
import type { SolveResult } from "../../solve-result.js";
import { noExtraPositionals, numberOption, parseCommandArgs, stringOption } from "../args.js";
import type { Command, CommandIo } from "../command.js";
import { renderTable, wrapText } from "../table.js";

const DEFAULT_BUDGETS = "100%,50%";

/** The bundled instances the demo solves by default: ResNet-50 as an op-level DAG and as a block chain. */
const DEFAULT_INSTANCES = ["resnet-50-b32-224-op.json", "resnet-50-b32-224-block.json"];

export const demoCommand: Command = {
  name: "demo",
  summary: "solve a bundled instance with every applicable solver at two budgets (npm start)",
  help: `remat demo [INSTANCE] [--budgets B1,B2,...] [--time-limit SEC]

Solves INSTANCE (default: the bundled ResNet-50 at batch 32, 224x224, as an op-level DAG and as a
block-level chain, from instances/zoo/) with every solver that accepts it
(all but \`checkpoints\`, which needs a checkpoint set) at each budget (default ${DEFAULT_BUDGETS})
and prints one table row per solve: solver, budget, status, makespan, overhead, peak.`,
  run: async (args, io) => {
    const parsed = parseCommandArgs("demo", args, {
      budgets: { type: "string" },
      "time-limit": { type: "string" },
    });
    noExtraPositionals("demo", parsed, 1);
    const paths =
      parsed.positionals[0] === undefined
        ? DEFAULT_INSTANCES.map((name) => bundledPath("instances", "zoo", name))
        : [parsed.positionals[0]];
    const budgets = (stringOption(parsed, "budgets") ?? DEFAULT_BUDGETS)
      .split(",")
      .map((text) => text.trim());
    for (const text of budgets) parseBudget(text, "--budgets");
    const timeLimitSec = numberOption("demo", parsed, "time-limit") ?? 60;
    for (const path of paths) await demoTable(await loadInstance(path), budgets, timeLimitSec, io);
    return 0;
  },
};

/** One table: every solver that accepts `instance` at every budget. */
async function demoTable(
  instance: Instance,
  budgets: readonly string[],
  timeLimitSec: number,
  io: CommandIo,
): Promise<void> {
  io.out(`${wrapText(`${instance.name}: ${instance.nodes.length} nodes. ${instance.source}`).join("\n")}\n`);
  const rows: string[][] = [];
  for (const budget of budgets) {
    for (const solver of solvers) {
      // milp-offload without a link is milp again (the bundled instances have none): not run twice;
      // milp-blocks answers the best of the baselines, chain-dp and graph-mincut, already in the table.
      if (
        solver.name === "checkpoints" ||
        solver.name === "milp-offload" ||
        solver.name === "milp-blocks" ||
        solver.rejects?.(instance) !== undefined
      )
        continue;
      const result = await solve(instance, { solver: solver.name, budget, timeLimitSec });
      rows.push(demoRow(solver.name, budget, result));
    }
  }
  io.out(renderTable(["solver", "budget", "status", "makespan ms", "overhead", "peak", "solve ms"], rows));
  const note = `peak includes ${formatBytes(instance.fixedBytes)} of fixed memory (parameters and their gradients); a budget in % is of the store-all peak.`;
  io.out(`\n${wrapText(note).join("\n")}\n`);
}

/** The table row of one solve: solver, budget (and its bytes), status, makespan, overhead, peak, solve ms. */
function demoRow(solver: string, budget: string, result: SolveResult): string[] {
  return [
    solver,
    result.budgetBytes === null ? budget : `${budget} = ${formatBytes(result.budgetBytes)}`,
    statusWithCertificate(result.status, result.certificate),
    result.makespanMs === null ? "-" : result.makespanMs.toFixed(2),
    result.overhead === null ? "-" : `${(result.overhead * 100).toFixed(1)}%`,
    result.peakBytes === null ? "-" : formatBytes(result.peakBytes),
    result.stats.wallMs.toFixed(0),
  ];
}
