/**
 * Benchmark of the chain family under time limits: chain-dp on random chains
 * (`randomChain(1, L)`, 40% of the store-all peak, S = 500) and revolve on homogeneous chains (fwd 1,
 * bwd 2, 100 bytes a stage, 40%), for L = 1,000 to 20,000 stages and limits of 1 s and 5 s, each solve
 * through solve() (every claim checked against the evaluator) in a child process of its own: status,
 * the phase reached, wall time of solve(), overrun beyond the limit, and peak RSS (VmHWM from
 * /proc/self/status, the child's whole process). Then where chain-dp's time goes, phase by phase, on
 * the way to each phase's largest chain (a deadline that stamps every check; no limit but 60 s).
 * Writes bench/results/chain-dp-limits.json and .md.
 *
 * Run: npx tsx bench/chain-dp-limits.ts   (about 3 minutes; the children run one at a time)
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { solveChainDp } from "../solvers/chain/index.js";
import { longestChain, slotsThatFit } from "../solvers/chain/limits.js";
import { solve } from "../solvers/index.js";
import { InputError } from "../src/errors.js";
import { randomChain } from "../src/generate/families.js";
import { parseInstance } from "../src/instance/parse.js";
import type { Instance } from "../src/instance/types.js";
import { resolveBudget } from "../src/schedule/builders.js";
import { Deadline } from "../src/time-limit.js";
import { benchEnvironment, writeBenchResults } from "./environment.js";

const LENGTHS = [1000, 2000, 5000, 10000, 20000];
const LIMITS_SEC = [1, 5];
const SOLVERS = ["chain-dp", "revolve"] as const;
const BUDGET = "40%";
const SLOTS = 500;
/** Chains whose phases are timed, with the limit that cuts the longest runs short. */
const PHASE_LENGTHS = [250, 500, 1000, 2000];
const PHASE_LIMIT_SEC = 60;

type SolverName = (typeof SOLVERS)[number];

interface Run {
  readonly solver: SolverName;
  readonly L: number;
  readonly limitSec: number;
  /** The status, or `refused` for an InputError. */
  readonly status: string;
  /** The phase named by a timeout (or an interrupted least-budget search), else null. */
  readonly phase: string | null;
  readonly scheduleLength: number;
  /** Wall time of solve(): its own checks before and after the solver included, ms. */
  readonly wallMs: number;
  /** wallMs - limit, ms (negative: finished early). */
  readonly overrunMs: number;
  /** The solver's own time (stats.wallMs; the time limit runs from its start), ms; for a refusal, wallMs. */
  readonly solverMs: number;
  /** solverMs - limit, ms. */
  readonly solverOverrunMs: number;
  readonly peakRssMiB: number;
  readonly reason: string | null;
}

function homogeneous(n: number): Instance {
  return parseInstance({
    format: "remat-instance/1",
    name: `homogeneous-${n}`,
    source: "bench/chain-dp-limits.ts",
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
}

function peakRssMiB(): number {
  const status = readFileSync("/proc/self/status", "utf8");
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match === null ? Number.NaN : Number(match[1]) / 1024;
}

function phaseOf(reason: string | null): string | null {
  const match = reason === null ? null : /reached during ([a-z -]+?)(?: \(|[;,]|$)/.exec(reason);
  return match === null ? null : (match[1] as string);
}

/** One solve, in this (child) process; prints its Run as JSON. */
async function child(solver: SolverName, L: number, limitSec: number): Promise<void> {
  const instance = solver === "chain-dp" ? randomChain(1, L) : homogeneous(L);
  const started = performance.now();
  let run: Omit<Run, "peakRssMiB">;
  try {
    const result = await solve(instance, {
      solver,
      budget: BUDGET,
      timeLimitSec: limitSec,
      ...(solver === "chain-dp" ? { slots: SLOTS } : {}),
    });
    const wallMs = performance.now() - started;
    run = {
      solver,
      L,
      limitSec,
      status: result.status,
      phase: phaseOf(result.reason),
      scheduleLength: result.schedule.length,
      wallMs,
      overrunMs: wallMs - limitSec * 1000,
      solverMs: result.stats.wallMs,
      solverOverrunMs: result.stats.wallMs - limitSec * 1000,
      reason: result.reason,
    };
  } catch (error: unknown) {
    if (!(error instanceof InputError)) throw error;
    const wallMs = performance.now() - started;
    const issue = error.issues[0];
    run = {
      solver,
      L,
      limitSec,
      status: "refused",
      phase: null,
      scheduleLength: 0,
      wallMs,
      overrunMs: wallMs - limitSec * 1000,
      solverMs: wallMs,
      solverOverrunMs: wallMs - limitSec * 1000,
      reason: `${issue?.path}: ${issue?.expected}`,
    };
  }
  console.log(JSON.stringify({ ...run, peakRssMiB: peakRssMiB() }));
}

function runChild(solver: SolverName, L: number, limitSec: number): Run {
  const script = fileURLToPath(import.meta.url);
  const out = spawnSync(
    process.execPath,
    ["--import", "tsx", script, "--child", solver, String(L), String(limitSec)],
    {
      encoding: "utf8",
      maxBuffer: 1 << 26,
    },
  );
  if (out.status !== 0) throw new Error(`child ${solver} L=${L} failed: ${out.stderr}`);
  const line = out.stdout.trim().split("\n").pop() as string;
  return JSON.parse(line) as Run;
}

/** A deadline that never passes before `limitSec` and stamps the first and last check of every phase. */
class StampingDeadline extends Deadline {
  readonly stamps = new Map<string, { first: number; last: number; checks: number }>();
  readonly startMs = performance.now();

  override check(phase: string): void {
    const now = performance.now() - this.startMs;
    const stamp = this.stamps.get(phase);
    if (stamp === undefined) this.stamps.set(phase, { first: now, last: now, checks: 1 });
    else {
      stamp.last = now;
      stamp.checks++;
    }
    super.check(phase);
  }
}

interface PhaseRow {
  readonly L: number;
  readonly status: string;
  readonly wallMs: number;
  /** Per phase: ms from its first check to the next phase's first check (or the end). */
  readonly phases: Readonly<Record<string, number>>;
}

/** Where chain-dp's time goes on randomChain(1, L) at 40%, S = 500, phase by phase (in this process). */
function phaseTimes(L: number): PhaseRow {
  const instance = randomChain(1, L);
  const deadline = new StampingDeadline(PHASE_LIMIT_SEC);
  const options = {
    budgetBytes: resolveBudget(instance, BUDGET),
    objective: "time" as const,
    slots: SLOTS,
    timeLimitSec: PHASE_LIMIT_SEC,
    extra: {},
  };
  let status: string;
  try {
    status = solveChainDp(instance, options, deadline).status;
  } catch (error: unknown) {
    if (!(error instanceof InputError)) throw error;
    status = `refused (${error.issues[0]?.path})`;
  }
  const wallMs = performance.now() - deadline.startMs;
  const order = [...deadline.stamps].sort((a, b) => a[1].first - b[1].first);
  const phases: Record<string, number> = {};
  order.forEach(([phase, stamp], i) => {
    const next = order[i + 1]?.[1].first ?? wallMs;
    phases[phase] = next - stamp.first;
  });
  return { L, status, wallMs, phases };
}

/** One line per distinct refusal: the solver, the lengths refused, the path and what was expected. */
function refusals(runs: readonly Run[]): string[] {
  const byReason = new Map<string, Set<string>>();
  for (const run of runs) {
    if (run.status !== "refused") continue;
    const key = `${run.solver}|${run.reason}`;
    const lengths = byReason.get(key) ?? new Set<string>();
    lengths.add(String(run.L));
    byReason.set(key, lengths);
  }
  return [...byReason].map(([key, lengths]) => {
    const [solver, reason] = key.split("|");
    return `- ${solver}, L = ${[...lengths].join(", ")}: ${reason}`;
  });
}

const ms = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(1));

async function main(): Promise<void> {
  const environment = { ...benchEnvironment(), loadAverage: loadavg()[0] ?? 0 };
  const runs: Run[] = [];
  for (const solver of SOLVERS)
    for (const L of LENGTHS)
      for (const limitSec of LIMITS_SEC) {
        const run = runChild(solver, L, limitSec);
        runs.push(run);
        console.log(
          `${solver} L=${L} limit ${limitSec} s: ${run.status}${run.phase ? ` (${run.phase})` : ""}, ${ms(run.wallMs)} ms, RSS ${run.peakRssMiB.toFixed(0)} MiB`,
        );
      }
  const phaseRows = PHASE_LENGTHS.map((L) => {
    const row = phaseTimes(L);
    console.log(`phases L=${L}: ${row.status} ${JSON.stringify(row.phases)}`);
    return row;
  });
  const loadAtEnd = loadavg()[0] ?? 0;
  const worst = runs.reduce((a, b) => (b.overrunMs > a.overrunMs ? b : a));
  const worstSolver = runs.reduce((a, b) => (b.solverOverrunMs > a.solverOverrunMs ? b : a));
  const phaseNames = [...new Set(phaseRows.flatMap((row) => Object.keys(row.phases)))];
  const lines = [
    `# chain-dp and revolve under time limits`,
    ``,
    `Node ${environment.node}, ${environment.cpu} (${environment.cores} cores, ${environment.memoryGiB} GiB), commit ${environment.commit},`,
    `${environment.date}; load average ${environment.loadAverage.toFixed(1)} at start, ${loadAtEnd.toFixed(1)} at the end (other jobs share the machine).`,
    `chain-dp: \`randomChain(1, L)\` at ${BUDGET} of the store-all peak, S = ${SLOTS}; revolve: homogeneous chains (fwd 1, bwd 2, 100 bytes a stage) at ${BUDGET}.`,
    `One child process per solve, through \`solve()\` (claims checked against the evaluator). The limit runs from the solver's start: "solver ms" is its own time`,
    `(\`stats.wallMs\`), "wall ms" that of \`solve()\`, which also evaluates store-all before the solver (O(L)) and checks the answer's schedule after it; overrun = time - limit;`,
    `peak RSS = the child's VmHWM (the whole process: Node, the instance, the tables). "refused": an InputError (code \`option\`), path and expectation shown.`,
    ``,
    `| solver | L | limit | status | phase | schedule | solver ms | solver overrun ms | wall ms | wall overrun ms | peak RSS MiB |`,
    `| --- | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |`,
    ...runs.map(
      (r) =>
        `| ${r.solver} | ${r.L} | ${r.limitSec} s | ${r.status} | ${r.phase ?? "-"} | ${r.scheduleLength} | ${ms(r.solverMs)} | ${ms(r.solverOverrunMs)} | ${ms(r.wallMs)} | ${ms(r.overrunMs)} | ${r.peakRssMiB.toFixed(0)} |`,
    ),
    ``,
    `Worst overrun of a solver: ${ms(worstSolver.solverOverrunMs)} ms (${worstSolver.solver}, L = ${worstSolver.L}, limit ${worstSolver.limitSec} s, ${worstSolver.status}); of \`solve()\`: ${ms(worst.overrunMs)} ms (${worst.solver}, L = ${worst.L}, limit ${worst.limitSec} s, ${worst.status}).`,
    ``,
    ...refusals(runs),
    ``,
    `chain-dp's time per phase (ms from a phase's first check to the next phase's; \`randomChain(1, L)\`, ${BUDGET}, S = ${SLOTS}, limit ${PHASE_LIMIT_SEC} s):`,
    `caps (solvers/chain/limits.ts): the time objective's tables fit up to L = ${longestChain("time")} (with ${slotsThatFit(longestChain("time"))} slots), the memory objective's up to L = ${longestChain("memory")};`,
    `S = ${SLOTS} surely fits up to the L where slotsThatFit(L) >= ${SLOTS} (L = 1,000: ${slotsThatFit(1000)}; L = 2,000: ${slotsThatFit(2000)}).`,
    ``,
    `| L | status | wall ms | ${phaseNames.join(" | ")} |`,
    `| ---: | --- | ---: | ${phaseNames.map(() => "---:").join(" | ")} |`,
    ...phaseRows.map(
      (row) =>
        `| ${row.L} | ${row.status} | ${ms(row.wallMs)} | ${phaseNames.map((name) => (row.phases[name] === undefined ? "-" : ms(row.phases[name] as number))).join(" | ")} |`,
    ),
    ``,
  ];
  writeBenchResults(
    "chain-dp-limits",
    { environment, loadAverageAtEnd: loadAtEnd, budget: BUDGET, slots: SLOTS, runs, phases: phaseRows },
    lines.join("\n"),
  );
  console.log(lines.join("\n"));
}

const args = process.argv.slice(2);
if (args[0] === "--child")
  child(args[1] as SolverName, Number(args[2]), Number(args[3])).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
else
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
