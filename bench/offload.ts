/**
 * Benchmark of the offload solvers (the `offload` class: store-all's operation order, activations
 * offloaded to host and prefetched, no recomputation) on the zoo's real networks, block chains and
 * op-level DAGs, at 30% to 70% of the store-all peak, over a PCIe 4.0 link and an edge link: each
 * method's overhead (makespan / store-all - 1), its gap to the best offload bound any method proved,
 * and its solve time, side by side with recomputation (graph-mincut; chain-dp on chains) at the same
 * budgets. Then the heuristics' speed on a ~500-node layered DAG (536 nodes), and, per LP backend, the longest
 * random chain offload-milp proves optimal within 60 s (at 80% and 60%, over a link slower than the chain's compute). Every answer is re-evaluated from its text
 * schedule first. Writes bench/results/offload.json and .md.
 *
 * Run: npx tsx bench/offload.ts (about 15 minutes; `--quick` runs one network)
 */
import { findSolver, solve, solvers } from "../solvers/index.js";
import { evaluate } from "../src/evaluate/evaluate.js";
import { randomChain, randomLayeredDag } from "../src/generate/families.js";
import { withHardware } from "../src/hardware/apply.js";
import { findPreset } from "../src/hardware/presets.js";
import { loadInstance } from "../src/instance/load.js";
import type { Instance } from "../src/instance/types.js";
import { parseSchedule } from "../src/schedule/text.js";
import type { SolveResult } from "../src/solve-result.js";
import { benchEnvironment, loadAverageNow, median, writeBenchResults } from "./environment.js";

const NETWORKS = [
  "resnet-50-b32-224",
  "densenet-121-b32-224",
  "mobilenet-v2-b32-224",
  "inception-v3-b32-299",
  "unet-b4-512",
  "gpt2-small-b8-t1024",
];
const LEVELS = ["block", "op"] as const;
const BUDGETS = [30, 40, 50, 60, 70];
const LINKS = ["pcie4", "usb2-flash"];
/** Per-solve limit for the heuristics and recomputation; the MILP gets MILP_LIMIT_SEC, over PCIe 4.0 only. */
const LIMIT_SEC = 60;
const MILP_LIMIT_SEC = 10;
const QUICK = process.argv.includes("--quick");

/** The registered solvers that plan offloads (they emit the `offload` class for time), but the tiny-only oracle. */
function offloadSolvers(): string[] {
  return solvers
    .filter((solver) => solver.emits.time === "offload" && solver.name !== "offload-exhaustive")
    .map((solver) => solver.name);
}

/** Solves and re-checks the answer with the evaluator from its text form; throws on any mismatch. */
async function verified(instance: Instance, options: Parameters<typeof solve>[1]) {
  const started = performance.now();
  const result = await solve(instance, options);
  const ms = performance.now() - started;
  if (result.makespanMs !== null) {
    const evaluation = evaluate(instance, parseSchedule(result.schedule));
    if (!evaluation.valid) throw new Error(`${instance.name}: invalid schedule (${evaluation.error.reason})`);
    if (evaluation.makespanMs !== result.makespanMs || evaluation.peakBytes !== result.peakBytes)
      throw new Error(`${instance.name} ${result.solver}: reported cost differs from the evaluator`);
  }
  return { result, ms };
}

interface Cell {
  readonly network: string;
  readonly level: string;
  readonly link: string;
  readonly budgetPercent: number;
  readonly solver: string;
  readonly status: string;
  readonly overhead: number | null;
  readonly lowerBoundMs: number | null;
  readonly makespanMs: number | null;
  readonly solveMs: number;
}

function cellOf(
  where: Omit<Cell, "solver" | "status" | "overhead" | "lowerBoundMs" | "makespanMs" | "solveMs">,
  result: SolveResult,
  ms: number,
): Cell {
  return {
    ...where,
    solver: result.solver,
    status: result.status,
    overhead: result.overhead,
    lowerBoundMs: result.lowerBoundMs,
    makespanMs: result.makespanMs,
    solveMs: ms,
  };
}

/** Every method at every budget on one network, level and link. */
async function networkCells(network: string, level: string, link: string): Promise<Cell[]> {
  const preset = findPreset(link);
  if (preset === undefined) throw new Error(`no preset ${link}`);
  const instance = withHardware(await loadInstance(`instances/zoo/${network}-${level}.json`), preset);
  const methods = [...offloadSolvers(), "graph-mincut", "chain-dp"].filter(
    (name) => findSolver(name).rejects?.(instance) === undefined,
  );
  const cells: Cell[] = [];
  for (const budgetPercent of BUDGETS) {
    for (const solver of methods) {
      if (solver === "offload-milp" && link !== "pcie4") continue;
      const timeLimitSec = solver === "offload-milp" ? MILP_LIMIT_SEC : LIMIT_SEC;
      const { result, ms } = await verified(instance, { solver, budget: `${budgetPercent}%`, timeLimitSec });
      cells.push(cellOf({ network, level, link, budgetPercent }, result, ms));
      console.error(
        `${network}-${level} ${link} ${budgetPercent}% ${solver}: ${result.status} ${result.overhead === null ? "-" : `${(result.overhead * 100).toFixed(1)}%`} (${ms.toFixed(0)} ms)`,
      );
    }
  }
  return cells;
}

/** The heuristics' solve time on a 536-node layered DAG over PCIe 4.0 at 50% (median of 3 after a checked solve). */
async function heuristicSpeed() {
  const preset = findPreset("pcie4");
  if (preset === undefined) throw new Error("no preset pcie4");
  const instance = withHardware(randomLayeredDag(5, 125, 7), preset);
  const rows = [];
  for (const solver of offloadSolvers().filter((name) => name !== "offload-milp")) {
    const { result } = await verified(instance, { solver, budget: "50%" });
    const samples: number[] = [];
    for (let run = 0; run < 3; run++) samples.push((await verified(instance, { solver, budget: "50%" })).ms);
    rows.push({
      solver,
      nodes: instance.nodes.length,
      status: result.status,
      medianMs: median(samples),
      loadAverage: loadAverageNow(),
    });
  }
  return rows;
}

/**
 * A link slow enough that transfers cost more than the random chains' compute (1 byte/ms, 0.1 ms per
 * transfer: a random chain's activations are tens to hundreds of bytes and its ops 1-10 ms), so that
 * stalls cannot be avoided and the MILP must prove its answers (at 5 bytes/ms the heuristics' incumbents
 * met the sum of times on every length up to 100, at 50% and at 70%).
 */
const SCALING_LINK = { bandwidth: 1, latency: 0.1 };
const SCALING_BUDGETS = ["80%", "60%"];

/** Per budget and backend, random chains of growing length over SCALING_LINK: status and time under 60 s. */
async function milpScaling() {
  const rows = [];
  for (const budget of SCALING_BUDGETS)
    for (const lp of ["highs", "glpk"]) rows.push(...(await milpReach(budget, lp)));
  return rows;
}

/** One backend's reach at one budget: lengths until the first that is not proven (timeout or feasible). */
async function milpReach(budget: string, lp: string) {
  const rows = [];
  for (const length of [10, 15, 20, 30, 40, 50]) {
    const instance = withHardware(randomChain(1, length), SCALING_LINK);
    const { result, ms } = await verified(instance, {
      solver: "offload-milp",
      budget,
      timeLimitSec: 60,
      extra: { lp },
    });
    rows.push({
      budget,
      certificate: result.certificate?.kind ?? null,
      lp,
      length,
      status: result.status,
      ms,
      overhead: result.overhead,
      makespanMs: result.makespanMs,
      lowerBoundMs: result.lowerBoundMs,
      gap: result.stats.gap ?? null,
      loadAverage: loadAverageNow(),
    });
    console.error(
      `offload-milp ${lp} chain of ${length} at ${budget}: ${result.status} in ${(ms / 1000).toFixed(1)} s`,
    );
    if (result.status === "timeout" || result.status === "feasible") break;
  }
  return rows;
}

async function main(): Promise<void> {
  const environment = benchEnvironment();
  const cells: Cell[] = [];
  for (const network of QUICK ? NETWORKS.slice(0, 1) : NETWORKS)
    for (const level of LEVELS)
      for (const link of LINKS) cells.push(...(await networkCells(network, level, link)));
  const speed = await heuristicSpeed();
  const scaling = await milpScaling();
  writeBenchResults(
    "offload",
    { environment, loadAtEnd: loadAverageNow(), cells, speed, scaling },
    markdown(cells, speed, scaling, environment),
  );
}

const pct = (x: number | null) => (x === null ? "-" : `${(x * 100).toFixed(1)}%`);

/** The best (largest) offload-class bound any method proved for one network, level, link and budget. */
function bestBound(cells: readonly Cell[], cell: Cell): number | null {
  const bounds = cells
    .filter(
      (other) =>
        other.network === cell.network &&
        other.level === cell.level &&
        other.link === cell.link &&
        other.budgetPercent === cell.budgetPercent &&
        other.solver.startsWith("offload-") &&
        other.lowerBoundMs !== null,
    )
    .map((other) => other.lowerBoundMs as number);
  return bounds.length === 0 ? null : Math.max(...bounds);
}

type SpeedRow = Awaited<ReturnType<typeof heuristicSpeed>>[number];
type ScalingRow = Awaited<ReturnType<typeof milpScaling>>[number];

function speedAndScaling(speed: readonly SpeedRow[], scaling: readonly ScalingRow[]): string[] {
  return [
    "## Heuristics on a 536-node layered DAG (pcie4, 50%), median of 3",
    "",
    "| solver | status | median ms | load |",
    "| --- | --- | ---: | ---: |",
    ...speed.map((r) => `| ${r.solver} | ${r.status} | ${r.medianMs.toFixed(1)} | ${r.loadAverage} |`),
    "",
    `## offload-milp on random chains, link ${SCALING_LINK.bandwidth} bytes/ms and ${SCALING_LINK.latency} ms, 60 s limit`,
    "",
    "| budget | backend | stages | status (certificate) | s | overhead | gap to its bound | load |",
    "| ---: | --- | ---: | --- | ---: | ---: | ---: | ---: |",
    ...scaling.map(
      (r) =>
        `| ${r.budget} | ${r.lp} | ${r.length} | ${r.status}${r.certificate === null ? "" : ` (${r.certificate})`} | ${(r.ms / 1000).toFixed(1)} | ${pct(r.overhead)} | ${r.makespanMs === null || r.lowerBoundMs === null ? "-" : pct(r.makespanMs / r.lowerBoundMs - 1)} | ${r.loadAverage} |`,
    ),
    "",
  ];
}

function markdown(
  cells: readonly Cell[],
  speed: readonly SpeedRow[],
  scaling: readonly ScalingRow[],
  environment: ReturnType<typeof benchEnvironment>,
): string {
  const rows = cells.map((cell) => {
    const bound = bestBound(cells, cell);
    const gap = bound === null || cell.makespanMs === null ? null : cell.makespanMs / bound - 1;
    return `| ${cell.network}-${cell.level} | ${cell.link} | ${cell.budgetPercent}% | ${cell.solver} | ${cell.status} | ${pct(cell.overhead)} | ${pct(gap)} | ${cell.solveMs.toFixed(0)} |`;
  });
  return [
    "# Offloading on the zoo's networks",
    "",
    `${environment.cpu} (${environment.cores} cores), Node ${environment.node}, commit ${environment.commit}${environment.dirty ? " (uncommitted changes)" : ""}, ${environment.date}, load average ${environment.loadAverage}.`,
    "Overhead = makespan / store-all - 1; gap = makespan / the best offload-class bound any method proved at that budget - 1 (offload methods' bounds hold over the offload class only, so the gap of a recomputation method may be negative).",
    "",
    "| instance | link | budget | solver | status | overhead | gap to best offload bound | solve ms |",
    "| --- | --- | ---: | --- | --- | ---: | ---: | ---: |",
    ...rows,
    "",
    ...speedAndScaling(speed, scaling),
  ].join("\n");
}

await main();
