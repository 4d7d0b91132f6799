/**
 * Instance files from a command-line argument: a folder (every .json below it, but schema.json), a
 * glob with `*`, `**` and `?`, or a comma-separated list of any of these. Sorted, without duplicates.
 */
import { readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { InputError } from "../errors.js";

function walk(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
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

/** Expands `spec` into instance files. @throws InputError when a part matches nothing */
export function expandInstanceFiles(spec: string, option = "--instances"): string[] {
  const files = new Set<string>();
  for (const part of spec
    .split(",")
    .map((text) => text.trim())
    .filter((text) => text !== "")) {
    let matched: string[];
    if (!/[*?]/.test(part)) {
      const isFolder = (() => {
        try {
          return statSync(part).isDirectory();
        } catch {
          return false;
        }
      })();
      matched = isFolder
        ? walk(part).filter((path) => path.endsWith(".json") && !path.endsWith("schema.json"))
        : [part];
    } else {
      const base = part.slice(0, part.search(/[*?]/)).replace(/[^/]*$/, "") || ".";
      const pattern = globPattern(part.startsWith("./") ? part.slice(2) : part);
      let candidates: string[] = [];
      try {
        candidates = walk(base);
      } catch {
        candidates = [];
      }
      matched = candidates.filter((path) => pattern.test(relative(".", path).split(sep).join("/")));
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
