/**
 * One solve of bench/time-limits.ts, in a process of its own so that its peak memory is its own and a
 * crash (stack overflow, heap exhaustion) is recorded instead of ending the benchmark. Prints one JSON
 * line: the status (or the refusal), the wall time of `solve()` and of the solver inside it, and the
 * process's peak RSS.
 *
 * Usage: node dist/bench/time-limit-child.js FAMILY SIZE SOLVER BUDGET LIMIT_SEC
 */
import { solve } from "../solvers/index.js";
import { InputError } from "../src/errors.js";
import type { Instance } from "../src/instance/types.js";
import { benchInstance } from "./time-limit-inputs.js";

const [family, size, solver, budget, limit] = process.argv.slice(2);
const instance: Instance = benchInstance(family as string, Number(size));
const started = performance.now();
let outcome: Record<string, unknown>;
try {
  const result = await solve(instance, {
    solver: solver as string,
    budget: budget ?? "none",
    timeLimitSec: Number(limit),
  });
  outcome = {
    status: result.status,
    makespanMs: result.makespanMs,
    reason: result.reason,
    solverMs: result.stats.wallMs,
  };
} catch (error) {
  outcome = {
    status: error instanceof InputError ? "refused" : "error",
    reason: (error as Error).message.split("\n")[0],
  };
}
const solveMs = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({ ...outcome, nodes: instance.nodes.length, solveMs, maxRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`,
);
