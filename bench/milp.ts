/**
 * Benchmark of the MILP family (solvers/milp/, proofs/milp.md): (1) per LP backend, the ladder of the
 * zoo's op-level graphs by size that `milp` proves optimal within 60 s at 80% of the store-all peak
 * (stopping at a backend's first unproven rung); (2) the LP bound's time (lp-round's relaxation through
 * `solveWithBound`) on random layered DAGs of about 100 and 170 nodes; (3) the certified gap of
 * graph-mincut's and chain-dp's answers on the zoo's small instances at 30% to 70%: their makespan over
 * the stage-grid LP bound (checked below their makespan by `solveWithBound`). Every answer is
 * re-evaluated from its text schedule. Checkmate's published solve times (Jain et al. 2020, artifact
 * README, with Gurobi on 24 threads) are recorded next to ours. Writes bench/results/milp.json and .md.
 *
 * Run: npx tsx bench/milp.ts (about 10 to 20 minutes on a loaded 2-core machine)
 */
import { solve, solveWithBound } from "../solvers/index.js";
import { evaluate } from "../src/evaluate/evaluate.js";
import { randomLayeredDag } from "../src/generate/families.js";
import { loadInstance } from "../src/instance/load.js";
import type { Instance } from "../src/instance/types.js";
import { parseSchedule } from "../src/schedule/text.js";
import type { SolveResult } from "../src/solve-result.js";
import { benchEnvironment, loadAverageNow, writeBenchResults } from "./environment.js";

/** The zoo's op-level graphs up to 71 nodes, smallest first (the ladder). */
const LADDER = [
  "mlp-b32-784-op",
  "gpt2-small-b2-t64-layers2-heads2-dim64-vocab256-op",
  "vgg-16-b32-224-op",
  "unet-b4-512-op",
  "resnet-18-b4-32-classes10-op",
];
const LADDER_BUDGET = "80%";
const LADDER_LIMIT_SEC = 60;
/** Layered DAG shapes (layers x width) for the LP bound's time, about 100 and 170 nodes. */
const LP_SHAPES: readonly [number, number][] = [
  [25, 6],
  [50, 6],
];
const LP_LIMIT_SEC = 300;
/** Zoo instances for the certified gaps (block level and the smaller op graphs). */
const GAP_INSTANCES = [
  "resnet-18-b32-224-block",
  "resnet-50-b32-224-block",
  "unet-b4-512-block",
  "inception-v3-b32-299-block",
  "mobilenet-v2-b32-224-block",
  "vgg-16-b32-224-block",
  "gpt2-small-b8-t1024-block",
  "vgg-16-b32-224-op",
  "unet-b4-512-op",
];
const GAP_BUDGETS = ["30%", "50%", "70%"];
const GAP_LIMIT_SEC = 60;

/** Checkmate's published solve times (artifact README, Gurobi, 2x Xeon E5-2670), in words. */
const CHECKMATE = [
  "VGG19 max batch certified optimal after about 10 min",
  "U-Net reaches batch 57 after about 30 min, unproven",
  "ResNet-50 and MobileNet: very computationally intensive (an earlier ILP ran about 2 days)",
];

async function zoo(name: string): Promise<Instance> {
  return loadInstance(new URL(`../instances/zoo/${name}.json`, import.meta.url).pathname);
}

/** Throws unless the result's schedule evaluates to exactly what it reports. */
function check(instance: Instance, result: SolveResult): void {
  if (result.makespanMs === null) return;
  const e = evaluate(instance, parseSchedule(result.schedule));
  if (!e.valid || e.makespanMs !== result.makespanMs || e.peakBytes !== result.peakBytes)
    throw new Error(`${instance.name} ${result.solver}: the schedule does not evaluate to what it reports`);
}

/** The ladder for one backend: each rung's status, time, gap; stops after the first unproven one. */
async function ladder(lp: string) {
  const rows = [];
  for (const name of LADDER) {
    const instance = await zoo(name);
    const started = performance.now();
    const result = await solve(instance, {
      solver: "milp",
      budget: LADDER_BUDGET,
      timeLimitSec: LADDER_LIMIT_SEC,
      extra: { lp },
    });
    const ms = performance.now() - started;
    check(instance, result);
    rows.push({
      lp,
      instance: name,
      nodes: instance.nodes.length,
      status: result.status,
      ms,
      makespanMs: result.makespanMs,
      lowerBoundMs: result.lowerBoundMs,
      binaries: result.stats.binaries ?? null,
    });
    console.log(lp, name, result.status, `${(ms / 1000).toFixed(1)} s`);
    if (result.status !== "optimal" && result.status !== "infeasible") break;
  }
  return rows;
}

/** The LP bound's time on layered DAGs, at 70% of the store-all peak (graph-mincut answering). */
async function lpTimes() {
  const rows = [];
  for (const [layers, width] of LP_SHAPES) {
    const instance = randomLayeredDag(7, layers, width);
    const started = performance.now();
    const result = await solveWithBound(instance, {
      solver: "chen-greedy",
      budget: "70%",
      boundTimeLimitSec: LP_LIMIT_SEC,
    });
    const ms = performance.now() - started;
    check(instance, result);
    const report = result.gridBound;
    rows.push({
      instance: instance.name,
      nodes: instance.nodes.length,
      status: report?.status ?? null,
      ms,
      boundMs: report?.valueMs ?? null,
      gap: report?.gap ?? null,
    });
    console.log("lp", instance.name, instance.nodes.length, report?.status, `${(ms / 1000).toFixed(1)} s`);
  }
  return rows;
}

/** graph-mincut's (and chain-dp's, on chains) certified gaps on the zoo instances. */
async function gaps() {
  const rows = [];
  for (const name of GAP_INSTANCES) {
    const instance = await zoo(name);
    for (const budget of GAP_BUDGETS)
      for (const solver of ["graph-mincut", "chain-dp"]) {
        const result = await solveWithBound(instance, { solver, budget, timeLimitSec: GAP_LIMIT_SEC }).catch(
          (error: unknown) => ({ refused: String((error as Error).message).slice(0, 80) }),
        );
        if ("refused" in result) continue;
        check(instance, result);
        const report = result.gridBound;
        rows.push({
          instance: name,
          nodes: instance.nodes.length,
          budget,
          solver,
          status: result.status,
          makespanMs: result.makespanMs,
          boundStatus: report?.status ?? null,
          boundMs: report?.valueMs ?? null,
          gap: report?.gap ?? null,
        });
        console.log("gap", name, budget, solver, result.status, report?.status, report?.gap);
      }
  }
  return rows;
}

const environment = benchEnvironment();
const rungs = [...(await ladder("highs")), ...(await ladder("glpk"))];
const lp = await lpTimes();
const certified = await gaps();
const json = {
  environment,
  loadAverageEnd: loadAverageNow(),
  ladderBudget: LADDER_BUDGET,
  ladderLimitSec: LADDER_LIMIT_SEC,
  ladder: rungs,
  lp,
  gaps: certified,
  checkmate: CHECKMATE,
};
const markdown = [
  "# milp benchmark",
  "",
  `Machine: ${environment.cpu} (${environment.cores} cores), Node ${environment.node}, commit ${environment.commit}, load ${environment.loadAverage} to ${json.loadAverageEnd}.`,
  "",
  "| backend | instance | nodes | status | s |",
  "| --- | --- | ---: | --- | ---: |",
  ...rungs.map((r) => `| ${r.lp} | ${r.instance} | ${r.nodes} | ${r.status} | ${(r.ms / 1000).toFixed(1)} |`),
  "",
  "| LP bound: instance | nodes | status | s |",
  "| --- | ---: | --- | ---: |",
  ...lp.map((r) => `| ${r.instance} | ${r.nodes} | ${r.status} | ${(r.ms / 1000).toFixed(1)} |`),
  "",
  "| instance | budget | solver | status | gap to the LP bound |",
  "| --- | --- | --- | --- | ---: |",
  ...certified.map(
    (r) =>
      `| ${r.instance} | ${r.budget} | ${r.solver} | ${r.status} | ${r.gap === null ? "-" : `${(r.gap * 100).toFixed(2)}%`} |`,
  ),
  "",
].join("\n");
writeBenchResults("milp", json, markdown);
