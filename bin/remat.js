#!/usr/bin/env node
// The remat command: runs the compiled CLI (built by `npm install` through the prepare script).
import { existsSync } from "node:fs";

const entry = new URL("../dist/src/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    "remat: the compiled CLI is missing; run `npm install` (or `npm run build`) in the remat folder\n",
  );
  process.exit(1);
}
const { runCli } = await import(entry.href);
const io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  ...(process.stderr.isTTY ? { tty: process.stderr } : {}),
};
process.exitCode = await runCli(process.argv.slice(2), io);
