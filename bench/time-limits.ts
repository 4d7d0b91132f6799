/**
 * Time limits on long inputs (every solver checks its time limit inside every phase that grows with the
 * input, and overruns it by at most a small stated amount; this measures how much): every registered
 * solver on heterogeneous chains of 1,000 to 20,000 stages, homogeneous chains (for revolve) and layered
 * DAGs of about 5,000 nodes, at 50% of the store-all peak, with time limits of 1 s and 5 s. Each solve
 * runs in a child process (bench/time-limit-child.ts) so its peak RSS is its own and a crash is recorded.
 * Reports status (or refusal), solve wall time, overrun beyond the limit and peak RSS. The wall time is
 * load-dependent; the load average is recorded.
 *
 * Run: npm run build && npx tsx bench/time-limits.ts
 */
import { spawnSync } from "node:child_process";
import { solvers } from "../solvers/index.js";
import { bundledPath } from "../src/io/paths.js";
import { benchEnvironment, loadAverageNow, writeBenchResults } from "./environment.js";

const INPUTS: readonly (readonly [string, number])[] = [
  ["chain", 1_000],
  ["chain", 2_000],
  ["chain", 5_000],
  ["chain", 10_000],
  ["chain", 20_000],
  ["homogeneous", 5_000],
  ["homogeneous", 20_000],
  ["dag", 5_000],
];
const LIMITS_SEC = [1, 5];
const BUDGET = "50%";
/** A child still running this long after its limit is killed and recorded as a hang. */
const HANG_SEC = 120;

interface Row {
  readonly family: string;
  readonly size: number;
  readonly nodes: number | null;
  readonly solver: string;
  readonly limitSec: number;
  readonly status: string;
  readonly solveMs: number | null;
  /** solve() wall time beyond the limit (the limit counts from the call). */
  readonly overrunMs: number | null;
  /** The solver's own wall time (stats.wallMs), and its part beyond the limit. */
  readonly solverMs: number | null;
  readonly solverOverrunMs: number | null;
  readonly maxRssMiB: number | null;
  readonly reason: string | null;
}

function runChild(family: string, size: number, solver: string, limitSec: number): Row {
  const child = spawnSync(
    process.execPath,
    [
      bundledPath("dist", "bench", "time-limit-child.js"),
      family,
      String(size),
      solver,
      BUDGET,
      String(limitSec),
    ],
    { encoding: "utf8", timeout: (limitSec + HANG_SEC) * 1000, maxBuffer: 1 << 24 },
  );
  const base = { family, size, solver, limitSec };
  const line = child.stdout.trim().split("\n").pop() ?? "";
  if (child.status !== 0 || line === "") {
    const crash = child.signal === "SIGTERM" ? "hang" : `crash (exit ${child.status ?? child.signal})`;
    const reason = child.stderr.trim().split("\n").slice(-1)[0] ?? null;
    const none = { solveMs: null, overrunMs: null, solverMs: null, solverOverrunMs: null, maxRssMiB: null };
    return { ...base, ...none, nodes: null, status: crash, reason };
  }
  const parsed = JSON.parse(line) as {
    status: string;
    solveMs: number;
    solverMs?: number;
    maxRssMiB: number;
    nodes: number;
    reason?: string | null;
  };
  return {
    ...base,
    nodes: parsed.nodes,
    status: parsed.status,
    solveMs: parsed.solveMs,
    overrunMs: Math.max(0, parsed.solveMs - limitSec * 1000),
    solverMs: parsed.solverMs ?? null,
    solverOverrunMs: parsed.solverMs === undefined ? null : Math.max(0, parsed.solverMs - limitSec * 1000),
    maxRssMiB: Math.round(parsed.maxRssMiB),
    reason: parsed.reason ?? null,
  };
}

const environment = benchEnvironment();
const rows: Row[] = [];
for (const [family, size] of INPUTS)
  for (const solver of solvers)
    for (const limitSec of LIMITS_SEC) {
      if (family === "homogeneous" && solver.name !== "revolve") continue;
      if (family !== "homogeneous" && solver.name === "revolve") continue;
      if (solver.name === "checkpoints") continue; // needs a kept set; its builder is the kept-set builder timed through chen
      const row = runChild(family, size, solver.name, limitSec);
      rows.push(row);
      process.stderr.write(
        `${family} ${size} ${solver.name} ${limitSec}s: ${row.status} ${row.solveMs?.toFixed(0)} ms\n`,
      );
    }
const worst = Math.max(0, ...rows.map((row) => row.overrunMs ?? 0));
const worstSolver = Math.max(0, ...rows.map((row) => row.solverOverrunMs ?? 0));
const broken = rows.filter(
  (row) => row.status.startsWith("crash") || row.status === "hang" || row.status === "error",
);
const markdown = [
  "# Time limits on long inputs",
  "",
  `Every solver at ${BUDGET} of the store-all peak with --time-limit ${LIMITS_SEC.join(" s and ")} s, one child process per solve (bench/time-limits.ts). ` +
    `${environment.cpu} (${environment.cores} cores), Node ${environment.node}, commit ${environment.commit}${environment.dirty ? " (dirty tree)" : ""}, ${environment.date}; ` +
    `1-minute load average ${environment.loadAverage} at start, ${loadAverageNow()} at the end.`,
  "",
  `Worst overrun beyond the limit: ${worst.toFixed(0)} ms for solve() (which checks the answer's schedule with one more evaluation after the solver returns), ${worstSolver.toFixed(0)} ms for the solver itself. Crashes, hangs or errors: ${broken.length}.`,
  "",
  "| input | nodes | solver | limit | status | solve() ms | overrun ms | solver ms | solver overrun ms | peak RSS MiB | reason |",
  "| --- | ---: | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |",
  ...rows.map(
    (row) =>
      `| ${row.family} ${row.size} | ${row.nodes ?? "-"} | ${row.solver} | ${row.limitSec} s | ${row.status} | ${row.solveMs?.toFixed(0) ?? "-"} | ${row.overrunMs?.toFixed(0) ?? "-"} | ${row.solverMs?.toFixed(0) ?? "-"} | ${row.solverOverrunMs?.toFixed(0) ?? "-"} | ${row.maxRssMiB ?? "-"} | ${(row.reason ?? "").replaceAll("|", "/").slice(0, 120)} |`,
  ),
  "",
].join("\n");
writeBenchResults(
  "time-limits",
  {
    environment,
    budget: BUDGET,
    worstOverrunMs: worst,
    worstSolverOverrunMs: worstSolver,
    broken: broken.length,
    rows,
  },
  markdown,
);
process.stdout.write(markdown);
