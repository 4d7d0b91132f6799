/**
 * The `extra` switches of graph-mincut, read and checked in one place (STYLE.md: reject, never
 * coerce). Every switch has a default chosen so that a DenseNet-121 op graph solves in well under a
 * second and a 5,000-node DAG in under ten.
 */
import { describeValue, InputError, type InputIssue } from "../../src/errors.js";
import type { SolverOptions } from "../../src/solver.js";
import type { MemorySearchOptions } from "./memory-objective.js";
import { DEFAULT_BANNED_OPS } from "./partition.js";

/** Every free-candidate count up to this is enumerated: 2^12 evaluations of a small graph is milliseconds. */
const EXHAUSTIVE_LIMIT = 12;
/**
 * Node-evaluations (spans.ts evaluations times nodes) allowed for the exact decomposition at cut
 * points: a chain of n nodes costs about n^3 / 2 (about 2 us each here: 1 s at 100 nodes), so 2e6
 * reaches chains of about 150 nodes (~4 s).
 */
const SPAN_WORK = 2e6;
/** Free nodes up to which the span seed tries every interior of a neighbour span (2^8 evaluations). */
const SPAN_CHOICES = 8;
/** Longest span the span seed measures, in cut points: sum over gaps d <= 20 of d = 210 evaluations at most. */
const SPAN_GAP = 20;
/** Share of the time limit the exact decomposition may use before the search takes over. */
const EXACT_SHARE = 0.8;
/** Lower sets in the sweep: one per node on op graphs of a few hundred nodes, coarser beyond. */
const MAX_LOWER_SETS = 400;
/** Feng & Huang thresholds tried: the quantiles of the block sizes. */
const THRESHOLDS = 48;
/**
 * Local-search evaluations for the memory objective: on the zoo's op graphs the seeds already reach
 * most of the cut and the search gains its last 1-2 points within the first 200 toggles. The time
 * objective skips it by default (it only moves the least-peak end of the pool), except with `pareto`,
 * whose front then starts at the memory objective's answer.
 */
const LOCAL_EVALUATIONS = 200;
/** Max-flows for the lower bound. */
const BOUND_CUTS = 600;
/** Wall-clock share of the time limit (or seconds when there is none) for the local search. */
const LOCAL_SECONDS = 4;

/** Stages of the block chain handed to chain-dp (its table grows as stages^3 * slots). */
const BLOCK_STAGES = 30;

/** What graph-mincut reads from `SolverOptions.extra`. */
export interface GraphOptions extends MemorySearchOptions {
  /** Return the whole (peak, makespan) front of the time objective's pool. */
  readonly pareto: boolean;
  /** Most stages of the block chain for chain-dp (0: do not use the block chain). */
  readonly blockStages: number;
  /** `search` (default): the min-cut search; `partition`: AOTAutograd-style least saved bytes only. */
  readonly method: "search" | "partition";
  /** Op names (node `meta.op`) the partition never recomputes. */
  readonly ban: readonly string[];
}

function count(
  extra: Readonly<Record<string, unknown>>,
  key: string,
  fallback: number,
  issues: InputIssue[],
) {
  const value = extra[key];
  if (value === undefined) return fallback;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
  issues.push({
    code: "option",
    path: `extra.${key}`,
    expected: "a non-negative integer",
    received: describeValue(value),
  });
  return fallback;
}

/**
 * Reads the switches: `pareto` (boolean), `lambda` (bytes per ms, >= 0), `method` (`search` |
 * `partition`), `ban` (op names the partition never recomputes), and the limits
 * `exhaustiveLimit`, `spanWork`, `spanChoices`, `spanGap`, `maxLowerSets`, `thresholds`, `localEvaluations`, `boundCuts`,
 * `blockStages`.
 * @throws InputError (code `option`, path `extra.NAME`) for every bad switch
 */
export function graphOptions(options: SolverOptions, started: number): GraphOptions {
  const extra = options.extra ?? {};
  const issues: InputIssue[] = [];
  const pareto = extra.pareto ?? false;
  if (typeof pareto !== "boolean")
    issues.push({
      code: "option",
      path: "extra.pareto",
      expected: "true or false",
      received: describeValue(pareto),
    });
  const lambda = extra.lambda ?? 0;
  if (!(typeof lambda === "number" && Number.isFinite(lambda) && lambda >= 0))
    issues.push({
      code: "option",
      path: "extra.lambda",
      expected: "a number >= 0 (bytes per ms)",
      received: describeValue(lambda),
    });
  const method = extra.method ?? "search";
  if (method !== "search" && method !== "partition")
    issues.push({
      code: "option",
      path: "extra.method",
      expected: '"search" or "partition"',
      received: describeValue(method),
    });
  const ban = extra.ban ?? DEFAULT_BANNED_OPS;
  const banList =
    Array.isArray(ban) && ban.every((op) => typeof op === "string") ? (ban as string[]) : undefined;
  if (banList === undefined)
    issues.push({
      code: "option",
      path: "extra.ban",
      expected: "a list of op names",
      received: describeValue(ban),
    });
  const parsed: GraphOptions = {
    method: method === "partition" ? "partition" : "search",
    ban: banList ?? DEFAULT_BANNED_OPS,
    pareto: pareto === true,
    lambda: typeof lambda === "number" && lambda >= 0 ? lambda : 0,
    exhaustiveLimit: count(extra, "exhaustiveLimit", EXHAUSTIVE_LIMIT, issues),
    spanWork: count(extra, "spanWork", SPAN_WORK, issues),
    spanChoices: count(extra, "spanChoices", SPAN_CHOICES, issues),
    spanGap: count(extra, "spanGap", SPAN_GAP, issues),
    maxLowerSets: Math.max(1, count(extra, "maxLowerSets", MAX_LOWER_SETS, issues)),
    thresholds: count(extra, "thresholds", THRESHOLDS, issues),
    localEvaluations: count(
      extra,
      "localEvaluations",
      options.objective === "memory" || pareto === true ? LOCAL_EVALUATIONS : 0,
      issues,
    ),
    boundCuts: count(extra, "boundCuts", BOUND_CUTS, issues),
    blockStages: count(extra, "blockStages", BLOCK_STAGES, issues),
    deadline: started + 1000 * Math.min(LOCAL_SECONDS, options.timeLimitSec / 2),
    exactDeadline: started + 1000 * options.timeLimitSec * EXACT_SHARE,
  };
  if (issues.length > 0) throw new InputError("graph-mincut", issues);
  return parsed;
}
