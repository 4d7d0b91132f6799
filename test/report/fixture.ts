/** Results logs written by hand for the report and plot tests: two instances, three solvers, three budgets. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** One log line of the shape `remat batch` writes (only the fields a report reads, plus a setting). */
export function line(
  file: string,
  solver: string,
  budget: string,
  status: string,
  fields: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    file,
    budget,
    status,
    solver,
    instance: file.replace(/^.*\//, "").replace(/\.json$/, ""),
    budgetBytes: Number.parseFloat(budget) * 10,
    makespanMs: null,
    peakBytes: null,
    overhead: null,
    setting: {
      objective: "time",
      slots: null,
      timeLimitSec: 60,
      extra: {},
      checkpoints: null,
      hardware: null,
    },
    ...fields,
  };
}

/** A solved line: makespan from the overhead over a store-all makespan of 100 ms. */
export function solved(
  file: string,
  solver: string,
  budget: string,
  overhead: number,
  status = "feasible",
  fields: Record<string, unknown> = {},
): Record<string, unknown> {
  const budgetBytes = Number.parseFloat(budget) * 10;
  return line(file, solver, budget, status, {
    makespanMs: 100 * (1 + overhead),
    peakBytes: budgetBytes - 5,
    overhead,
    ...fields,
  });
}

/**
 * The hand-made log: on `a.json` chain-dp is best at 50% and 70% (with a recorded bound at 70%), store-all
 * at 90%; on `b.json` (which chain-dp rejects) chen-greedy is best at 50% and ties store-all at 90%.
 */
export function handLog(): Record<string, unknown>[] {
  return [
    solved("a.json", "store-all", "90%", 0, "optimal"),
    line("a.json", "store-all", "70%", "infeasible"),
    line("a.json", "store-all", "50%", "infeasible"),
    solved("a.json", "chen-greedy", "90%", 0.1),
    solved("a.json", "chen-greedy", "70%", 0.3),
    solved("a.json", "chen-greedy", "50%", 0.6),
    solved("a.json", "chain-dp", "90%", 0.1, "optimal"),
    solved("a.json", "chain-dp", "70%", 0.2, "optimal", {
      gridBound: {
        status: "bound",
        backend: "highs",
        sumOfTimesMs: 100,
        valueMs: 115,
        over: "stage-grid",
        gap: 0.04,
      },
    }),
    solved("a.json", "chain-dp", "50%", 0.4, "optimal"),
    solved("b.json", "store-all", "90%", 0, "optimal"),
    line("b.json", "store-all", "50%", "infeasible"),
    solved("b.json", "chen-greedy", "90%", 0),
    solved("b.json", "chen-greedy", "50%", 0.5),
    line("b.json", "chain-dp", "90%", "rejected", { reason: "not a chain" }),
    line("b.json", "chain-dp", "50%", "rejected", { reason: "not a chain" }),
  ];
}

/** Writes `lines` as a results log in `folder`, returning its path. */
export function writeLog(folder: string, name: string, lines: readonly unknown[]): string {
  const path = join(folder, name);
  writeFileSync(
    path,
    `${lines.map((entry) => (typeof entry === "string" ? entry : JSON.stringify(entry))).join("\n")}\n`,
  );
  return path;
}
