/**
 * Output paths are checked before any work starts: `--out` that is a folder, lies in a missing folder
 * or cannot be written gives exit 2 naming the path and what is wrong, for every command that writes
 * one; and a failed atomic write leaves no temporary file behind.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeFileAtomic } from "../../src/io/files.js";
import { bin, cli, type Run, tempFolder } from "./run.js";

const chain = "instances/examples/chain.json";
const folder = tempFolder("remat-out-");

/** Each command that writes `--out`, with arguments that would otherwise do work (or fail on their input later). */
const COMMANDS: readonly [string, (out: string) => string[]][] = [
  ["solve", (out) => ["solve", join(folder, "absent.json"), "--solver", "store-all", "--out", out]],
  [
    "batch",
    (out) => ["batch", "--instances", chain, "--budgets", "100%", "--solvers", "store-all", "--out", out],
  ],
  ["plot", (out) => ["plot", join(folder, "absent.jsonl"), "--out", out]],
  ["zoo generate", (out) => ["zoo", "generate", "mlp", "--out", out]],
  ["profile", (out) => ["profile", "--model", "mlp", "--batch", "2", "--out", out]],
];

/** Exit 2, one message naming `--out` and the path, no stack trace and no work reported. */
function expectRefused(run: Run, path: string, problem: RegExp, label: string): void {
  expect(run.code, label).toBe(2);
  expect(run.err, label).toContain("--out");
  expect(run.err, label).toContain(path);
  expect(run.err, label).toMatch(problem);
  expect(run.err, label).not.toMatch(/EISDIR|ENOENT|EACCES|\.tmp|^\s+at /m);
  expect(run.err, label).not.toContain("[#");
  expect(run.out, label).not.toContain("wrote");
}

describe("output paths are checked before any work", () => {
  it("refuses --out that is a folder, naming it, with no temporary file left beside it", async () => {
    const target = join(folder, "a-folder");
    mkdirSync(target);
    for (const [label, args] of COMMANDS) expectRefused(await cli(...args(target)), target, /folder/, label);
    expect(readdirSync(folder).filter((name) => name.includes(".tmp"))).toEqual([]);
  });

  it("refuses --out in a missing folder, naming the folder", async () => {
    const missing = join(folder, "missing");
    const target = join(missing, "x.out");
    for (const [label, args] of COMMANDS) {
      const run = await cli(...args(target));
      expectRefused(run, target, /missing folder/, label);
      expect(run.err).toContain(`${missing} does not exist`);
    }
    expect(existsSync(missing)).toBe(false);
  });

  it("refuses --out in a folder the user cannot write to", () => {
    const locked = join(folder, "read-only");
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    // root may write anywhere: run the commands as the unprivileged user "nobody" then.
    const user = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    chmodSync(folder, 0o755);
    const target = join(locked, "x.out");
    for (const [label, args] of COMMANDS)
      expectRefused(bin(args(target), user), target, /cannot write/, label);
    expect(readdirSync(locked)).toEqual([]);
  });

  it("refuses --out-dir of zoo generate --all that is a file", async () => {
    const run = await cli("zoo", "generate", "--all", "--out-dir", join(process.cwd(), chain));
    expect(run.code).toBe(2);
    expect(run.err).toContain("--out-dir");
  });

  it("writeFileAtomic removes its temporary file when the rename fails", async () => {
    const target = join(folder, "rename-target");
    mkdirSync(target, { recursive: true });
    await expect(writeFileAtomic(target, "text")).rejects.toThrow();
    expect(readdirSync(folder).filter((name) => name.includes(".tmp"))).toEqual([]);
  });
});
