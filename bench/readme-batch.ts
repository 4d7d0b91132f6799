/**
 * The README's batch-zoo block (bench/readme-blocks.ts lists it), rendered from bench/results/batch-zoo.json:
 * how the whole zoo x every solver x budgets 30% to 90% ran through `remat batch` (time limit, lanes, wall
 * time, load), and the summary `remat report` made of its log (wins, rows solved, optimal, failed, and the
 * geometric-mean makespan ratio against the reference), with the two plots `remat plot` drew.
 */
import { readFileSync } from "node:fs";

// biome-ignore lint/suspicious/noExplicitAny: results files are read as loose JSON, field by field below
type Loose = any;

/** Reads bench/results/batch-zoo.json. */
export function batchResults(): Loose {
  return JSON.parse(readFileSync(new URL("./results/batch-zoo.json", import.meta.url), "utf8"));
}

/** The batch-zoo block, given the measured-on line's renderer of bench/readme-blocks.ts. */
export function renderBatch(
  data: Loose,
  measuredOn: (environment: Loose, loadEnd?: number) => string,
): string {
  const settings = data.settings;
  const rows = (data.summary as Loose[]).map(
    (s) =>
      `| ${s.solver} | ${s.wins} | ${s.solved} / ${s.rows} | ${s.optimal} | ${s.failed} | ${s.ratio === null ? "-" : `${s.ratio.toFixed(3)} (${s.compared})`} |`,
  );
  const minutes = (data.wallMs / 60_000).toFixed(1);
  return [
    `Measured on ${measuredOn(data.environment, data.loadEnd)} (\`bench/batch-zoo.ts\`; every cell in \`bench/results/batch-zoo.md\`, the log in \`bench/results/batch-zoo.jsonl\`).`,
    `${data.instances} zoo instances x ${settings.solvers.length} solvers x budgets ${settings.budgets[0]} to ${settings.budgets[settings.budgets.length - 1]} = ${data.jobs} jobs through \`remat batch\` with ${settings.jobs} lanes and a ${settings.timeLimitSec} s time limit per solve, chosen for a run of about 20 minutes on this shared machine: it took ${minutes} min${data.resumed ? " (resumed)" : ""}. ` +
      `Many answers are therefore \`timeout\` with the best schedule found so far; a solver's rows count the (instance, budget) pairs it accepts.`,
    "",
    `| solver | wins | solved / rows | optimal | failed | makespan / ${settings.reference} (geo-mean, rows) |`,
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
    "![time overhead against peak memory, per zoo instance and solver](bench/results/batch-zoo-front.svg)",
    "",
    "![time overhead against the budget, per zoo instance and solver](bench/results/batch-zoo-sweep.svg)",
  ].join("\n");
}
