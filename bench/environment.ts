/** What every benchmark records about where it ran: Node version, machine, commit, date. */
import { execSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";

export interface BenchEnvironment {
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly commit: string;
  readonly date: string;
}

/** Describes this machine and the current commit. */
export function benchEnvironment(): BenchEnvironment {
  let commit = "unknown";
  try {
    commit = execSync("git rev-parse --short HEAD", {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    // not a git checkout: keep "unknown"
  }
  return {
    node: process.version,
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    commit,
    date: new Date().toISOString(),
  };
}

/** Writes `bench/results/NAME.json` and `NAME.md`. */
export function writeBenchResults(name: string, json: unknown, markdown: string): void {
  const folder = new URL("./results/", import.meta.url);
  writeFileSync(new URL(`${name}.json`, folder), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(new URL(`${name}.md`, folder), markdown);
}

export { median } from "../src/simulate/median.js";
