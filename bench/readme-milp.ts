/**
 * The README's milp-scale block (bench/readme-blocks.ts lists it), rendered from
 * bench/results/milp-scale.json (bench/milp-scale.ts): per LP backend the largest op graph milp proves
 * optimal within the limit; milp-blocks' answer, bound and gap on the ResNet-50 and DenseNet-121 op
 * graphs; each formulation's LP bound time on 100 to 1,000 nodes; the certified gaps of graph-mincut and
 * chain-dp on the zoo; Checkmate's published times beside them.
 */
import { existsSync, readFileSync } from "node:fs";

// biome-ignore lint/suspicious/noExplicitAny: results files are read as loose JSON, field by field below
type Loose = any;

/** bench/results/milp-scale.json, parsed, with bench/results/milp-lp-scale.json as `lpZoo` when it exists. */
export function milpScaleResults(): Loose {
  const read = (name: string) =>
    JSON.parse(readFileSync(new URL(`./results/${name}.json`, import.meta.url), "utf8"));
  const data = read("milp-scale");
  if (existsSync(new URL("./results/milp-lp-scale.json", import.meta.url)))
    data.lpZoo = read("milp-lp-scale");
  return data;
}

/** The LP bound's time on op-level networks (bench/milp-lp-scale.ts), when measured. */
function lpZoo(zoo: Loose, measuredOn: (environment: Loose, loadEnd?: number) => string): string[] {
  if (zoo === undefined) return [];
  return [
    "",
    `LP bound at 50% on op-level networks, limit ${zoo.limitSec} s per solve (\`bench/milp-lp-scale.ts\`; measured on ${measuredOn(zoo.environment, zoo.loadAverageEnd)}; the grid LP only on models of at most ${zoo.gridLpBinaries} binaries):`,
    "",
    "| instance | nodes | block relaxation LP | grid LP (lp-round's) |",
    "| --- | ---: | ---: | ---: |",
    ...(zoo.rows as Loose[]).map(
      (r) =>
        `| ${r.instance} | ${r.nodes} | ${sec(r.blocks.sec)} (${r.blocks.status}) | ${sec(r.gridLp.sec)} (${r.gridLp.status}) |`,
    ),
  ];
}

/** Where Checkmate's figures come from (the paper and its artifact's README). */
const CHECKMATE_SOURCE =
  "Jain et al., Checkmate, MLSys 2020, and the artifact README of github.com/parasj/checkmate";

const pct = (value: number | null | undefined) =>
  value === null || value === undefined ? "-" : `${(100 * value).toFixed(2)}%`;
const sec = (value: number | null | undefined) =>
  value === null || value === undefined ? "-" : `${value.toFixed(1)} s`;

/** Per backend: the largest proven rung and the first unproven one. */
function reach(ladder: readonly Loose[], limitSec: number): string {
  const lps = [...new Set(ladder.map((r) => r.lp as string))];
  return lps
    .map((lp) => {
      const rows = ladder.filter((r) => r.lp === lp);
      const proven = rows.filter((r) => r.status === "optimal");
      const best = proven[proven.length - 1];
      const largest =
        best === undefined ? "none" : `${best.nodes} nodes (${best.instance}, ${sec(best.sec)})`;
      const stop = rows.find((r) => r.status !== "optimal" && r.status !== "infeasible");
      const then = stop === undefined ? "" : `; ${stop.nodes} nodes: ${stop.status} at ${sec(stop.sec)}`;
      return `${lp}: ${largest}${then}`;
    })
    .join("; ")
    .concat(` (limit ${limitSec} s)`);
}

/** The certified-gap cell of one instance, solver and budget. */
function gapCell(rows: readonly Loose[], instance: string, solver: string, budget: string): string {
  const r = rows.find((g) => g.instance === instance && g.solver === solver && g.budget === budget);
  if (r === undefined || r.makespanMs === null) return "-";
  return r.gap === null ? "no bound" : pct(r.gap);
}

/** The block, given the measured-on line's renderer of bench/readme-blocks.ts. */
export function renderMilpScale(
  data: Loose,
  measuredOn: (environment: Loose, loadEnd?: number) => string,
): string {
  const gaps = data.gaps as Loose[];
  const budgets = [...new Set(gaps.map((r) => r.budget as string))];
  const keys = [...new Set(gaps.map((r) => `${r.instance}|${r.solver}`))];
  const fits = (key: string) =>
    gaps.some((r) => `${r.instance}|${r.solver}` === key && r.makespanMs !== null);
  const none = [...new Set(keys.filter((key) => !fits(key)).map((key) => key.split("|")[0]))];
  return [
    `Measured on ${measuredOn(data.environment, data.loadAverageEnd)} (\`bench/milp-scale.ts\`; \`bench/results/milp-scale.md\`; load average per row in the JSON)${data.complete === false ? "; partial run" : ""}.`,
    `Largest zoo op graph \`milp\` proves optimal at ${data.limits.ladderBudget} of the store-all peak, per backend: ${reach(data.ladder, data.limits.limitSec)}.`,
    `\`milp-blocks\` at 50% within ${data.limits.limitSec} s: ${(data.large as Loose[])
      .map(
        (r) =>
          `${r.instance} (${r.nodes} nodes) ${r.status}, ${r.makespanMs?.toFixed(2)} ms over the bound ${r.boundMs?.toFixed(2)} ms, gap ${pct(r.gap)}, ${sec(r.sec)}`,
      )
      .join("; ")}.`,
    `Checkmate's published times (Gurobi on 2x Xeon E5-2670, 24 threads; ${CHECKMATE_SOURCE}): ${(data.checkmate as string[]).join("; ")}.`,
    "",
    `LP bound at 50% on random series-parallel DAGs (few cut points), limit ${data.limits.lpLimitSec} s per solve:`,
    "",
    "| nodes | block relaxation LP | grid LP (lp-round's) |",
    "| ---: | ---: | ---: |",
    ...(data.lp as Loose[]).map(
      (r) =>
        `| ${r.nodes} | ${sec(r.blocks.sec)} (${r.blocks.status}) | ${sec(r.gridLp.sec)} (${r.gridLp.status}) |`,
    ),
    ...lpZoo(data.lpZoo, measuredOn),
    "",
    "Certified gap: makespan over the best stage-grid bound at that budget (block relaxation, or the grid LP on models of at most the JSON's `gapGridBinaries`), minus one (`-`: no schedule):",
    "",
    `| instance | solver | ${budgets.join(" | ")} |`,
    `| --- | --- | ${budgets.map(() => "---:").join(" | ")} |`,
    ...keys.filter(fits).map((key) => {
      const [instance, solver] = key.split("|") as [string, string];
      return `| ${instance} | ${solver} | ${budgets.map((b) => gapCell(gaps, instance, solver, b)).join(" | ")} |`;
    }),
    "",
    none.length === 0 ? "" : `No schedule fits at these budgets on ${none.join(", ")}.`,
  ].join("\n");
}
