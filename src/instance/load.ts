/**
 * loadInstance: reads an instance file and validates it. The only file access in the core. Node's `fs` is
 * reached through `process.getBuiltinModule` (Node 20.16 and later), not through an import, so that the
 * core has no Node module for a bundler to find: it bundles for a browser or a worker as it is, and there
 * `loadInstance` reports that it has no file system (fetch the JSON and call `parseInstance` instead).
 */
import { InputError } from "../errors.js";
import { parseInstance } from "./parse.js";
import type { Instance } from "./types.js";

/**
 * Reads, parses and validates the instance at `path`.
 * @throws InputError (code `file` or `json`, or any validation issue) naming the file
 */
export async function loadInstance(path: string): Promise<Instance> {
  return parseInstance(await readJson(path, "loadInstance"), path);
}

/** The UTF-8 byte-order mark, as JSON.parse sees it after decoding: U+FEFF. */
const BYTE_ORDER_MARK = "\uFEFF";

/**
 * Reads a JSON file. One leading byte-order mark (which some Windows editors write) is dropped
 * first, as RFC 8259 section 8.1 allows parsers to do; JSON.parse would call it an unexpected token.
 * @throws InputError (code `file` when it cannot be read, `json` when it does not parse) naming the file
 */
export async function readJson(path: string, site: string): Promise<unknown> {
  const fs = globalThis.process?.getBuiltinModule?.("fs/promises");
  if (fs === undefined)
    throw new InputError(
      site,
      [
        {
          code: "file",
          path: "",
          expected:
            "a readable file (files are read in Node only; elsewhere pass the parsed JSON to parseInstance)",
          received: "no file system here",
        },
      ],
      path,
    );
  let text: string;
  try {
    text = await fs.readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new InputError(
      site,
      [
        {
          code: "file",
          path: "",
          expected: "a readable file",
          received: code === "ENOENT" ? "no such file" : code,
        },
      ],
      path,
    );
  }
  if (text.startsWith(BYTE_ORDER_MARK)) text = text.slice(BYTE_ORDER_MARK.length);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(
      site,
      [{ code: "json", path: "", expected: "valid JSON", received: (error as Error).message }],
      path,
    );
  }
}
