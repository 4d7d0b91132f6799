/**
 * `remat batch --bound`: the lower bound on the makespan at each (instance, budget) of a batch, computed
 * once for all its solvers and appended to the same results log as a **bound record** (issue 13, item 4).
 * A report joins each answer line to the bound record of its file and budget and prints the answer's
 * certified gap (see {@link BoundLine} for when a gap is certified).
 *
 * Resume: a bound record is keyed by `file`, `budget` and its `setting` (the LP backend, the time limit
 * and the formulations tried: what decides the value). A rerun skips every key the log already holds with a final status
 * (`bound`, `infeasible`), and computes again the ones whose only records are
 * `error`; so reruns never duplicate a record. Records are computed in the batch's own process, one at a
 * time, after its solves (HiGHS itself stops at the time limit).
 */
import { type BoundPart, bestBoundAtBudget } from "../../solvers/milp/bound.js";
import { describeValue } from "../errors.js";
import { loadInstance } from "../instance/load.js";
import { appendLogLine } from "../io/files.js";
import type { ScheduleClass } from "../optimality.js";
import { resolveBudget } from "../schedule/builders.js";
import type { CommandIo } from "./command.js";
import { canonicalJson, type JobSetting } from "./results-log.js";

/** The `kind` of a bound record (answer lines have no `kind`). */
export const BOUND_KIND = "bound";

/** What decides a bound record's value besides its file and budget. */
export interface BoundSetting {
  /** The LP/MILP backend of the relaxations. */
  readonly lp: "highs";
  /** Seconds per relaxation (null for none). */
  readonly timeLimitSec: number | null;
  /** The formulations tried, in order (BOUND_FORMULATIONS: a version with others computes again). */
  readonly formulations: readonly BoundPart["formulation"][];
}

/**
 * One bound record of a results log (one JSON line). Shape:
 * ```
 * { "kind": "bound", "file": "instances/zoo/x.json", "budget": "50%", "instance": "x",
 *   "budgetBytes": 123, "status": "bound", "valueMs": 41.2, "over": "stage-grid",
 *   "method": "...", "sumOfTimesMs": 40.0, "parts": [ ... ], "wallMs": 812,
 *   "setting": { "lp": "highs", "timeLimitSec": 60, "formulations": ["blocks", "grid-lp"] } }
 * ```
 * - `status`: `bound` (valueMs, over, method present; at worst the sum of times, over `all`);
 *   `infeasible` (a relaxation proved that no stage-grid schedule fits the budget); `error` (with
 *   `reason`; run again on resume).
 * - `valueMs`: the largest proven bound of the `parts` (ms), over the class `over`: `all` (every
 *   schedule: the sum of times) or `stage-grid` (src/optimality.ts; proofs/milp.md).
 * - `parts`: each formulation tried (`grid-lp`: the LP relaxation of Checkmate's MILP; `blocks`: the
 *   block relaxation, proofs/milp-blocks.md), with its own status, value and wall time.
 *
 * **Certified gap** of an answer line with the same `file` and `budget`: `makespanMs / valueMs - 1`,
 * valid when `over` is `all`, or when `over` is `stage-grid` and the answer line says
 * `"inStageGrid": true` (its schedule lies in the class; every checkpoint schedule, chain-dp's,
 * graph-mincut's without storage modes, milp's and lp-round's do). Otherwise no gap is certified.
 */
export interface BoundLine {
  readonly kind: typeof BOUND_KIND;
  readonly file: string;
  readonly budget: string;
  readonly instance?: string;
  readonly budgetBytes?: number;
  readonly status: "bound" | "infeasible" | "error";
  readonly valueMs?: number;
  readonly over?: ScheduleClass;
  readonly method?: string;
  readonly sumOfTimesMs?: number;
  readonly parts?: readonly BoundPart[];
  readonly reason?: string;
  readonly wallMs: number;
  readonly setting: BoundSetting;
}

/** Whether a parsed log line is a bound record. */
export function isBoundLine(value: unknown): value is BoundLine {
  if (typeof value !== "object" || value === null) return false;
  const line = value as Record<string, unknown>;
  return (
    line.kind === BOUND_KIND &&
    typeof line.file === "string" &&
    typeof line.budget === "string" &&
    typeof line.status === "string" &&
    typeof line.setting === "object" &&
    line.setting !== null
  );
}

/** The resume key of a bound record: its kind, file, budget and setting. */
export function boundKey(file: string, budget: string, setting: BoundSetting): string {
  return canonicalJson({ kind: BOUND_KIND, file, budget, setting });
}

/** Keys of the bound records of `lines` that are final (everything but `error`). */
export function doneBoundKeys(lines: readonly unknown[]): Set<string> {
  const done = new Set<string>();
  for (const line of lines)
    if (isBoundLine(line) && line.status !== "error")
      done.add(boundKey(line.file, line.budget, line.setting as BoundSetting));
  return done;
}

/** The (file, budget) pairs of the batch's settings, once each, in order. */
export function boundPairs(settings: Iterable<JobSetting>): { file: string; budget: string }[] {
  const seen = new Set<string>();
  const pairs: { file: string; budget: string }[] = [];
  for (const { file, budget } of settings) {
    const key = canonicalJson([file, budget]);
    if (seen.has(key)) continue;
    seen.add(key);
    pairs.push({ file, budget });
  }
  return pairs;
}

/**
 * Computes and appends the bound record of every pair not in `done`, one at a time.
 * @returns the records written
 */
export async function runBoundJobs(
  pairs: readonly { file: string; budget: string }[],
  setting: BoundSetting,
  done: ReadonlySet<string>,
  out: string,
  io: CommandIo,
): Promise<BoundLine[]> {
  const written: BoundLine[] = [];
  const todo = pairs.filter(({ file, budget }) => !done.has(boundKey(file, budget, setting)));
  for (const [index, { file, budget }] of todo.entries()) {
    const line = await boundRecord(file, budget, setting);
    if (await appendLogLine(out, JSON.stringify(line)))
      io.err(`remat batch: ${out} ended in a torn line; it is kept as a line of its own`);
    written.push(line);
    io.err(`bound ${index + 1}/${todo.length} ${file} ${budget}: ${line.status}`);
  }
  return written;
}

/** The bound record of one pair (an `error` record when the instance or the budget fails). */
async function boundRecord(file: string, budget: string, setting: BoundSetting): Promise<BoundLine> {
  const started = performance.now();
  const head = { kind: BOUND_KIND, file, budget } as const;
  try {
    const instance = await loadInstance(file);
    const bytes = resolveBudget(instance, budget, "--budgets");
    const best = await bestBoundAtBudget(instance, bytes, setting.lp, setting.timeLimitSec ?? Infinity);
    const { status, valueMs, over, method, sumOfTimesMs, parts } = best;
    return {
      ...head,
      instance: instance.name,
      budgetBytes: bytes,
      status,
      ...(valueMs === undefined ? {} : { valueMs, over, method }),
      sumOfTimesMs,
      parts,
      wallMs: performance.now() - started,
      setting,
    } as BoundLine;
  } catch (error: unknown) {
    return {
      ...head,
      status: "error",
      reason: describeValue((error as Error).message),
      wallMs: performance.now() - started,
      setting,
    };
  }
}
