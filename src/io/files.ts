/**
 * File output for the CLI: whole files are written to a temporary name and renamed, so a crash never
 * leaves half a file and a failure never leaves the temporary behind; results logs (`.jsonl`) are only
 * ever appended to, each append first completing a torn last line so that records never glue together.
 */
import { open, rename, rm, writeFile } from "node:fs/promises";
import { resolve } from "node:path";

/**
 * Writes `text` to `path` atomically: to a temporary file in the same folder, then renamed over `path`.
 * On any failure the temporary file is removed and the error is rethrown.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(temporary, text, "utf8");
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true, recursive: true }).catch(() => undefined);
    throw error;
  }
}

/** The append in progress per log (resolved path): appends from one process run one after another. */
const appending = new Map<string, Promise<boolean>>();

/**
 * Appends `line` (without its newline) to a log, creating the log if needed; never truncates. When the
 * log does not end with a newline (a record torn by a killed writer), a newline is written first, so
 * the torn record stays a line of its own and the new one starts a line. Appends to one log from one
 * process (batch lanes, bound records) are queued: Node writes a long line in several chunks, so two
 * appends running at once could interleave their chunks and tear both lines. Other processes are kept
 * out by the log's lock (src/io/log-lock.ts).
 * @returns whether a torn last line was completed
 */
export function appendLogLine(path: string, line: string): Promise<boolean> {
  const key = resolve(path);
  const before = appending.get(key) ?? Promise.resolve(false);
  const run = before.then(
    () => appendNow(path, line),
    () => appendNow(path, line),
  );
  appending.set(key, run);
  const forget = () => {
    if (appending.get(key) === run) appending.delete(key);
  };
  run.then(forget, forget);
  return run;
}

async function appendNow(path: string, line: string): Promise<boolean> {
  const handle = await open(path, "a+");
  try {
    const { size } = await handle.stat();
    let torn = false;
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      torn = last[0] !== 0x0a;
    }
    await handle.appendFile(`${torn ? "\n" : ""}${line}\n`, "utf8");
    return torn;
  } finally {
    await handle.close();
  }
}
