/**
 * How far the MILP family reaches (issue 13, item 7): (1) per LP backend (highs, glpk, jslp), the
 * ladder of the zoo's op-level graphs that `milp` proves optimal within 60 s at 80% of the store-all
 * peak (stopping at a backend's first unproven rung); (2) milp-blocks (the block relaxation,
 * proofs/milp-blocks.md) on the ResNet-50 and DenseNet-121 op graphs at 50% within 60 s: its answer,
 * bound and gap; (3) the time of each formulation's LP bound (the grid LP of lp-round, the block
 * relaxation's LP) on random series-parallel DAGs of about 100 to 1,000 nodes at 50%; (4) the certified
 * gap of graph-mincut's and chain-dp's answers on every zoo instance at 30%, 50% and 70%, over the best
 * bound per instance and budget (bestBoundAtBudget: block relaxation, and the grid LP where its model
 * has at most GAP_GRID_BINARIES binaries). Every answer is re-evaluated from its text schedule; the load
 * average is recorded per row. Writes bench/results/milp-scale.json and .md.
 *
 * Run: nice -n 10 npx tsx bench/milp-scale.ts (about 25 minutes on a loaded 2-core machine)
 */
import { readdirSync } from "node:fs";
import { solve } from "../solvers/index.js";
import { BLOCKS_MAX_CELLS, blocksBound } from "../solvers/milp/blocks-bound.js";
import { bestBoundAtBudget } from "../solvers/milp/bound.js";
import { stageGrid } from "../solvers/milp/grid.js";
import { solveRelaxation } from "../solvers/milp/lp-round.js";
import { inStageGrid } from "../solvers/milp/membership.js";
import { gridBinaries } from "../solvers/milp/model.js";
import { evaluate } from "../src/evaluate/evaluate.js";
import { randomSeriesParallel } from "../src/generate/families.js";
import { loadInstance } from "../src/instance/load.js";
import type { Instance } from "../src/instance/types.js";
import { resolveBudget } from "../src/schedule/builders.js";
import { parseSchedule } from "../src/schedule/text.js";
import type { SolveResult } from "../src/solve-result.js";
import { Deadline, TimeLimitReached } from "../src/time-limit.js";
import { benchEnvironment, loadAverageNow, writeBenchResults } from "./environment.js";

/** The zoo's op-level graphs by size (the ladder). */
const LADDER = [
  "mlp-b32-784-op",
  "gpt2-small-b2-t64-layers2-heads2-dim64-vocab256-op",
  "vgg-16-b32-224-op",
  "unet-b4-512-op",
  "resnet-18-b4-32-classes10-op",
];
const LADDER_BUDGET = "80%";
const LIMIT_SEC = 60;
/** The real networks for milp-blocks at 50%. */
const LARGE = ["resnet-50-b32-224-op", "densenet-121-b32-224-op"];
/** Series-parallel sizes for the LP bound's time, and the largest the grid LP is tried on. */
const LP_SIZES = [100, 250, 500, 1000];
const GRID_LP_MAX_SIZE = 250;
const LP_LIMIT_SEC = 120;
/** Budgets of the certified gaps, the time limit of each solve and bound there, and the grid LP's cap. */
const GAP_BUDGETS = ["30%", "50%", "70%"];
const GAP_LIMIT_SEC = 30;
const GAP_GRID_BINARIES = 12_000;

/** Checkmate's published solve times (artifact README, Gurobi on 2x Xeon E5-2670, 24 threads), quoted. */
const CHECKMATE = [
  "VGG19 max batch 289 certified optimal after about 10 min",
  "U-Net reaches batch 57 after about 30 min, unproven",
  "FCN8 >= 60, SegNet >= 62 (unproven)",
  "ResNet-50 >= 193 and MobileNet >= 1105: very computationally intensive (an earlier ILP ran about 2 days)",
  "abstract: optimal schedules in under an hour",
];
const CHECKMATE_SOURCE =
  "Jain et al., Checkmate, MLSys 2020, and the artifact README of github.com/parasj/checkmate";

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

const seconds = (startedMs: number) => Math.round(performance.now() - startedMs) / 1000;

/** (1) The ladder for one backend; stops after the first rung neither proven nor proved infeasible. */
async function ladder(lp: string) {
  const rows = [];
  for (const name of LADDER) {
    const instance = await zoo(name);
    const started = performance.now();
    const result = await solve(instance, {
      solver: "milp",
      budget: LADDER_BUDGET,
      timeLimitSec: LIMIT_SEC,
      extra: { lp },
    });
    check(instance, result);
    const row = {
      lp,
      instance: name,
      nodes: instance.nodes.length,
      status: result.status,
      sec: seconds(started),
      makespanMs: result.makespanMs,
      lowerBoundMs: result.lowerBoundMs,
      load: loadAverageNow(),
    };
    rows.push(row);
    console.log("ladder", JSON.stringify(row));
    if (result.status !== "optimal" && result.status !== "infeasible") break;
  }
  return rows;
}

/** (2) milp-blocks on the large op graphs at 50%. */
async function large() {
  const rows = [];
  for (const name of LARGE) {
    const instance = await zoo(name);
    const started = performance.now();
    const result = await solve(instance, { solver: "milp-blocks", budget: "50%", timeLimitSec: LIMIT_SEC });
    check(instance, result);
    const bound = result.lowerBoundMs;
    const row = {
      instance: name,
      nodes: instance.nodes.length,
      status: result.status,
      sec: seconds(started),
      makespanMs: result.makespanMs,
      boundMs: bound,
      gap: result.makespanMs !== null && bound !== null && bound > 0 ? result.makespanMs / bound - 1 : null,
      counters: result.stats,
      load: loadAverageNow(),
    };
    rows.push(row);
    console.log("large", JSON.stringify(row));
  }
  return rows;
}

/** One formulation's LP bound and its time, or its status when none came. */
async function timed(run: () => Promise<{ status: string; valueMs?: number }>) {
  const started = performance.now();
  try {
    const { status, valueMs } = await run();
    return { status, valueMs: valueMs ?? null, sec: seconds(started) };
  } catch (error: unknown) {
    if (!(error instanceof TimeLimitReached)) throw error;
    return { status: "timeout", valueMs: null, sec: seconds(started) };
  }
}

/** (3) Each formulation's LP bound on series-parallel DAGs of about 100 to 1,000 nodes. */
async function lpTimes() {
  const rows = [];
  for (const size of LP_SIZES) {
    const instance = randomSeriesParallel(7, size);
    const grid = stageGrid(instance);
    const budget = resolveBudget(instance, "50%");
    const blocks = await timed(() =>
      blocksBound(
        instance,
        grid,
        budget,
        { groupNodes: 8, segments: 3, integral: false, lp: "highs", maxCells: BLOCKS_MAX_CELLS },
        new Deadline(LP_LIMIT_SEC),
      ),
    );
    const full =
      size > GRID_LP_MAX_SIZE
        ? { status: "not run", valueMs: null, sec: null }
        : await timed(async () => {
            const relaxed = await solveRelaxation(
              instance,
              grid,
              budget,
              "highs",
              new Deadline(LP_LIMIT_SEC),
            );
            return relaxed === undefined
              ? { status: "infeasible" }
              : { status: "bound", valueMs: relaxed.valueMs };
          });
    const row = {
      instance: instance.name,
      nodes: instance.nodes.length,
      gridBinaries: gridBinaries(grid),
      blocks,
      gridLp: full,
      load: loadAverageNow(),
    };
    rows.push(row);
    console.log("lp", JSON.stringify(row));
  }
  return rows;
}

/** One answer's row: its certified gap over `bound` when the bound covers its schedule. */
function gapRow(
  instance: Instance,
  budget: string,
  result: SolveResult,
  bound: Awaited<ReturnType<typeof bestBoundAtBudget>>,
  boundSec: number,
) {
  const covered =
    bound.over === "all" ||
    (result.makespanMs !== null && inStageGrid(stageGrid(instance), parseSchedule(result.schedule)));
  const gap =
    covered && result.makespanMs !== null && bound.valueMs !== undefined
      ? result.makespanMs / bound.valueMs - 1
      : null;
  if (gap !== null && gap < -1e-6)
    throw new Error(`${instance.name} ${budget} ${result.solver}: the bound exceeds the answer`);
  return {
    instance: instance.name,
    nodes: instance.nodes.length,
    budget,
    solver: result.solver,
    status: result.status,
    makespanMs: result.makespanMs,
    boundStatus: bound.status,
    boundMs: bound.valueMs ?? null,
    boundOver: bound.over ?? null,
    boundParts: bound.parts,
    boundSec,
    gap,
    load: loadAverageNow(),
  };
}

/** (4) graph-mincut's and chain-dp's certified gaps over the best bound, on every zoo instance. */
async function gaps() {
  const rows = [];
  const names = readdirSync(new URL("../instances/zoo/", import.meta.url))
    .filter((file) => file.endsWith(".json"))
    .map((file) => file.slice(0, -5))
    .sort();
  for (const name of names) {
    const instance = await zoo(name);
    for (const budget of GAP_BUDGETS) {
      const started = performance.now();
      const bytes = resolveBudget(instance, budget);
      const bound = await bestBoundAtBudget(instance, bytes, "highs", GAP_LIMIT_SEC, GAP_GRID_BINARIES);
      const boundSec = seconds(started);
      for (const solver of ["graph-mincut", "chain-dp"]) {
        // chain-dp refuses the DAGs (an InputError): no row
        const result = await solve(instance, { solver, budget, timeLimitSec: GAP_LIMIT_SEC }).catch(
          () => undefined,
        );
        if (result === undefined) continue;
        check(instance, result);
        const row = gapRow(instance, budget, result, bound, boundSec);
        rows.push(row);
        console.log("gap", name, budget, solver, row.status, row.boundOver, row.gap);
      }
    }
  }
  return rows;
}

const environment = benchEnvironment();
const measured: {
  ladder: Awaited<ReturnType<typeof ladder>>;
  large: Awaited<ReturnType<typeof large>>;
  lp: Awaited<ReturnType<typeof lpTimes>>;
  gaps: Awaited<ReturnType<typeof gaps>>;
} = { ladder: [], large: [], lp: [], gaps: [] };
const pct = (value: number | null) => (value === null ? "-" : `${(value * 100).toFixed(2)}%`);

/** Writes what is measured so far (each section as it ends, so a stopped run keeps its parts). */
function write(complete: boolean): void {
  const { ladder: rungs, large: largeRows, lp, gaps: certified } = measured;
  const json = {
    environment,
    loadAverageEnd: loadAverageNow(),
    complete,
    limits: {
      ladderBudget: LADDER_BUDGET,
      limitSec: LIMIT_SEC,
      lpLimitSec: LP_LIMIT_SEC,
      gapLimitSec: GAP_LIMIT_SEC,
      gapGridBinaries: GAP_GRID_BINARIES,
    },
    ...measured,
    checkmate: CHECKMATE,
    checkmateSource: CHECKMATE_SOURCE,
  };
  const markdown = [
    "# MILP family: how far it reaches",
    "",
    `Machine: ${environment.cpu} (${environment.cores} cores), Node ${environment.node}, commit ${environment.commit}, load ${environment.loadAverage} to ${json.loadAverageEnd}${complete ? "" : " (partial run)"}.`,
    "",
    "| backend | instance | nodes | status | s |",
    "| --- | --- | ---: | --- | ---: |",
    ...rungs.map((r) => `| ${r.lp} | ${r.instance} | ${r.nodes} | ${r.status} | ${r.sec} |`),
    "",
    "| milp-blocks at 50% | nodes | status | makespan ms | bound ms | gap | s |",
    "| --- | ---: | --- | ---: | ---: | ---: | ---: |",
    ...largeRows.map(
      (r) =>
        `| ${r.instance} | ${r.nodes} | ${r.status} | ${r.makespanMs?.toFixed(2)} | ${r.boundMs?.toFixed(2)} | ${pct(r.gap)} | ${r.sec} |`,
    ),
    "",
    "| LP bound at 50% | nodes | blocks LP s | grid LP s |",
    "| --- | ---: | ---: | ---: |",
    ...lp.map(
      (r) =>
        `| ${r.instance} | ${r.nodes} | ${r.blocks.sec} (${r.blocks.status}) | ${r.gridLp.sec ?? "-"} (${r.gridLp.status}) |`,
    ),
    "",
    "| instance | budget | solver | status | bound over | certified gap |",
    "| --- | --- | --- | --- | --- | ---: |",
    ...certified.map(
      (r) =>
        `| ${r.instance} | ${r.budget} | ${r.solver} | ${r.status} | ${r.boundOver ?? r.boundStatus} | ${pct(r.gap)} |`,
    ),
    "",
    `Checkmate (${CHECKMATE_SOURCE}): ${CHECKMATE.join("; ")}.`,
    "",
  ].join("\n");
  writeBenchResults("milp-scale", json, markdown);
}

measured.large = await large();
write(false);
measured.lp = await lpTimes();
write(false);
for (const lp of ["highs", "glpk", "jslp"]) measured.ladder.push(...(await ladder(lp)));
write(false);
measured.gaps = await gaps();
write(true);
