/**
 * What every benchmark records about where it ran: Node version, machine, commit, whether the working
 * tree had uncommitted changes (then the commit alone does not say what ran), date, and the machine's
 * load (1-minute load average) when it started, so figures measured on a busy machine can be told apart.
 */
import { execSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";

export interface BenchEnvironment {
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly commit: string;
  /** True when the working tree differed from the commit (tracked files changed). */
  readonly dirty: boolean | null;
  readonly date: string;
  /** 1-minute load average when the benchmark started. */
  readonly loadAverage: number;
}

function git(args: string): string | null {
  try {
    return execSync(`git ${args}`, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null; // not a git checkout
  }
}

/** Describes this machine, the current commit and the load now. */
export function benchEnvironment(): BenchEnvironment {
  const status = git("status --porcelain --untracked-files=no");
  return {
    node: process.version,
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    commit: git("rev-parse --short HEAD") ?? "unknown",
    dirty: status === null ? null : status !== "",
    date: new Date().toISOString(),
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** The 1-minute load average now (for benchmarks that also record it at the end). */
export function loadAverageNow(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}

/** Writes `bench/results/NAME.json` and `NAME.md`. */
export function writeBenchResults(name: string, json: unknown, markdown: string): void {
  const folder = new URL("./results/", import.meta.url);
  writeFileSync(new URL(`${name}.json`, folder), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(new URL(`${name}.md`, folder), markdown);
}

export { median } from "../src/simulate/median.js";
