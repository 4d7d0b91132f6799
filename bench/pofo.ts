/**
 * Benchmark of pofo (recomputation + offloading on chains, issue 12) on the zoo's block chains
 * (ResNet-50, DenseNet-121, MobileNetV2, GPT-2, U-Net) at 20% to 70% of the store-all peak, over PCIe 4.0
 * and an edge link (`usb2-flash`): the overhead (makespan / store-all - 1) of chain-dp (recomputation
 * only), of the best offload-only schedule (the offload family's heuristics) and of pofo, side by side at
 * the same slots (500); the share of chain-dp's overhead that pofo's offloads remove; and, on a finer
 * grid of budgets, the least activation memory (peak - fixedBytes) each reaches under 20% overhead, as a
 * fraction of store-all's. Then pofo's solve time on random chains with a link against L and S (the
 * issue's target: L = 50 at S = 200 under 10 s), beside chain-dp's at the same (L, S). Every answer is
 * re-evaluated from its text schedule first. Writes bench/results/pofo.json and .md.
 *
 * Run: npx tsx bench/pofo.ts (a few minutes; `--quick` runs one network and a smaller speed grid)
 */
import { findSolver, solve, solvers } from "../solvers/index.js";
import { evaluate } from "../src/evaluate/evaluate.js";
import { randomChain } from "../src/generate/families.js";
import { withHardware } from "../src/hardware/apply.js";
import { findPreset } from "../src/hardware/presets.js";
import { loadInstance } from "../src/instance/load.js";
import { parseInstance } from "../src/instance/parse.js";
import type { Instance } from "../src/instance/types.js";
import { storeAllEvaluation } from "../src/schedule/builders.js";
import { parseSchedule } from "../src/schedule/text.js";
import { benchEnvironment, loadAverageNow, median, writeBenchResults } from "./environment.js";

const QUICK = process.argv.includes("--quick");
const NETWORKS = QUICK
  ? ["resnet-50-b32-224"]
  : [
      "resnet-50-b32-224",
      "densenet-121-b32-224",
      "mobilenet-v2-b32-224",
      "gpt2-small-b8-t1024",
      "unet-b4-512",
    ];
const BUDGETS = [20, 30, 40, 50, 60, 70];
/** The finer grid on which the least memory under 20% overhead is read. */
const FINE_BUDGETS = Array.from({ length: 19 }, (_, k) => 10 + 5 * k);
const LINKS = ["pcie4", "usb2-flash"];
const OVERHEAD_CAP = 0.2;
const SLOTS = 500;
const LIMIT_SEC = 60;
const SPEED_L = QUICK ? [10, 25, 50] : [10, 25, 50, 100];
const SPEED_S = QUICK ? [50, 200] : [50, 100, 200, 500];
const REPEATS = 3;

/** The offload family's heuristics (the `offload` class; the tiny-only oracle and the MILP left out). */
function offloadHeuristics(): string[] {
  return solvers
    .filter((s) => s.emits.time === "offload" && s.name !== "offload-exhaustive" && s.name !== "offload-milp")
    .map((s) => s.name);
}

/** Solves, re-checks the answer from its text schedule, returns the evaluated makespan and peak (null: none). */
async function verified(instance: Instance, solver: string, budget: number) {
  const started = performance.now();
  const slots = findSolver(solver).reads.includes("slots") ? { slots: SLOTS } : {};
  const result = await solve(instance, { solver, budget, ...slots, timeLimitSec: LIMIT_SEC });
  const solveMs = performance.now() - started;
  if (result.makespanMs === null)
    return { status: result.status, makespanMs: null, peakBytes: null, solveMs };
  const evaluation = evaluate(instance, parseSchedule(result.schedule));
  if (!evaluation.valid)
    throw new Error(`${instance.name} ${solver}: invalid schedule (${evaluation.error.reason})`);
  if (evaluation.makespanMs !== result.makespanMs || evaluation.peakBytes !== result.peakBytes)
    throw new Error(`${instance.name} ${solver}: reported cost differs from the evaluator`);
  return {
    status: result.status,
    makespanMs: evaluation.makespanMs,
    peakBytes: evaluation.peakBytes,
    solveMs,
  };
}

interface Cell {
  readonly network: string;
  readonly link: string;
  readonly budgetPercent: number;
  /** chain-dp, offload (the best heuristic), pofo. */
  readonly method: string;
  /** The heuristic that gave the best offload-only schedule. */
  readonly solver: string;
  readonly overhead: number | null;
  readonly activationFraction: number | null;
  /** (budget - fixedBytes) / (store-all's peak - fixedBytes). */
  readonly activationBudgetFraction: number;
  readonly solveMs: number;
}

/** One method's cell at one budget: its overhead and activation memory against store-all's. */
async function methodCell(instance: Instance, names: readonly string[], budget: number) {
  const storeAll = storeAllEvaluation(instance);
  let best: { solver: string; overhead: number | null; activationFraction: number | null; solveMs: number } =
    {
      solver: names[0] as string,
      overhead: null,
      activationFraction: null,
      solveMs: 0,
    };
  let solveMs = 0;
  for (const name of names) {
    const answer = await verified(instance, name, budget);
    solveMs += answer.solveMs;
    if (answer.makespanMs === null || answer.peakBytes === null) continue;
    const overhead = answer.makespanMs / storeAll.makespanMs - 1;
    const activationFraction =
      (answer.peakBytes - instance.fixedBytes) / (storeAll.peakBytes - instance.fixedBytes);
    if (best.overhead === null || overhead < best.overhead)
      best = { solver: name, overhead, activationFraction, solveMs };
  }
  return { ...best, solveMs };
}

const METHODS = (): Readonly<Record<string, readonly string[]>> => ({
  "chain-dp": ["chain-dp"],
  offload: offloadHeuristics(),
  pofo: ["pofo"],
});

/** Every (network, link, budget, method) cell of `budgets`. */
async function grid(budgets: readonly number[]): Promise<Cell[]> {
  const cells: Cell[] = [];
  for (const network of NETWORKS) {
    const plain = await loadInstance(`instances/zoo/${network}-block.json`);
    for (const link of LINKS) {
      const preset = findPreset(link);
      if (preset === undefined) throw new Error(`no preset ${link}`);
      const instance = withHardware(plain, { bandwidth: preset.bandwidth, latency: preset.latency });
      const peak = storeAllEvaluation(instance).peakBytes;
      for (const budgetPercent of budgets)
        for (const [method, names] of Object.entries(METHODS())) {
          const budget = Math.floor((peak * budgetPercent) / 100);
          const cell = await methodCell(instance, names, budget);
          const activationBudgetFraction = (budget - instance.fixedBytes) / (peak - instance.fixedBytes);
          cells.push({ network, link, budgetPercent, method, activationBudgetFraction, ...cell });
        }
      console.log(`${network} ${link}: done (${budgets.length} budgets)`);
    }
  }
  return cells;
}

/**
 * Per network, link and method: the least activation budget (budget - fixedBytes, as a fraction of
 * store-all's activation peak) among the budgets of the grid at which it answers under the overhead cap.
 */
function leastMemory(cells: readonly Cell[]) {
  const out: { network: string; link: string; method: string; activationFraction: number | null }[] = [];
  for (const network of NETWORKS)
    for (const link of LINKS)
      for (const method of Object.keys(METHODS())) {
        const fractions = cells
          .filter((c) => c.network === network && c.link === link && c.method === method)
          .filter((c) => c.overhead !== null && c.overhead <= OVERHEAD_CAP)
          .map((c) => c.activationBudgetFraction);
        out.push({
          network,
          link,
          method,
          activationFraction: fractions.length === 0 ? null : Math.min(...fractions),
        });
      }
  return out;
}

/** pofo's and chain-dp's solve times on random chains (sizes scaled so that slots bound the table), at 40%. */
async function speed() {
  const rows: { L: number; S: number; solver: string; medianMs: number; status: string }[] = [];
  for (const L of SPEED_L) {
    const instance = scaleBytes(randomChain(7, L), 1000);
    const budget = Math.floor(storeAllEvaluation(instance).peakBytes * 0.4);
    for (const S of SPEED_S)
      for (const solver of ["pofo", "chain-dp"]) {
        const times: number[] = [];
        let status = "";
        for (let r = 0; r < REPEATS; r++) {
          const started = performance.now();
          const result = await solve(instance, { solver, budget, slots: S, timeLimitSec: LIMIT_SEC });
          times.push(performance.now() - started);
          status = result.status;
        }
        rows.push({ L, S, solver, medianMs: median(times), status });
        console.log(`speed L=${L} S=${S} ${solver}: ${median(times).toFixed(1)} ms (${status})`);
      }
  }
  return rows;
}

/**
 * A generated chain with every size multiplied by `factor` (so that the slots, not the bytes, bound the
 * table) and a link that moves one activation in about a stage's compute time.
 */
function scaleBytes(instance: Instance, factor: number): Instance {
  const nodes = instance.nodes.map((node) => ({
    ...node,
    bytes: node.bytes * factor,
    gradBytes: node.gradBytes * factor,
    tapeBytes: node.tapeBytes * factor,
    fwdTemp: node.fwdTemp * factor,
    bwdTemp: node.bwdTemp * factor,
  }));
  const { hardware: _none, memory: _parts, ...rest } = instance;
  return parseInstance({
    ...rest,
    nodes,
    fixedBytes: instance.fixedBytes * factor,
    hardware: { bandwidth: 10 * factor, latency: 0.1 },
  });
}

/** The log-log slope of time against `key` between the smallest and the largest value measured. */
function slope(rows: readonly { medianMs: number }[], values: readonly number[]): number | null {
  if (rows.length < 2) return null;
  const first = rows[0] as { medianMs: number };
  const last = rows[rows.length - 1] as { medianMs: number };
  return (
    Math.log(last.medianMs / first.medianMs) /
    Math.log((values[values.length - 1] as number) / (values[0] as number))
  );
}

function markdown(
  cells: readonly Cell[],
  least: ReturnType<typeof leastMemory>,
  rows: Awaited<ReturnType<typeof speed>>,
): string {
  const pct = (v: number | null) => (v === null ? "-" : `${(100 * v).toFixed(1)}%`);
  const lines = [
    "# pofo benchmark",
    "",
    "| network | link | budget | chain-dp | offload (best) | pofo |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
  ];
  for (const network of NETWORKS)
    for (const link of LINKS)
      for (const b of BUDGETS) {
        const get = (m: string) =>
          cells.find(
            (c) => c.network === network && c.link === link && c.budgetPercent === b && c.method === m,
          );
        lines.push(
          `| ${network} | ${link} | ${b}% | ${pct(get("chain-dp")?.overhead ?? null)} | ${pct(get("offload")?.overhead ?? null)} (${get("offload")?.solver}) | ${pct(get("pofo")?.overhead ?? null)} |`,
        );
      }
  lines.push(
    "",
    "Least activation budget (budget - fixedBytes) under 20% overhead, as a fraction of store-all's activation peak:",
    "",
    "| network | link | chain-dp | offload | pofo |",
    "| --- | --- | ---: | ---: | ---: |",
  );
  for (const network of NETWORKS)
    for (const link of LINKS) {
      const get = (m: string) =>
        least.find((r) => r.network === network && r.link === link && r.method === m)?.activationFraction ??
        null;
      lines.push(
        `| ${network} | ${link} | ${pct(get("chain-dp"))} | ${pct(get("offload"))} | ${pct(get("pofo"))} |`,
      );
    }
  lines.push("", "| L | S | pofo ms | chain-dp ms |", "| ---: | ---: | ---: | ---: |");
  for (const L of SPEED_L)
    for (const S of SPEED_S) {
      const get = (solver: string) => rows.find((r) => r.L === L && r.S === S && r.solver === solver);
      lines.push(
        `| ${L} | ${S} | ${get("pofo")?.medianMs.toFixed(1)} | ${get("chain-dp")?.medianMs.toFixed(1)} |`,
      );
    }
  return `${lines.join("\n")}\n`;
}

async function main(): Promise<void> {
  const environment = benchEnvironment();
  const fine = await grid([...new Set([...BUDGETS, ...FINE_BUDGETS])].sort((a, b) => a - b));
  const cells = fine.filter((c) => BUDGETS.includes(c.budgetPercent));
  const least = leastMemory(fine);
  const rows = await speed();
  const pofoRows = (key: "L" | "S", fixed: number) =>
    rows.filter((r) => r.solver === "pofo" && (key === "L" ? r.S === fixed : r.L === fixed));
  const scaling = {
    inL: { atS: 200, slope: slope(pofoRows("L", 200), SPEED_L) },
    inS: { atL: 50, slope: slope(pofoRows("S", 50), SPEED_S) },
  };
  writeBenchResults(
    "pofo",
    {
      environment,
      loadAverageEnd: loadAverageNow(),
      slots: SLOTS,
      overheadCap: OVERHEAD_CAP,
      cells,
      fine,
      least,
      speed: rows,
      scaling,
    },
    markdown(cells, least, rows),
  );
}

await main();
