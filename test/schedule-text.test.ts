/** The compact text form of schedules: printing then parsing returns the same instructions. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { InputError } from "../src/errors.js";
import { readJson } from "../src/instance/load.js";
import { STORAGE_MODES } from "../src/instance/types.js";
import { parseScheduleDocument } from "../src/schedule/file.js";
import { formatInstruction, formatSchedule, parseSchedule } from "../src/schedule/text.js";
import { type Instruction, ops } from "../src/schedule/types.js";
import { PROPERTY_SEED } from "./arbitraries.js";

const id = fc.stringMatching(/^[A-Za-z0-9_.:/-]{1,12}$/);
const instruction: fc.Arbitrary<Instruction> = fc.oneof(
  fc.tuple(id, fc.boolean()).map(([node, tape]) => ops.forward(node, tape)),
  id.map(ops.backward),
  id.map(ops.freeActivation),
  id.map(ops.freeGradient),
  id.map(ops.offload),
  id.map(ops.prefetch),
  fc.tuple(id, fc.constantFrom(...STORAGE_MODES)).map(([node, mode]) => ops.convert(node, mode)),
  id.map(ops.expand),
  id.map(ops.freeStored),
);

describe("schedule text form", () => {
  test.prop([fc.array(instruction, { maxLength: 30 })], { seed: PROPERTY_SEED })(
    "round-trips through print and parse",
    (schedule) => {
      expect(parseSchedule(formatSchedule(schedule))).toEqual(schedule);
    },
  );

  it("prints the documented forms", () => {
    expect([ops.forward("v", true), ops.freeGradient("v"), ops.prefetch("v")].map(formatInstruction)).toEqual(
      ["F v tape", "D g:v", "P v"],
    );
    expect([ops.convert("v", "bf16"), ops.expand("v"), ops.freeStored("v")].map(formatInstruction)).toEqual([
      "C v bf16",
      "X v",
      "D s:v",
    ]);
  });

  it("reports every malformed line with its path", () => {
    const error = (() => {
      try {
        parseSchedule(["F x", "Q y", "D q:y", "F v fast", 7, "C y", "C y zip", "X y now"]);
      } catch (caught) {
        return caught as InputError;
      }
      throw new Error("expected an error");
    })();
    expect(error).toBeInstanceOf(InputError);
    expect(error.issues.map((issue) => issue.path)).toEqual([
      "ops[1]",
      "ops[2]",
      "ops[3]",
      "ops[4]",
      "ops[5]",
      "ops[6]",
      "ops[7]",
    ]);
  });

  it("reads schedule files, results and bare lists alike", () => {
    const lines = ["F x", "B loss"];
    expect(parseScheduleDocument({ format: "remat-schedule/1", instance: "i", ops: lines })).toEqual({
      instance: "i",
      schedule: parseSchedule(lines),
    });
    expect(
      parseScheduleDocument({ format: "remat-result/1", status: "feasible", instance: "i", schedule: lines })
        .schedule,
    ).toHaveLength(2);
    expect(parseScheduleDocument(lines).schedule).toHaveLength(2);
    expect(() =>
      parseScheduleDocument({ format: "remat-result/1", status: "infeasible", schedule: [] }),
    ).toThrow(InputError);
  });

  it("reads a schedule file that starts with a UTF-8 byte-order mark", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "remat-schedule-")), "bom.json");
    const lines = ["F x", "B loss"];
    writeFileSync(path, `\uFEFF${JSON.stringify({ format: "remat-schedule/1", instance: "i", ops: lines })}`);
    expect(parseScheduleDocument(await readJson(path, "test"), path).schedule).toEqual(parseSchedule(lines));
  });
});
