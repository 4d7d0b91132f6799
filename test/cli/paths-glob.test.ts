/**
 * `--instances` specs: absolute globs and `../` globs match like relative ones, and a folder holding an
 * entry that cannot be read (a dangling symlink) gives one warning line per entry and goes on.
 */
import { copyFileSync, mkdirSync, symlinkSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { expandInstanceFiles } from "../../src/cli/paths-glob.js";
import { InputError } from "../../src/errors.js";
import { cli, ROOT, tempFolder } from "./run.js";

const EXAMPLES = ["chain.json", "coarse-chain.json", "skip-dag.json"];

function expand(spec: string): { files: string[]; warnings: string[] } {
  const warnings: string[] = [];
  const files = expandInstanceFiles(spec, (text) => warnings.push(text));
  return { files, warnings };
}

describe("instance files from --instances", () => {
  it("matches an absolute glob", () => {
    const { files } = expand(join(ROOT, "instances", "examples", "*.json"));
    expect(files).toEqual(EXAMPLES.map((name) => join(ROOT, "instances", "examples", name)));
  });

  it("matches a glob that starts with ../", () => {
    const up = join("..", basename(ROOT), "instances", "examples");
    const { files } = expand(`${up}/*.json`);
    expect(files.map((file) => relative(ROOT, file))).toEqual(
      EXAMPLES.map((name) => join("instances", "examples", name)),
    );
    expect(files.every((file) => file.startsWith(`..${"/"}`))).toBe(true);
  });

  it("matches ** below an absolute folder and ./ globs as before", () => {
    const deep = expand(`${join(ROOT, "instances")}/**/chain.json`).files;
    expect(deep).toEqual([join(ROOT, "instances", "examples", "chain.json")]);
    expect(expand("./instances/examples/c*.json").files).toEqual([
      "instances/examples/chain.json",
      "instances/examples/coarse-chain.json",
    ]);
  });

  it("skips a dangling symlink in a folder with one warning naming it", () => {
    const folder = tempFolder("remat-glob-");
    copyFileSync(join(ROOT, "instances", "examples", "chain.json"), join(folder, "chain.json"));
    symlinkSync(join(folder, "gone.json"), join(folder, "dangling.json"));
    mkdirSync(join(folder, "sub"));
    symlinkSync(join(folder, "nowhere"), join(folder, "sub", "dangling-folder"));
    for (const spec of [folder, `${folder}/*.json`, `${folder}/**/*`]) {
      const { files, warnings } = expand(spec);
      expect(files, spec).toEqual([join(folder, "chain.json")]);
      const expected = spec.endsWith("*.json") ? ["dangling.json"] : ["dangling.json", "sub/dangling-folder"];
      expect(warnings, spec).toHaveLength(expected.length);
      for (const [index, name] of expected.entries()) expect(warnings[index]).toContain(join(folder, name));
    }
  });

  it("refuses a file that does not exist as matching nothing", () => {
    expect(() => expand("instances/examples/absent.json")).toThrow(InputError);
  });

  it("lets batch run a folder holding a dangling symlink, warning on stderr", async () => {
    const folder = tempFolder("remat-glob-batch-");
    copyFileSync(join(ROOT, "instances", "examples", "chain.json"), join(folder, "chain.json"));
    symlinkSync(join(folder, "gone.json"), join(folder, "dangling.json"));
    const log = join(folder, "log.jsonl");
    const run = await cli(
      "batch",
      "--instances",
      folder,
      "--budgets",
      "100%",
      "--solvers",
      "store-all",
      "--out",
      log,
    );
    expect(run.code).toBe(0);
    expect(run.err.split("\n").filter((line) => line.includes("warning"))).toEqual([
      expect.stringContaining(join(folder, "dangling.json")),
    ]);
  });
});
