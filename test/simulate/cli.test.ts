/** `remat profile` writes an instance that `remat simulate` runs; bad options are InputErrors naming the option. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { profileCommand } from "../../src/cli/commands/profile.js";
import { simulateCommand } from "../../src/cli/commands/simulate.js";
import { InputError } from "../../src/errors.js";
import { parseInstance } from "../../src/instance/parse.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";
import { checkpointSchedule } from "../../src/schedule/checkpoint-schedule.js";
import { scheduleDocument } from "../../src/schedule/file.js";
import { formatSchedule } from "../../src/schedule/text.js";
import { instanceOf, tinyMlp } from "./fixtures.js";

function capture() {
  const out: string[] = [];
  return { out, io: { out: (text: string) => out.push(text), err: (text: string) => out.push(text) } };
}

async function optionIssue(run: Promise<number>) {
  const error = await run.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InputError);
  return (error as InputError).issues[0];
}

describe("remat profile and remat simulate", () => {
  const folder = mkdtempSync(join(tmpdir(), "remat-sim-cli-"));
  const instancePath = join(folder, "mlp.json");
  const schedulePath = join(folder, "schedule.json");

  it("profile writes a valid instance with the model block, and simulate --json reports a match", async () => {
    const { io } = capture();
    const args = [
      "--model",
      "mlp",
      "--batch",
      "4",
      "--input-size",
      "8",
      "--config",
      '{"hidden":16,"layers":2}',
    ];
    expect(
      await profileCommand.run(
        [...args, "--backend", "cpu", "--warmup", "1", "--repeats", "1", "--out", instancePath],
        io,
      ),
    ).toBe(0);
    const instance = parseInstance(JSON.parse(readFileSync(instancePath, "utf8")));
    expect(instance.model).toEqual({
      zoo: "mlp",
      config: { batch: 4, inputSize: 8, hidden: 16, layers: 2, classes: 10 },
      backend: "cpu",
    });
    expect(instance.source).toContain("fastest of 1 runs");
    const schedule = checkpointSchedule(instance, [0, 1], {
      policy: "segments",
      tapeKept: false,
      forwardPhase: true,
    });
    writeFileSync(schedulePath, JSON.stringify(scheduleDocument(instance.name, formatSchedule(schedule))));
    const printed = capture();
    expect(await simulateCommand.run([instancePath, schedulePath, "--json"], printed.io)).toBe(0);
    const result = JSON.parse(printed.out.join("\n"));
    expect(result).toMatchObject({
      gradientsMatch: true,
      maxGradDiff: 0,
      memoryMatches: true,
      firstDivergence: null,
    });
    expect(result.measuredPeakBytes).toBe(result.predictedPeakBytes);
    expect(result).toMatchObject({ backend: "cpu", backendFrom: "model.backend" });
  });

  it("simulate runs on the backend the instance was profiled on unless --backend says otherwise", async () => {
    const wasmPath = join(folder, "mlp-wasm.json");
    const args = [
      "--model",
      "mlp",
      "--batch",
      "2",
      "--input-size",
      "4",
      "--config",
      '{"hidden":8,"layers":1}',
    ];
    const common = ["--warmup", "1", "--repeats", "1", "--out", wasmPath];
    expect(await profileCommand.run([...args, "--backend", "wasm", ...common], capture().io)).toBe(0);
    const instance = parseInstance(JSON.parse(readFileSync(wasmPath, "utf8")));
    expect(instance.model?.backend).toBe("wasm");
    const plan = join(folder, "mlp-wasm-plan.json");
    writeFileSync(
      plan,
      JSON.stringify(scheduleDocument(instance.name, formatSchedule(storeAllSchedule(instance)))),
    );
    const backendOf = async (extra: string[]) => {
      const printed = capture();
      expect(await simulateCommand.run([wasmPath, plan, "--json", ...extra], printed.io)).toBe(0);
      const { backend, backendFrom } = JSON.parse(printed.out.join("\n"));
      return { backend, backendFrom };
    };
    expect(await backendOf([])).toEqual({ backend: "wasm", backendFrom: "model.backend" });
    expect(await backendOf(["--backend", "cpu"])).toEqual({ backend: "cpu", backendFrom: "option" });
  });

  it("simulate runs on cpu when the instance does not say which backend it was profiled on", async () => {
    const bare = instanceOf(tinyMlp());
    const barePath = join(folder, "bare.json");
    const plan = join(folder, "bare-plan.json");
    writeFileSync(barePath, JSON.stringify(bare));
    writeFileSync(plan, JSON.stringify(scheduleDocument(bare.name, formatSchedule(storeAllSchedule(bare)))));
    const printed = capture();
    expect(await simulateCommand.run([barePath, plan], printed.io)).toBe(0);
    expect(printed.out.join("\n")).toMatch(/^backend {4}cpu \(the default: the instance does not say/m);
  });

  it("simulate rejects an unknown backend as an option error", async () => {
    expect(
      await optionIssue(simulateCommand.run([instancePath, schedulePath, "--backend", "gpu"], capture().io)),
    ).toMatchObject({
      code: "option",
      path: "--backend",
    });
  });

  it("profile rejects a missing --out and an unknown model", async () => {
    expect(await optionIssue(profileCommand.run(["--model", "mlp"], capture().io))).toMatchObject({
      code: "option",
      path: "--out",
    });
    expect(
      await optionIssue(
        profileCommand.run(["--model", "nope", "--out", join(folder, "x.json")], capture().io),
      ),
    ).toMatchObject({
      code: "option",
      path: "model",
    });
  });
});
