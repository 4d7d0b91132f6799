/**
 * `remat profile` and `remat simulate` as separate processes, the way a user runs them (bin/remat.js on
 * the build that `npm test` makes first): what reaches the terminal, with TensorFlow.js installed and
 * without it (test/simulate/hide-tfjs.mjs hides it from Node's resolver).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseInstance } from "../../src/instance/parse.js";
import type { Instance } from "../../src/instance/types.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";
import { scheduleDocument } from "../../src/schedule/file.js";
import { formatSchedule } from "../../src/schedule/text.js";
import { instanceOf, tinyMlp } from "./fixtures.js";

const folder = mkdtempSync(join(tmpdir(), "remat-sim-process-"));
const HIDE_TFJS = new URL("./hide-tfjs.mjs", import.meta.url).pathname;
/** The advice tfjs-backend-cpu prints on its first tensor in Node ("Hi, looks like you are running ..."). */
const TFJS_BANNER = /TensorFlow\.js in Node\.js|tfjs-node/;
/** A stack frame line, as Node prints them. */
const STACK_FRAME = /^\s+at /m;

function remat(args: readonly string[], nodeOptions: readonly string[] = []) {
  const run = spawnSync(process.execPath, [...nodeOptions, "bin/remat.js", ...args], { encoding: "utf8" });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

/** Writes the store-all plan of `instance` to `path`. */
function writePlan(instance: Instance, path: string): void {
  writeFileSync(
    path,
    JSON.stringify(scheduleDocument(instance.name, formatSchedule(storeAllSchedule(instance)))),
  );
}

const TINY_MLP = [
  "profile",
  "--model",
  "mlp",
  "--batch",
  "4",
  "--input-size",
  "8",
  "--config",
  '{"hidden":16,"layers":2}',
];

describe("remat profile and remat simulate in a process of their own", () => {
  it("print no TensorFlow.js banner, and simulate says it ran on the backend the instance was profiled on", () => {
    const instancePath = join(folder, "profiled.json");
    const planPath = join(folder, "profiled-plan.json");
    const profiled = remat([
      ...TINY_MLP,
      "--backend",
      "cpu",
      "--warmup",
      "1",
      "--repeats",
      "1",
      "--out",
      instancePath,
    ]);
    expect(profiled).toMatchObject({ code: 0, err: "" });
    const instance = parseInstance(JSON.parse(readFileSync(instancePath, "utf8")));
    expect(instance.model?.backend).toBe("cpu");
    writePlan(instance, planPath);
    const simulated = remat(["simulate", instancePath, planPath]);
    expect(simulated).toMatchObject({ code: 0, err: "" });
    expect(simulated.out).toMatch(/^backend {4}cpu \(the backend the instance was profiled on/m);
    expect(`${profiled.out}${simulated.out}`).not.toMatch(TFJS_BANNER);
  });

  it("without TensorFlow.js installed, say how to install it and exit 2 with no stack trace", () => {
    const instancePath = join(folder, "fixture.json");
    const planPath = join(folder, "fixture-plan.json");
    const instance = instanceOf(tinyMlp());
    writeFileSync(instancePath, JSON.stringify(instance));
    writePlan(instance, planPath);
    const hidden = ["--import", HIDE_TFJS];
    const simulated = remat(["simulate", instancePath, planPath], hidden);
    const missingPath = join(folder, "never-written.json");
    const profiled = remat([...TINY_MLP, "--out", missingPath], hidden);
    for (const run of [simulated, profiled]) {
      expect(run.code).toBe(2);
      expect(run.err).toContain("npm install @tensorflow/tfjs @tensorflow/tfjs-backend-wasm");
      expect(run.err).not.toMatch(STACK_FRAME);
      expect(run.out).toBe("");
    }
    expect(existsSync(missingPath)).toBe(false);
  });
});
