/**
 * Results logs (`.jsonl`), the one line shape that `remat solve --out X.jsonl` and `remat batch` append,
 * and how a log is read back for a resume.
 *
 * A line is a result (or a failure: `status` `error`, `rejected`, or `timeout` with `stopped: true` when
 * the batch stopped the worker) plus `file`, `budget` as written, `solver` and `setting`, the rest of
 * what decides the answer: objective, slots, time limit, extra switches, checkpoints, the host link
 * asked for and the storage modes allowed (absent for none, so older lines keep their keys), with defaults filled in. A resume matches lines on the whole setting, so a rerun with other
 * `--slots`, `--extra` or `--hardware` runs again. Lines that do not parse (records torn by a killed
 * writer) are kept where they are and counted; lines of another shape are counted and ignored.
 */
import { existsSync, readFileSync } from "node:fs";
import { normalize } from "node:path";
import { findSolver } from "../../solvers/registry.js";
import { DEFAULT_SLOTS } from "../../solvers/solve.js";
import { type StorageChoice, storageModes } from "../../solvers/storage-option.js";
import { InputError } from "../errors.js";
import { type HardwareChoice, type LinkSetting, linkSetting } from "../hardware/link.js";
import type { StorageMode } from "../instance/types.js";
import { appendLogLine, writeFileAtomic } from "../io/files.js";
import { acquireLogLock } from "../io/log-lock.js";
import type { Objective } from "../optimality.js";
import { parseSwitches } from "../options.js";
import type { Solver } from "../solver.js";

/** Everything that decides a solve's answer: the key a resume matches on. */
export interface JobSetting {
  /** The instance file, as given (normalized: `./a/b.json` is `a/b.json`). */
  readonly file: string;
  readonly solver: string;
  /** The budget as written (`50%`, `1.5GB`, `none`). */
  readonly budget: string;
  readonly objective: Objective;
  /** null for solvers that do not read slots. */
  readonly slots: number | null;
  /** Seconds, null for none. */
  readonly timeLimitSec: number | null;
  /** The solver's switches (`--extra`, `--pareto`), every default filled in (the result's `options.extra`). */
  readonly extra: Readonly<Record<string, unknown>>;
  /** null for solvers that do not read checkpoints. */
  readonly checkpoints: readonly string[] | null;
  /**
   * The host link asked for (`--hardware`, `--bandwidth`, `--latency`), normalized without the instance
   * (a preset's figures filled in, overrides applied: src/hardware/link.ts); null for none given (the
   * instance's own block). Lines written before links could be chosen read as null.
   */
  readonly hardware: LinkSetting | null;
  /** The storage modes allowed (`--storage`), in the order of STORAGE_MODES; absent for none. */
  readonly storage?: readonly StorageMode[];
}

/** The solve options a setting is made from (the shape `solve` takes, budget as text). */
export interface SettingInput {
  readonly solver: string;
  readonly budget: string;
  readonly objective?: Objective;
  readonly slots?: number;
  readonly timeLimitSec?: number;
  readonly extra?: Readonly<Record<string, unknown>>;
  readonly checkpoints?: readonly string[];
  readonly hardware?: HardwareChoice;
  readonly storage?: StorageChoice;
}

/**
 * The full setting of a solve of `file`, defaults filled in as `solve` fills them (the solver's first
 * objective, DEFAULT_SLOTS for solvers that read slots, every switch of its table, no time limit), so it
 * equals the result's `options` and a resume matches whatever way the defaults were written. One field
 * differs: `hardware` is the link asked for (known before the instance is read), where the result's
 * `options.hardware` is the link in force.
 * @throws InputError for an unknown solver, a bad switch or a bad link choice
 */
export function jobSetting(file: string, input: SettingInput): JobSetting {
  const solver = findSolver(input.solver);
  const timeLimitSec = input.timeLimitSec ?? null;
  return {
    file: normalize(file),
    solver: input.solver,
    budget: input.budget.trim(),
    objective: input.objective ?? (solver.objectives[0] as Objective),
    slots: solver.reads.includes("slots") ? (input.slots ?? DEFAULT_SLOTS) : null,
    timeLimitSec: timeLimitSec !== null && Number.isFinite(timeLimitSec) ? timeLimitSec : null,
    extra: parseSwitches(solver.switches, input.extra, solver.name),
    checkpoints: solver.reads.includes("checkpoints") ? (input.checkpoints ?? null) : null,
    hardware: input.hardware === undefined ? null : linkSetting(input.hardware, "jobSetting"),
    ...storageSetting(solver, input.storage),
  };
}

/** `{ storage }` with the modes of `choice`, `{}` for none. @throws InputError for a mode refused */
function storageSetting(solver: Solver, choice: StorageChoice | undefined): Pick<JobSetting, "storage"> {
  const { modes, issues } = storageModes(solver, choice);
  if (issues.length > 0) throw new InputError("jobSetting", issues);
  return modes.length === 0 ? {} : { storage: modes };
}

/** JSON with the keys of every object sorted, so equal settings give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/** The resume key of a setting: its canonical JSON. */
export function settingKey(setting: JobSetting): string {
  return canonicalJson(setting);
}

/** What a job gave: a result (any object with `status`), or a failure of the batch's own making. */
export type Outcome =
  | { readonly status: string }
  | { readonly status: "error" | "rejected"; readonly reason: string }
  | { readonly status: "timeout"; readonly stopped: true; readonly reason: string };

/** A log line: the outcome plus `file`, `budget`, `solver` and the `setting` it was solved with. */
export type LogLine = Readonly<Record<string, unknown>> & {
  readonly file: string;
  readonly budget: string;
  readonly solver: string;
  readonly status: string;
  readonly setting: Omit<JobSetting, "file" | "solver" | "budget">;
};

/** Builds the log line of `outcome` for `setting` (the one shape both commands write). */
export function logLine(setting: JobSetting, outcome: Outcome): LogLine {
  const { file, solver, budget, ...rest } = setting;
  return { file, budget, ...outcome, solver, setting: rest };
}

/** Whether a line's outcome is final: an answer, or a solver's own timeout within its limit. */
export function isDone(line: Pick<LogLine, "status"> & { readonly stopped?: unknown }): boolean {
  if (line.status === "timeout") return line.stopped !== true;
  return line.status === "optimal" || line.status === "feasible" || line.status === "infeasible";
}

/** A log read back. */
export interface ResultsLog {
  /** Lines of the log-line shape, in order. */
  readonly lines: readonly LogLine[];
  /** Lines that are not JSON (records torn by a killed writer), left in place. */
  readonly unparsable: number;
  /** JSON lines of another shape (older logs, other tools), left in place and not matched. */
  readonly foreign: number;
  /** Bound records (`"kind": "bound"`, `remat batch --bound`: src/cli/batch-bounds.ts), in order. */
  readonly bounds: readonly Readonly<Record<string, unknown>>[];
}

/** Reads a results log (an absent log is empty). */
export function readResultsLog(path: string): ResultsLog {
  const lines: LogLine[] = [];
  let unparsable = 0;
  let foreign = 0;
  const bounds: Record<string, unknown>[] = [];
  if (!existsSync(path)) return { lines, unparsable, foreign, bounds };
  for (const text of readFileSync(path, "utf8").split("\n")) {
    if (text.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      unparsable++;
      continue;
    }
    if (isLogLine(value)) lines.push(value);
    else if (isBoundRecord(value)) bounds.push(value);
    else foreign++;
  }
  return { lines, unparsable, foreign, bounds };
}

/** The setting a log line was solved with. */
export function settingOfLine(line: LogLine): JobSetting {
  const { objective, slots, timeLimitSec, extra, checkpoints, hardware, storage } = line.setting;
  return {
    file: line.file,
    solver: line.solver,
    budget: line.budget,
    objective,
    slots,
    timeLimitSec,
    extra,
    checkpoints,
    hardware: hardware ?? null,
    ...(Array.isArray(storage) && storage.length > 0 ? { storage } : {}),
  };
}

/** What a resume skips and what it runs again. */
export interface ResumeState {
  /** Keys of the settings to skip. */
  readonly done: ReadonlySet<string>;
  /** Keys of settings whose only lines are failures (run again unless retries are off). */
  readonly failed: ReadonlySet<string>;
}

/** Splits a log's settings into done and failed; with `retry` false a failure counts as done. */
export function resumeState(log: ResultsLog, retry: boolean): ResumeState {
  const done = new Set<string>();
  const failed = new Set<string>();
  for (const line of log.lines) {
    const key = settingKey(settingOfLine(line));
    if (isDone(line) || !retry) done.add(key);
    else failed.add(key);
  }
  for (const key of done) failed.delete(key);
  return { done, failed };
}

/**
 * Writes a solve's output: appended as one log line to a `.jsonl` log (holding its lock meanwhile),
 * otherwise the result alone written whole as pretty JSON (temporary file, then rename).
 * @throws InputError when another process holds the log's lock
 */
export async function writeSolveOutput(
  path: string,
  setting: JobSetting,
  result: Outcome,
  note: (text: string) => void,
): Promise<void> {
  if (!path.endsWith(".jsonl")) {
    await writeFileAtomic(path, `${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const lock = acquireLogLock("remat solve", path, note);
  try {
    if (await appendLogLine(path, JSON.stringify(logLine(setting, result))))
      note(`remat solve: ${path} ended in a torn line; it is kept as a line of its own`);
  } finally {
    lock.release();
  }
}

/** Whether a JSON value is a bound record's object (its fields are checked by src/cli/batch-bounds.ts). */
function isBoundRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "bound";
}

function isLogLine(value: unknown): value is LogLine {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const line = value as Record<string, unknown>;
  const setting = line.setting as Record<string, unknown> | undefined;
  return (
    typeof line.file === "string" &&
    typeof line.solver === "string" &&
    typeof line.budget === "string" &&
    typeof line.status === "string" &&
    typeof setting === "object" &&
    setting !== null &&
    typeof setting.objective === "string" &&
    (setting.slots === null || typeof setting.slots === "number") &&
    (setting.timeLimitSec === null || typeof setting.timeLimitSec === "number") &&
    typeof setting.extra === "object" &&
    setting.extra !== null &&
    (setting.checkpoints === null || Array.isArray(setting.checkpoints)) &&
    isLinkSettingOrAbsent(setting.hardware)
  );
}

/** Whether a line's `setting.hardware` is a link setting, null, or absent (a line from before links). */
function isLinkSettingOrAbsent(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value !== "object" || Array.isArray(value)) return false;
  const link = value as Record<string, unknown>;
  return (
    (link.preset === null || typeof link.preset === "string") &&
    (link.bandwidth === null || typeof link.bandwidth === "number") &&
    (link.latency === null || typeof link.latency === "number")
  );
}
