/**
 * File output for the CLI: whole files are written to a temporary name and renamed, so a crash never
 * leaves half a file; results logs (`.jsonl`) are only ever appended to.
 */
import { appendFile, rename, writeFile } from "node:fs/promises";

/** Writes `text` to `path` atomically (temporary file in the same folder, then rename). */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, text, "utf8");
  await rename(temporary, path);
}

/** Appends one JSON line to a results log, creating it if needed; never truncates. */
export async function appendJsonLine(path: string, value: unknown): Promise<void> {
  await appendFile(path, `${JSON.stringify(value)}\n`, "utf8");
}

/** Writes a result: appended as one line to `.jsonl` logs, otherwise written atomically as pretty JSON. */
export async function writeResult(path: string, value: unknown): Promise<void> {
  if (path.endsWith(".jsonl")) await appendJsonLine(path, value);
  else await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
