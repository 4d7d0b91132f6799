/**
 * Benchmark of chain-dp: solve time over chain lengths L = 10..1,000 and slot counts
 * S = 100..5,000 on random heterogeneous chains (src/generate/families.ts, seed 1) at a budget of 40%
 * of the store-all peak, plus revolve on homogeneous chains. Every answer is first solved through
 * solve() (which checks the claimed makespan against the evaluator and the peak against the budget)
 * and re-evaluated from its text schedule; that verified solve is the warm-up, then RUNS timed solves
 * follow (a cell slower than BIG_MS reports the verified solve's own time alone), reporting median,
 * min and max. Writes bench/results/chain-dp.json
 * and .md.
 *
 * Run: npx tsx bench/chain-dp.ts          (default grid, a few minutes at most)
 *      npx tsx bench/chain-dp.ts --full   (adds L = 200 at S = 5,000, L = 500 at S = 500 and L = 1,000
 *                                          at S = 100 and 500; tens of minutes)
 */
import { loadavg } from "node:os";
import { solveChainDp } from "../solvers/chain/index.js";
import { solve } from "../solvers/index.js";
import { evaluate } from "../src/evaluate/evaluate.js";
import { randomChain } from "../src/generate/families.js";
import { parseInstance } from "../src/instance/parse.js";
import type { Instance } from "../src/instance/types.js";
import { storeAllSchedule } from "../src/schedule/builders.js";
import { parseSchedule } from "../src/schedule/text.js";
import type { SolveResult } from "../src/solve-result.js";
import type { SolverOptions } from "../src/solver.js";
import { benchEnvironment, median, writeBenchResults } from "./environment.js";

const BUDGET_PERCENT = 40;
const RUNS = 3;
/** Cells whose first solve takes longer than this (ms) are timed once. */
const BIG_MS = 5_000;
const DEFAULT_GRID: readonly (readonly [number, number])[] = [
  ...[10, 50, 100].flatMap((L) => [100, 500, 1000, 5000].map((S) => [L, S] as const)),
  [200, 100],
  [200, 500],
  [200, 1000],
  [500, 100],
];
const FULL_EXTRA: readonly (readonly [number, number])[] = [
  [200, 5000],
  [500, 500],
  [1000, 100],
  [1000, 500],
];

interface Cell {
  readonly L: number;
  readonly S: number;
  /** The budget used, as a percentage of the store-all peak. */
  readonly budgetPercent: number;
  readonly status: string;
  readonly overhead: number | null;
  readonly entries: number;
  readonly candidates: number;
  readonly runs: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
}

/** Solves through solve() (claims checked there) and re-checks from the text schedule; throws on any mismatch. */
async function verified(instance: Instance, budget: number, slots: number): Promise<SolveResult> {
  const result = await solve(instance, { solver: "chain-dp", budget, slots });
  if (result.status === "optimal") {
    const evaluation = evaluate(instance, parseSchedule(result.schedule));
    if (!evaluation.valid || evaluation.makespanMs !== result.makespanMs || evaluation.peakBytes > budget)
      throw new Error(`${instance.name} S=${slots}: the schedule does not check out`);
  }
  return result;
}

async function benchCell(L: number, S: number): Promise<Cell> {
  const instance = randomChain(1, L);
  const storeAll = evaluate(instance, storeAllSchedule(instance));
  if (!storeAll.valid) throw new Error("store-all invalid");
  // BUDGET_PERCENT of the store-all peak, or the least budget chain-dp accepts when that is larger
  const least = await solve(instance, { solver: "chain-dp", budget: 1, slots: S });
  const budget = Math.max(
    Math.floor((storeAll.peakBytes * BUDGET_PERCENT) / 100),
    least.minFeasibleBudgetBytes ?? 1,
  );
  const options: SolverOptions = {
    budgetBytes: budget,
    objective: "time",
    slots: S,
    timeLimitSec: 3600,
    extra: {},
  };
  // the verified solve is the warm-up; a cell slower than BIG_MS is reported from it alone
  const result = await verified(instance, budget, S);
  const big = result.stats.wallMs > BIG_MS;
  const samples: number[] = big ? [result.stats.wallMs] : [];
  for (let i = 0; i < (big ? 0 : RUNS); i++) {
    const started = performance.now();
    solveChainDp(instance, options);
    samples.push(performance.now() - started);
  }
  return {
    L,
    S,
    budgetPercent: (100 * budget) / storeAll.peakBytes,
    status: result.status,
    overhead: result.overhead,
    entries: result.stats.entries ?? 0,
    candidates: result.stats.candidates ?? 0,
    runs: samples.length,
    medianMs: median(samples),
    minMs: Math.min(...samples),
    maxMs: Math.max(...samples),
  };
}

/**
 * revolve on a homogeneous chain of n stages at BUDGET_PERCENT of store-all, or at the least budget it
 * accepts when larger (its schedules checked by solve()), with chain-dp at the same budget.
 */
async function benchRevolve(n: number) {
  const instance = parseInstance({
    format: "remat-instance/1",
    name: `homogeneous-${n}`,
    source: "bench/chain-dp.ts",
    fixedBytes: 0,
    nodes: [
      { id: "x", fwd: 0, bwd: 0, bytes: 100, recomputable: false },
      ...Array.from({ length: n }, (_, l) => ({
        id: `s${l + 1}`,
        fwd: 1,
        bwd: 2,
        bytes: 100,
        inputs: [l === 0 ? "x" : `s${l}`],
      })),
    ],
  });
  const first = await solve(instance, { solver: "revolve", budget: `${BUDGET_PERCENT}%` });
  const budget = first.minFeasibleBudgetBytes ?? (first.budgetBytes as number);
  const started = performance.now();
  const result = await solve(instance, { solver: "revolve", budget });
  const wallMs = performance.now() - started;
  const dp = await solve(instance, { solver: "chain-dp", budget, slots: 500 });
  return {
    n,
    budgetBytes: budget,
    snapshots: result.stats.snapshots,
    revolveOverhead: result.overhead,
    chainDpOverhead: dp.overhead,
    revolveMs: wallMs,
  };
}

const format = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));

async function main(): Promise<void> {
  const full = process.argv.includes("--full");
  const environment = { ...benchEnvironment(), loadAverage: loadavg()[0] ?? 0 };
  const cells: Cell[] = [];
  for (const [L, S] of full ? [...DEFAULT_GRID, ...FULL_EXTRA] : DEFAULT_GRID) {
    const cell = await benchCell(L, S);
    cells.push(cell);
    console.log(`L=${L} S=${S}: ${cell.status}, median ${format(cell.medianMs)} ms over ${cell.runs} run(s)`);
  }
  const revolveRows = [];
  for (const n of [10, 100, 200]) revolveRows.push(await benchRevolve(n));
  const lines = [
    `# chain-dp benchmark`,
    ``,
    `Random chains \`randomChain(1, L)\`, budget ${BUDGET_PERCENT}% of the store-all peak (or the least budget chain-dp accepts, when larger); Node ${environment.node},`,
    `${environment.cpu} (${environment.cores} cores, ${environment.memoryGiB} GiB), commit ${environment.commit},`,
    `${environment.date}, load average ${environment.loadAverage.toFixed(1)} at start (other jobs may share the machine).`,
    `Each answer was checked with the evaluator; that solve is the warm-up, then ${RUNS} timed runs (above ${BIG_MS / 1000} s, the checked solve's own time alone); wall time of \`solveChainDp\`.`,
    ``,
    `| L | S | budget | status | overhead | table entries | candidates | median ms | min ms | max ms | runs |`,
    `| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`,
    ...cells.map(
      (c) =>
        `| ${c.L} | ${c.S} | ${c.budgetPercent.toFixed(0)}% | ${c.status} | ${c.overhead === null ? "-" : `${(100 * c.overhead).toFixed(1)}%`} | ${c.entries} | ${c.candidates} | ${format(c.medianMs)} | ${format(c.minMs)} | ${format(c.maxMs)} | ${c.runs} |`,
    ),
    ``,
    `revolve on homogeneous chains (fwd 1, bwd 2, 100 bytes each), budget ${BUDGET_PERCENT}% of store-all or revolve's least, when larger:`,
    ``,
    `| n | budget bytes | snapshots | revolve overhead | chain-dp overhead (S = 500) | revolve ms |`,
    `| ---: | ---: | ---: | ---: | ---: | ---: |`,
    ...revolveRows.map(
      (r) =>
        `| ${r.n} | ${r.budgetBytes} | ${r.snapshots} | ${((r.revolveOverhead ?? 0) * 100).toFixed(1)}% | ${((r.chainDpOverhead ?? 0) * 100).toFixed(1)}% | ${format(r.revolveMs)} |`,
    ),
    ``,
  ];
  writeBenchResults(
    "chain-dp",
    { environment, budgetPercent: BUDGET_PERCENT, warmup: 1, runs: RUNS, cells, revolve: revolveRows },
    lines.join("\n"),
  );
  console.log(lines.join("\n"));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
