/**
 * Instance files from a command-line argument: a folder (every .json below it, but schema.json), a
 * glob with `*`, `**` and `?` (relative, `../`-relative or absolute), or a comma-separated list of any
 * of these. Sorted, without duplicates. Entries that cannot be read (a dangling symlink, a folder
 * without permission) are reported through `warn`, one line each, and skipped.
 */
import { readdirSync, statSync } from "node:fs";
import { join, posix, sep } from "node:path";
import { InputError } from "../errors.js";

/** Calls `warn` with one line for an entry that cannot be read. */
type Warn = (text: string) => void;

/**
 * Files below `folder`, at most `depth` levels down (1: its own entries), through an explicit stack.
 * Symlinks are followed; a folder reached twice (a symlink loop) is walked once. Entries that cannot be
 * read are passed to `skip` with the reason.
 */
function walk(folder: string, depth: number, skip: (path: string, reason: string) => void): string[] {
  const files: string[] = [];
  const seen = new Set<string>();
  const stack: [string, number][] = [[folder, 0]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [path, level] = item;
    const names = readFolderOnce(path, seen, skip);
    if (names === undefined) continue;
    for (const name of names.sort().reverse()) {
      const child = join(path, name);
      const isFolder = isFolderOrSkip(child, skip);
      if (isFolder === undefined) continue;
      if (!isFolder) files.push(child);
      else if (level + 1 < depth) stack.push([child, level + 1]);
    }
  }
  return files;
}

/**
 * The entry names of folder `path`; undefined when the folder was read before (`seen` holds the
 * `dev:ino` of every folder read) or cannot be read (then it is passed to `skip`).
 */
function readFolderOnce(
  path: string,
  seen: Set<string>,
  skip: (path: string, reason: string) => void,
): string[] | undefined {
  try {
    const stats = statSync(path);
    const identity = `${stats.dev}:${stats.ino}`;
    if (seen.has(identity)) return undefined;
    seen.add(identity);
    return readdirSync(path);
  } catch (error) {
    skip(path, reasonOf(error));
    return undefined;
  }
}

/** Whether `path` is a folder (following symlinks); undefined when it cannot be read (passed to `skip`). */
function isFolderOrSkip(path: string, skip: (path: string, reason: string) => void): boolean | undefined {
  try {
    return statSync(path).isDirectory();
  } catch (error) {
    skip(path, reasonOf(error));
    return undefined;
  }
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "a dangling symlink (its target does not exist)";
  if (code === "EACCES" || code === "EPERM") return "no permission to read it";
  if (code === "ELOOP") return "a symlink loop";
  return (error as Error).message;
}

/** A regular expression for a glob: `**` any folders, `*` any name part, `?` one character. */
function globPattern(glob: string): RegExp {
  let pattern = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (char === "*" && glob[i + 1] === "*") {
      pattern += glob[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += glob[i + 2] === "/" ? 2 : 1;
    } else if (char === "*") pattern += "[^/]*";
    else if (char === "?") pattern += "[^/]";
    else pattern += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${pattern}$`);
}

/** The `skip` of a walk: one warning line per entry that cannot be read. */
const skipper = (warn: Warn) => (path: string, reason: string) =>
  warn(`remat batch: warning: skipping ${path}: ${reason}`);

const isInstanceFile = (path: string) => path.endsWith(".json") && !path.endsWith("schema.json");
const asPosix = (path: string) => path.split(sep).join("/");

/** Files a glob matches: walked from its literal folder, as deep as its pattern reaches. */
function expandGlob(part: string, warn: Warn): string[] {
  const glob = posix.normalize(asPosix(part));
  const wildcard = glob.search(/[*?]/);
  const slash = glob.lastIndexOf("/", wildcard);
  const base = slash < 0 ? "." : glob.slice(0, slash + 1);
  const rest = slash < 0 ? glob : glob.slice(slash + 1);
  const depth = rest.includes("**") ? Number.POSITIVE_INFINITY : rest.split("/").length;
  const pattern = globPattern(glob);
  return walk(base, depth, skipper(warn)).filter((path) => pattern.test(asPosix(path)));
}

/** What `part` is on disk: a folder, a file, or nothing readable. */
function kindOf(part: string): "folder" | "file" | undefined {
  try {
    return statSync(part).isDirectory() ? "folder" : "file";
  } catch {
    return undefined;
  }
}

/**
 * Expands `spec` into instance files.
 * @param warn receives one line for each entry that cannot be read (it is skipped)
 * @param option the option the spec came from, for errors
 * @throws InputError (code `file`) when a part matches nothing
 */
export function expandInstanceFiles(spec: string, warn: Warn, option = "--instances"): string[] {
  const files = new Set<string>();
  for (const part of spec
    .split(",")
    .map((text) => text.trim())
    .filter((text) => text !== "")) {
    let matched: string[];
    if (/[*?]/.test(part)) matched = expandGlob(part, warn);
    else {
      const kind = kindOf(part);
      matched =
        kind === "folder"
          ? walk(part, Number.POSITIVE_INFINITY, skipper(warn)).filter(isInstanceFile)
          : kind === "file"
            ? [part]
            : [];
    }
    if (matched.length === 0)
      throw new InputError("remat batch", [
        {
          code: "file",
          path: option,
          expected: "a folder, file or glob that matches instance files",
          received: JSON.stringify(part),
        },
      ]);
    for (const path of matched) files.add(path);
  }
  return [...files].sort();
}
