/**
 * Output paths checked before any work starts: a command that will write a file refuses at once, with
 * the path and what is wrong, an output that is a folder, lies in a missing folder, or cannot be
 * written, instead of failing after the work with the operating system's message.
 */
import { accessSync, constants, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { InputError } from "../errors.js";

/** What is wrong with an output path, or undefined when a file can be written there. */
export function outputPathProblem(path: string): string | undefined {
  if (path === "") return "an empty path";
  const target = statOrUndefined(path);
  if (target?.isDirectory()) return "a folder, not a file";
  const folder = dirname(resolve(path));
  const parent = statOrUndefined(folder);
  if (parent === undefined) return `a path in a missing folder (${folder} does not exist)`;
  if (!parent.isDirectory()) return `a path under ${folder}, which is not a folder`;
  try {
    // The file itself when it exists (it is appended to or replaced); the folder holds the temporary file.
    if (target !== undefined) accessSync(path, constants.W_OK);
    accessSync(folder, constants.W_OK);
  } catch {
    return target === undefined
      ? `a path in a folder this user cannot write to (${folder})`
      : "a file this user cannot write to";
  }
  return undefined;
}

/**
 * Checks that `path` can be written as an output file.
 * @param site the command, e.g. `remat solve`
 * @param option the option that gave the path, e.g. `--out`
 * @throws InputError (code `file`, path `option`) naming the path and what is wrong
 */
export function checkOutputPath(site: string, path: string, option = "--out"): void {
  const problem = outputPathProblem(path);
  if (problem !== undefined)
    throw new InputError(site, [
      {
        code: "file",
        path: option,
        expected: "a file that can be written",
        received: `${JSON.stringify(path)}, ${problem}`,
      },
    ]);
}

/**
 * Checks that `path` can hold output files: an existing writable folder, or a path whose nearest
 * existing ancestor is a writable folder (the command creates the rest).
 * @throws InputError (code `file`, path `option`) naming the path and what is wrong
 */
export function checkOutputFolder(site: string, path: string, option = "--out-dir"): void {
  let existing = resolve(path);
  let stats = statOrUndefined(existing);
  while (stats === undefined && dirname(existing) !== existing) {
    existing = dirname(existing);
    stats = statOrUndefined(existing);
  }
  let problem: string | undefined;
  if (stats === undefined || !stats.isDirectory())
    problem =
      existing === resolve(path) ? "a file, not a folder" : `a path under ${existing}, which is not a folder`;
  else {
    try {
      accessSync(existing, constants.W_OK);
    } catch {
      problem = `a path in a folder this user cannot write to (${existing})`;
    }
  }
  if (problem !== undefined)
    throw new InputError(site, [
      {
        code: "file",
        path: option,
        expected: "a folder that can be written",
        received: `${JSON.stringify(path)}, ${problem}`,
      },
    ]);
}

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
