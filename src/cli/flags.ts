/**
 * Library errors name library fields (`budget`, `timeLimitSec`, `extra.spanWork`); the CLI shows them as
 * the flags a user typed (`--budget`, `--time-limit`, `--extra spanWork`, `hardware.bandwidth` as
 * `--bandwidth`).
 */
import { InputError } from "../errors.js";

/** Library option fields and the CLI flags that set them. */
const FLAGS: Readonly<Record<string, string>> = {
  solver: "--solver",
  budget: "--budget",
  objective: "--objective",
  slots: "--slots",
  timeLimitSec: "--time-limit",
  checkpoints: "--checkpoints",
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

/** The flag for a library path (`checkpoints[2]` -> `--checkpoints[2]`, `extra.k` -> `--extra k`). */
export function flagPath(path: string): string {
  if (path.startsWith("extra.")) return `--extra ${path.slice("extra.".length)}`;
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
