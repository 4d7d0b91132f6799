/** Shared test helpers: loading the bundled example instances. */
import { readFileSync } from "node:fs";
import { parseInstance } from "../src/instance/parse.js";
import type { Instance } from "../src/instance/types.js";
import { parseSchedule } from "../src/schedule/text.js";
import type { Schedule } from "../src/schedule/types.js";

/** Reads instances/examples/NAME.json. */
export function example(name: string): Instance {
  const path = new URL(`../instances/examples/${name}.json`, import.meta.url);
  return parseInstance(JSON.parse(readFileSync(path, "utf8")), path.pathname);
}

/** A schedule from its text form. */
export function text(...lines: string[]): Schedule {
  return parseSchedule(lines);
}
