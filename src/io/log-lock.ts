/**
 * One writer at a time for a results log: the writer creates `LOG.lock` exclusively and writes its pid
 * into it, and removes it when done (also on exit and on SIGINT/SIGTERM). A lock whose pid is not a
 * live process (its writer was killed) is taken over, with a note. Two writers that find the same stale
 * lock at the same moment may both take it over; that race needs two kills and two restarts within
 * microseconds and is not guarded against.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { InputError } from "../errors.js";

/** A held lock. */
export interface LogLock {
  /** The lock file, `LOG.lock`. */
  readonly path: string;
  /** Removes the lock file (once; later calls do nothing). */
  readonly release: () => void;
}

/** The lock file of a log. */
export function lockPathOf(logPath: string): string {
  return `${logPath}.lock`;
}

/**
 * Takes the lock of `logPath`.
 * @param site the command, e.g. `remat batch`
 * @param note called with one sentence when a stale lock is taken over
 * @throws InputError (code `file`, path `--out`) when another live process holds the lock, naming the
 *   log, the lock and its pid
 */
export function acquireLogLock(site: string, logPath: string, note: (text: string) => void): LogLock {
  const path = lockPathOf(logPath);
  for (let attempt = 0; ; attempt++) {
    const fd = createExclusive(path);
    if (fd !== undefined) {
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return held(path);
    }
    const holder = readHolder(path);
    if (holder !== undefined && isAlive(holder)) {
      throw new InputError(site, [
        {
          code: "file",
          path: "--out",
          expected: `a log no other process is writing (remove ${path} if process ${holder} is not a remat writer)`,
          received: `${JSON.stringify(logPath)}, locked by ${path} held by running process ${holder}`,
        },
      ]);
    }
    if (attempt > 0)
      throw new InputError(site, [
        {
          code: "file",
          path: "--out",
          expected: "a log whose lock can be taken",
          received: `${JSON.stringify(logPath)}, whose lock ${path} could not be taken over`,
        },
      ]);
    note(
      `${site}: taking over ${path}: ${holder === undefined ? "it holds no pid" : `its process ${holder} is not running`}`,
    );
    try {
      unlinkSync(path);
    } catch {
      // removed meanwhile: the next attempt creates it
    }
  }
}

function createExclusive(path: string): number | undefined {
  try {
    return openSync(path, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return undefined;
    throw error;
  }
}

function readHolder(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a process with this pid is running (EPERM: it exists but belongs to another user). A zombie
 * (killed, not yet reaped: an orphan under an init that does not reap) is not running; Linux shows
 * it as state `Z` in /proc/PID/stat, elsewhere it counts as running.
 */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}

const SIGNALS = ["SIGINT", "SIGTERM"] as const;

function held(path: string): LogLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off("exit", release);
    for (const signal of SIGNALS) process.off(signal, onSignal);
    try {
      if (readHolder(path) === process.pid) unlinkSync(path);
    } catch {
      // already gone
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    release();
    process.kill(process.pid, signal);
  };
  process.on("exit", release);
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return { path, release };
}
