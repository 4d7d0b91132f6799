/** Reading a results log for `remat report` and `remat plot`: the file, its records, a warning for torn lines. */
import { readFileSync } from "node:fs";
import { InputError } from "../errors.js";
import { parseResultRecords, type ResultRecords } from "../report/records.js";
import type { CommandIo } from "./command.js";

/** The records of the log at `path`, warning about torn lines. @throws InputError for an unreadable or bad log */
export function readRecords(
  path: string,
  io: Pick<CommandIo, "err">,
  site = "remat report",
  hint = "",
): ResultRecords {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new InputError(
      site,
      [{ code: "file", path: "", expected: "a readable results log", received: "no such file" }],
      path,
    );
  }
  const log = parseResultRecords(text, path, site, hint);
  if (log.torn.count > 0)
    io.err(
      `${site}: warning: ${path}: skipped ${log.torn.count === 1 ? "1 line that is" : `${log.torn.count} lines that are`} not JSON (torn records?), first at line ${log.torn.first}`,
    );
  return log;
}
