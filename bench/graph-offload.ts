/**
 * Benchmark of graph-offload (recomputation and offloading combined on DAGs, issue 12 items 4 and 6) on
 * the zoo's op-level graphs (ResNet-50, DenseNet-121, MobileNetV2, GPT-2, U-Net) at 20% to 70% of the
 * store-all peak, over PCIe 4.0 and an edge link (USB 2.0 flash): per budget the overhead (makespan /
 * store-all - 1) of graph-mincut (recomputation only), of the best offload-only schedule (the fastest of
 * offload-all, offload-largest, offload-fluid and offload-lp-round, store-all's order) and of
 * graph-offload, side by side in one run; the share of graph-mincut's overhead that graph-offload
 * removes; and, per method, the least activation memory (peak - fixedBytes) any budget of the grid
 * reached under 20% overhead, against store-all's. Every answer is re-evaluated from its text schedule
 * first, and graph-offload slower than graph-mincut or the best offload-only answer fails the run. Writes bench/results/graph-offload.json and .md.
 *
 * Run: npx tsx bench/graph-offload.ts (about 5 minutes on 2 shared cores at load average 8 to 10; `--quick` runs one network and writes nothing)
 */
import { solve } from "../solvers/index.js";
import { evaluate } from "../src/evaluate/evaluate.js";
import { withHardware } from "../src/hardware/apply.js";
import { findPreset } from "../src/hardware/presets.js";
import { loadInstance } from "../src/instance/load.js";
import type { Instance } from "../src/instance/types.js";
import { storeAllEvaluation } from "../src/schedule/builders.js";
import { parseSchedule } from "../src/schedule/text.js";
import type { SolveResult } from "../src/solve-result.js";
import { benchEnvironment, loadAverageNow, writeBenchResults } from "./environment.js";

const NETWORKS = [
  "resnet-50-b32-224",
  "densenet-121-b32-224",
  "mobilenet-v2-b32-224",
  "gpt2-small-b8-t1024",
  "unet-b4-512",
];
const BUDGETS = [20, 30, 40, 50, 60, 70];
const LINKS = ["pcie4", "usb2-flash"];
const OFFLOAD_ONLY = ["offload-all", "offload-largest", "offload-fluid", "offload-lp-round"];
/** Overhead under which the least activation memory is reported (POFO's figure, Beaumont et al. 2021). */
const OVERHEAD_CAP = 0.2;
/** Per-solve limit (no solve comes near it; a timeout would show in the statuses). */
const LIMIT_SEC = 60;
const QUICK = process.argv.includes("--quick");

/** One method's answer at one budget. */
interface MethodCell {
  readonly solver: string;
  readonly status: string;
  readonly overhead: number | null;
  readonly peakBytes: number | null;
  readonly solveMs: number;
}

/** The three methods at one network, link and budget. */
interface Cell {
  readonly network: string;
  readonly link: string;
  readonly budgetPercent: number;
  readonly mincut: MethodCell;
  /** The fastest offload-only answer (or the first, when none has a schedule). */
  readonly offloadOnly: MethodCell;
  readonly graphOffload: MethodCell;
  readonly loadAverage: number;
}

/** Solves and re-checks the answer with the evaluator from its text form; throws on any mismatch. */
async function verified(instance: Instance, solver: string, budgetPercent: number): Promise<MethodCell> {
  const started = performance.now();
  const result: SolveResult = await solve(instance, {
    solver,
    budget: `${budgetPercent}%`,
    timeLimitSec: LIMIT_SEC,
  });
  const solveMs = performance.now() - started;
  if (result.makespanMs !== null) {
    const evaluation = evaluate(instance, parseSchedule(result.schedule));
    if (!evaluation.valid)
      throw new Error(`${instance.name} ${solver}: invalid schedule (${evaluation.error.reason})`);
    if (evaluation.makespanMs !== result.makespanMs || evaluation.peakBytes !== result.peakBytes)
      throw new Error(`${instance.name} ${solver}: reported cost differs from the evaluator`);
  }
  return { solver, status: result.status, overhead: result.overhead, peakBytes: result.peakBytes, solveMs };
}

/** The fastest of the offload-only answers (the first of equals; the first when none has a schedule). */
async function bestOffloadOnly(instance: Instance, budgetPercent: number): Promise<MethodCell> {
  let best: MethodCell | undefined;
  let total = 0;
  for (const solver of OFFLOAD_ONLY) {
    const cell = await verified(instance, solver, budgetPercent);
    total += cell.solveMs;
    const better =
      cell.overhead !== null &&
      (best?.overhead === null || best === undefined || cell.overhead < (best.overhead as number));
    if (best === undefined || better) best = cell;
  }
  return { ...(best as MethodCell), solveMs: total };
}

/** Relative tolerance for float sums taken in another order. */
const TOLERANCE = 1e-9;

/** graph-offload's promise (proofs/graph-offload.md): never slower than its candidates' solvers; throws otherwise. */
function checkNoWorse(where: string, ours: MethodCell, others: readonly MethodCell[]): void {
  for (const other of others) {
    if (other.overhead === null) continue;
    if (ours.overhead === null || ours.overhead > other.overhead + TOLERANCE * (1 + Math.abs(other.overhead)))
      throw new Error(
        `${where}: graph-offload (${ours.overhead}) is slower than ${other.solver} (${other.overhead})`,
      );
  }
}

async function networkCells(network: string, link: string): Promise<Cell[]> {
  const preset = findPreset(link);
  if (preset === undefined) throw new Error(`no preset ${link}`);
  const instance = withHardware(await loadInstance(`instances/zoo/${network}-op.json`), preset);
  const cells: Cell[] = [];
  for (const budgetPercent of BUDGETS) {
    const mincut = await verified(instance, "graph-mincut", budgetPercent);
    const offloadOnly = await bestOffloadOnly(instance, budgetPercent);
    const graphOffload = await verified(instance, "graph-offload", budgetPercent);
    checkNoWorse(`${network} ${link} ${budgetPercent}%`, graphOffload, [mincut, offloadOnly]);
    cells.push({
      network,
      link,
      budgetPercent,
      mincut,
      offloadOnly,
      graphOffload,
      loadAverage: loadAverageNow(),
    });
    const show = (cell: MethodCell) =>
      cell.overhead === null ? "-" : `${(cell.overhead * 100).toFixed(1)}%`;
    console.error(
      `${network} ${link} ${budgetPercent}%: mincut ${show(mincut)}, offload-only ${show(offloadOnly)} (${offloadOnly.solver}), graph-offload ${show(graphOffload)} ${graphOffload.status} (${graphOffload.solveMs.toFixed(0)} ms)`,
    );
  }
  return cells;
}

type Method = "mincut" | "offloadOnly" | "graphOffload";
const METHODS: readonly Method[] = ["mincut", "offloadOnly", "graphOffload"];

/** Per network, link and method: the least activation memory under the cap, as a fraction of store-all's. */
async function leastMemory(cells: readonly Cell[]) {
  const rows = [];
  for (const network of [...new Set(cells.map((cell) => cell.network))]) {
    const plain = await loadInstance(`instances/zoo/${network}-op.json`);
    const storeAll = storeAllEvaluation(plain).peakBytes - plain.fixedBytes;
    for (const link of LINKS)
      for (const method of METHODS) {
        const under = cells.filter(
          (cell) =>
            cell.network === network &&
            cell.link === link &&
            cell[method].overhead !== null &&
            (cell[method].overhead as number) <= OVERHEAD_CAP,
        );
        const least = under.reduce(
          (low, cell) => Math.min(low, (cell[method].peakBytes as number) - plain.fixedBytes),
          Number.POSITIVE_INFINITY,
        );
        rows.push({
          network,
          link,
          method,
          storeAllActivationBytes: storeAll,
          leastActivationBytes: Number.isFinite(least) ? least : null,
          fraction: Number.isFinite(least) ? least / storeAll : null,
        });
      }
  }
  return rows;
}

/** Per link: the share of graph-mincut's overhead graph-offload removes, over budgets where both fit. */
function removedShare(cells: readonly Cell[]) {
  return LINKS.map((link) => {
    const shares = cells
      .filter(
        (cell) => cell.link === link && cell.mincut.overhead !== null && (cell.mincut.overhead as number) > 0,
      )
      .filter((cell) => cell.graphOffload.overhead !== null)
      .map((cell) => 1 - (cell.graphOffload.overhead as number) / (cell.mincut.overhead as number));
    const sorted = [...shares].sort((a, b) => a - b);
    const mean = shares.reduce((sum, x) => sum + x, 0) / Math.max(1, shares.length);
    return { link, pairs: shares.length, mean, median: sorted[Math.floor(sorted.length / 2)] ?? null };
  });
}

async function main(): Promise<void> {
  const environment = benchEnvironment();
  const started = performance.now();
  const cells: Cell[] = [];
  for (const network of QUICK ? NETWORKS.slice(0, 1) : NETWORKS)
    for (const link of LINKS) cells.push(...(await networkCells(network, link)));
  const least = await leastMemory(cells);
  const share = removedShare(cells);
  const totalMs = performance.now() - started;
  if (QUICK) return; // a partial run does not replace the results
  writeBenchResults(
    "graph-offload",
    { environment, loadAtEnd: loadAverageNow(), totalMs, overheadCap: OVERHEAD_CAP, cells, least, share },
    markdown(cells, least, share, environment, totalMs),
  );
}

const pct = (x: number | null) => (x === null ? "-" : `${(x * 100).toFixed(1)}%`);
const show = (cell: MethodCell) => `${pct(cell.overhead)}${cell.status === "optimal" ? " (optimal)" : ""}`;

function markdown(
  cells: readonly Cell[],
  least: Awaited<ReturnType<typeof leastMemory>>,
  share: ReturnType<typeof removedShare>,
  environment: ReturnType<typeof benchEnvironment>,
  totalMs: number,
): string {
  return [
    "# Recomputation and offloading combined on the zoo's op graphs",
    "",
    `${environment.cpu} (${environment.cores} cores), Node ${environment.node}, commit ${environment.commit}${environment.dirty ? " (uncommitted changes)" : ""}, ${environment.date}, load average ${environment.loadAverage}; whole run ${(totalMs / 1000).toFixed(0)} s.`,
    "Overhead = makespan / store-all - 1; `-`: no schedule within the budget. Offload-only = the fastest of offload-all, offload-largest, offload-fluid, offload-lp-round (solve ms: their sum).",
    "",
    "| network | link | budget | graph-mincut | offload-only (best) | graph-offload | status | graph-mincut ms | offload-only ms | graph-offload ms | load |",
    "| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |",
    ...cells.map(
      (c) =>
        `| ${c.network} | ${c.link} | ${c.budgetPercent}% | ${show(c.mincut)} | ${show(c.offloadOnly)} ${c.offloadOnly.overhead === null ? "" : `(${c.offloadOnly.solver})`} | ${show(c.graphOffload)} | ${c.graphOffload.status} | ${c.mincut.solveMs.toFixed(0)} | ${c.offloadOnly.solveMs.toFixed(0)} | ${c.graphOffload.solveMs.toFixed(0)} | ${c.loadAverage} |`,
    ),
    "",
    `## Least activation memory under ${pct(OVERHEAD_CAP)} overhead (over the budget grid), as a fraction of store-all's`,
    "",
    "| network | link | graph-mincut | offload-only | graph-offload |",
    "| --- | --- | ---: | ---: | ---: |",
    ...[...new Set(least.map((r) => `${r.network}|${r.link}`))].map((key) => {
      const [network, link] = key.split("|");
      const of = (method: Method) =>
        pct(
          least.find((r) => r.network === network && r.link === link && r.method === method)?.fraction ??
            null,
        );
      return `| ${network} | ${link} | ${of("mincut")} | ${of("offloadOnly")} | ${of("graphOffload")} |`;
    }),
    "",
    "## Share of graph-mincut's overhead that graph-offload removes (budgets where both fit, graph-mincut's overhead > 0)",
    "",
    "| link | pairs | mean | median |",
    "| --- | ---: | ---: | ---: |",
    ...share.map((r) => `| ${r.link} | ${r.pairs} | ${pct(r.mean)} | ${pct(r.median)} |`),
    "",
  ].join("\n");
}

await main();
