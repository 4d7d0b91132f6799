/**
 * Library errors name library fields (`budget`, `timeLimitSec`, `extra.spanWork`); the CLI shows them as
 * the flags a user typed (`--budget`, `--time-limit`, `--extra spanWork`, `hardware.bandwidth` as
 * `--bandwidth`).
 */
import { describeValue, InputError } from "../errors.js";

/** Library option fields and the CLI flags that set them. */
const FLAGS: Readonly<Record<string, string>> = {
  solver: "--solver",
  budget: "--budget",
  objective: "--objective",
  slots: "--slots",
  timeLimitSec: "--time-limit",
  checkpoints: "--checkpoints",
  storage: "--storage",
  extra: "--extra",
};

/**
 * The fields of the library's `hardware` option and the flags that set them. Only option issues
 * (code `option`) are renamed: an instance file's own `hardware` block keeps its JSON path.
 */
const HARDWARE_FLAGS: Readonly<Record<string, string>> = {
  hardware: "--hardware",
  "hardware.preset": "--hardware",
  "hardware.bandwidth": "--bandwidth",
  "hardware.latency": "--latency",
};

/**
 * Solver switches that have a flag of their own: `--lp X` sets the switch `lp` (the LP/MILP backend of
 * the solvers that use src/lp/: highs, glpk or jslp), which the solver's own table then checks.
 */
export const SWITCH_FLAGS: Readonly<Record<string, string>> = { lp: "--lp" };

/** The parseArgs options of {@link SWITCH_FLAGS} (each takes a value). */
export const SWITCH_FLAG_OPTIONS = Object.fromEntries(
  Object.values(SWITCH_FLAGS).map((flag) => [flag.slice(2), { type: "string" as const }]),
);

/**
 * `extra` with the switches given by their own flags (`values` as parsed).
 * @throws InputError (code `option`) when a switch is given both ways, naming the flag
 */
export function withSwitchFlags(
  site: string,
  values: Readonly<Record<string, unknown>>,
  extra: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...extra };
  for (const [key, flag] of Object.entries(SWITCH_FLAGS)) {
    const value = values[flag.slice(2)];
    if (typeof value !== "string") continue;
    if (key in extra)
      throw new InputError(site, [
        {
          code: "option",
          path: flag,
          expected: `${flag} or --extra ${key}, not both`,
          received: describeValue(value),
        },
      ]);
    merged[key] = value;
  }
  return merged;
}

/** The flag for a library path (`checkpoints[2]` -> `--checkpoints[2]`, `extra.k` -> `--extra k`, `extra.lp` -> `--lp`). */
export function flagPath(path: string): string {
  if (path.startsWith("extra.")) {
    const key = path.slice("extra.".length);
    return SWITCH_FLAGS[key] ?? `--extra ${key}`;
  }
  const hardwareFlag = HARDWARE_FLAGS[path];
  if (hardwareFlag !== undefined) return hardwareFlag;
  const match = /^([A-Za-z]+)(.*)$/.exec(path);
  const flag = match === null ? undefined : FLAGS[match[1] as string];
  return flag === undefined ? path : `${flag}${match?.[2] ?? ""}`;
}

/** `error` with option paths shown as CLI flags (instance paths such as `nodes[3].bytes` unchanged). */
export function withFlagPaths(error: InputError): InputError {
  return new InputError(
    error.site,
    error.issues.map((issue) =>
      issue.code === "option" || issue.path in FLAGS ? { ...issue, path: flagPath(issue.path) } : issue,
    ),
    error.file,
  );
}
