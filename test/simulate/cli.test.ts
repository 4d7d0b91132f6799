/** `remat profile` writes an instance that `remat simulate` runs; bad options are InputErrors naming the option. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { profileCommand } from "../../src/cli/commands/profile.js";
import { simulateCommand } from "../../src/cli/commands/simulate.js";
import { InputError } from "../../src/errors.js";
import { parseInstance } from "../../src/instance/parse.js";
import { checkpointSchedule } from "../../src/schedule/checkpoint-schedule.js";
import { scheduleDocument } from "../../src/schedule/file.js";
import { formatSchedule } from "../../src/schedule/text.js";

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
    });
    expect(instance.source).toContain("median over 1 runs");
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
