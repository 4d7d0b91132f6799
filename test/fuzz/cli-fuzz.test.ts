/**
 * Fuzz suite: the CLI on a generated corpus of malformed instance files, schedule files and option
 * sets (test/fuzz/corpus.ts). Every case must exit 2 with a message that names the file (for file
 * inputs) and the offending JSON path or option, with no stack trace and no internal error. The cases
 * run in-process through runCli; a few also run through the real bin/remat.js (which runs dist/, so
 * `npm test` builds first) to show that the installed command says exactly the same.
 */
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { buildCorpus, type FuzzCase } from "./corpus.js";

const { folder, cases } = buildCorpus();
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function cli(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
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

/** How the message renders a path: `nodes[1].bytes must be ...`, the document itself as `input`. */
function issuePattern(path: string | RegExp): RegExp {
  if (path instanceof RegExp) return path;
  const rendered = path === "" ? "input" : path;
  return new RegExp(`(^|: )${rendered.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} must be`, "m");
}

function expectRefused(result: { code: number; out: string; err: string }, fuzzCase: FuzzCase): void {
  const text = result.out + result.err;
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toMatch(/internal error|Maximum call stack/i);
  expect(result.code).toBe(2);
  if (fuzzCase.file !== undefined) expect(result.err).toContain(`(in ${fuzzCase.file})`);
  expect(result.err).toMatch(issuePattern(fuzzCase.path));
}

function describePath(path: string | RegExp): string {
  if (path instanceof RegExp) return String(path);
  return path === "" ? "the document" : path;
}

describe("the CLI on malformed input (generated fuzz corpus)", () => {
  it("has at least 100 malformed files and 30 malformed option sets", () => {
    expect(cases.filter((fuzzCase) => fuzzCase.file !== undefined).length).toBeGreaterThanOrEqual(100);
    expect(cases.filter((fuzzCase) => fuzzCase.file === undefined).length).toBeGreaterThanOrEqual(30);
    expect(new Set(cases.map((fuzzCase) => fuzzCase.name)).size).toBe(cases.length);
  });

  for (const fuzzCase of cases) {
    const name = `exits 2 naming ${describePath(fuzzCase.path)}${fuzzCase.file === undefined ? "" : " and the file"}: ${fuzzCase.name}`;
    it(name, async () => expectRefused(await cli(fuzzCase.args), fuzzCase));
  }
});

describe("bin/remat.js on malformed input", () => {
  const picked = [
    /^solve on chain\.json with node bytes 1e308$/,
    /^solve on skip-dag\.json with meta nested 100000 levels deep$/,
    /^solve on coarse-chain\.json with byte-order mark then garbage$/,
    /^evaluate on the store-all schedule of chain\.json with an unknown instruction$/,
    /^solve with --budget "1e999%"$/,
  ].map((pattern) => cases.find((fuzzCase) => pattern.test(fuzzCase.name)) as FuzzCase);

  it("picks five cases of the corpus", () => {
    expect(picked.every((fuzzCase) => fuzzCase !== undefined)).toBe(true);
  });

  for (const fuzzCase of picked.filter((entry) => entry !== undefined))
    it(`prints what runCli prints, with exit 2: ${fuzzCase.name}`, async () => {
      const child = spawnSync("node", ["bin/remat.js", ...fuzzCase.args], { encoding: "utf8" });
      const inProcess = await cli(fuzzCase.args);
      expectRefused({ code: child.status ?? -1, out: child.stdout, err: child.stderr }, fuzzCase);
      expect(child.stderr).toBe(inProcess.err);
      expect(child.stdout).toBe(inProcess.out);
    });
});
