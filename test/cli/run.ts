/** Running the CLI in tests: in-process through runCli, or as the installed bin in a child process. */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../../src/cli/main.js";

/** The repository root (the tests run from it). */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The compiled bin, as `npx remat` runs it. */
export const BIN = join(ROOT, "bin", "remat.js");

/** What a run of the CLI gave. */
export interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `remat ARGS` in this process, capturing what it prints. */
export async function cli(...args: string[]): Promise<Run> {
  let out = "";
  let err = "";
  const code = await runCli(args, {
    out: (text) => {
      out += `${text}\n`;
    },
    err: (text) => {
      err += `${text}\n`;
    },
  });
  return { code, out, err };
}

/** Runs `node bin/remat.js ARGS` in a child process (from `cwd`, default the repository root). */
export function bin(
  args: readonly string[],
  options: { cwd?: string; uid?: number; gid?: number } = {},
): Run {
  const child = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    cwd: options.cwd ?? ROOT,
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
  });
  return { code: child.status ?? -1, out: child.stdout, err: child.stderr };
}

/** A fresh temporary folder. */
export function tempFolder(prefix = "remat-cli-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
