/**
 * Benchmark of milp-offload, the joint recompute + offload MILP (solvers/milp/joint.ts; proofs/milp.md,
 * "The joint model"), against milp (recomputation only) on the same instances and budgets: small zoo op
 * graphs and random layered DAGs, each with a host link preset, at 50% and 70% of the store-all peak,
 * 30 s per solve. Records each answer's status, makespan, bound and wall time; every schedule is
 * re-evaluated from its text. Writes bench/results/milp-offload.json and .md.
 *
 * Run: npx tsx bench/milp-offload.ts (a few minutes on a loaded 2-core machine)
 */
import { solve } from "../solvers/index.js";
import { evaluate } from "../src/evaluate/evaluate.js";
import { randomLayeredDag } from "../src/generate/families.js";
import { withHardware } from "../src/hardware/apply.js";
import { findPreset } from "../src/hardware/presets.js";
import { loadInstance } from "../src/instance/load.js";
import type { Instance } from "../src/instance/types.js";
import { parseSchedule } from "../src/schedule/text.js";
import type { SolveResult } from "../src/solve-result.js";
import { benchEnvironment, loadAverageNow, writeBenchResults } from "./environment.js";

const LINK = "pcie4";
const BUDGETS = ["50%", "70%"];
const LIMIT_SEC = 30;

/** The instances: two zoo op graphs and two random layered DAGs (seed, layers, width). */
async function instances(): Promise<Instance[]> {
  const preset = findPreset(LINK);
  if (preset === undefined) throw new Error(`no preset ${LINK}`);
  const zoo = ["mlp-b32-784-op", "gpt2-small-b2-t64-layers2-heads2-dim64-vocab256-op"];
  const out: Instance[] = [];
  for (const name of zoo) out.push(withHardware(await loadInstance(`instances/zoo/${name}.json`), preset));
  for (const [seed, layers, width] of [
    [1, 6, 3],
    [2, 10, 3],
  ] as const)
    out.push(withHardware(randomLayeredDag(seed, layers, width), preset));
  return out;
}

/** Throws unless the result's schedule evaluates to exactly what it reports. */
function check(instance: Instance, result: SolveResult): void {
  if (result.makespanMs === null) return;
  const e = evaluate(instance, parseSchedule(result.schedule));
  if (!e.valid || e.makespanMs !== result.makespanMs || e.peakBytes !== result.peakBytes)
    throw new Error(`${instance.name} ${result.solver}: the schedule does not evaluate to what it reports`);
}

async function run(instance: Instance, solver: string, budget: string) {
  const started = performance.now();
  const result = await solve(instance, { solver, budget, timeLimitSec: LIMIT_SEC });
  const wallMs = performance.now() - started;
  check(instance, result);
  const transfers = result.schedule.filter((line) => line.startsWith("P ")).length;
  return {
    solver,
    status: result.status,
    makespanMs: result.makespanMs,
    boundMs: result.lowerBoundMs,
    prefetches: transfers,
    wallSec: Math.round(wallMs / 100) / 10,
  };
}

async function main(): Promise<void> {
  const environment = benchEnvironment();
  const rows = [];
  for (const instance of await instances())
    for (const budget of BUDGETS) {
      const plain = await run(instance, "milp", budget);
      const joint = await run(instance, "milp-offload", budget);
      rows.push({ instance: instance.name, nodes: instance.nodes.length, budget, plain, joint });
      console.log(instance.name, budget, JSON.stringify(plain), JSON.stringify(joint));
    }
  const fmt = (x: number | null) => (x === null ? "-" : String(Number(x.toPrecision(5))));
  const lines = [
    `# milp-offload against milp (${LINK}, ${LIMIT_SEC} s per solve)`,
    "",
    `Load average ${environment.loadAverage} at the start, ${loadAverageNow()} at the end (2 shared cores).`,
    "",
    "| instance | nodes | budget | milp | makespan | s | milp-offload | makespan | bound | prefetches | s |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.instance} | ${r.nodes} | ${r.budget} | ${r.plain.status} | ${fmt(r.plain.makespanMs)} | ${r.plain.wallSec} | ${r.joint.status} | ${fmt(r.joint.makespanMs)} | ${fmt(r.joint.boundMs)} | ${r.joint.prefetches} | ${r.joint.wallSec} |`,
    ),
    "",
  ];
  writeBenchResults("milp-offload", { environment, link: LINK, limitSec: LIMIT_SEC, rows }, lines.join("\n"));
}

await main();
