/** `remat solvers`: the solver table. */
import { solvers } from "../../../solvers/index.js";
import { parseCommandArgs } from "../args.js";
import type { Command } from "../command.js";
import { renderTable } from "../table.js";

export const solversCommand: Command = {
  name: "solvers",
  summary: "list the solvers: name, problem class, guarantee, reference",
  help: "remat solvers [--json]\n\nLists every solver with the problems it accepts, what its answers guarantee and its reference.",
  run: async (args, io) => {
    const parsed = parseCommandArgs("solvers", args, { json: { type: "boolean" } });
    const rows = solvers.map((s) => ({
      name: s.name,
      family: s.family,
      problem: s.problem,
      objectives: s.objectives,
      guarantee: s.guarantee,
      reference: s.reference,
    }));
    if (parsed.values.json === true) io.out(JSON.stringify(rows, null, 2));
    else
      io.out(
        renderTable(
          ["name", "problem", "objectives", "guarantee", "reference"],
          rows.map((r) => [r.name, r.problem, r.objectives.join(","), r.guarantee, r.reference]),
        ),
      );
    return 0;
  },
};
