/** `remat solvers`: the solver table, and with `--switches` every solver's switches. */
import { solvers } from "../../../solvers/index.js";
import { describeSwitches } from "../../options.js";
import { parseCommandArgs } from "../args.js";
import type { Command } from "../command.js";
import { renderTable } from "../table.js";

export const solversCommand: Command = {
  name: "solvers",
  summary: "list the solvers: name, problem class, guarantee, reference",
  help: `remat solvers [--switches] [--json]

Lists every solver with the problems it accepts, what its answers guarantee and its reference.
--switches lists instead, for each solver, the common options it reads (slots, checkpoints) and its
switches (set with --extra KEY=VALUE), each with its type, default and meaning.`,
  run: async (args, io) => {
    const parsed = parseCommandArgs("solvers", args, {
      json: { type: "boolean" },
      switches: { type: "boolean" },
    });
    const rows = solvers.map((s) => ({
      name: s.name,
      family: s.family,
      problem: s.problem,
      objectives: s.objectives,
      guarantee: s.guarantee,
      reference: s.reference,
      reads: s.reads,
      storage: s.storage ?? [],
      switches: s.switches,
    }));
    if (parsed.values.json === true) io.out(JSON.stringify(rows, null, 2));
    else if (parsed.values.switches === true)
      io.out(
        solvers
          .map((s) =>
            [
              `${s.name} (reads budget, objective, time limit${s.reads.map((r) => `, ${r}`).join("")}${(s.storage ?? []).length === 0 ? "" : `; plans storage ${(s.storage ?? []).join(", ")}`})`,
              ...(Object.keys(s.switches).length === 0
                ? ["  no switches"]
                : describeSwitches(s.switches).map((line) => `  ${line}`)),
            ].join("\n"),
          )
          .join("\n\n"),
      );
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
