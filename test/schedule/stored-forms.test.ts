/**
 * `storeAcrossTurn` (src/schedule/stored-forms.ts): where it converts and expands, that its schedules are
 * valid and lossless on random instances, cost no time with free conversions, and that at density 1 a
 * bitmap never lowers the peak (the default density makes the mode useless).
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { parseInstance } from "../../src/instance/parse.js";
import type { Instance } from "../../src/instance/types.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";
import { storeAcrossTurn } from "../../src/schedule/stored-forms.js";
import { formatSchedule } from "../../src/schedule/text.js";
import { PROPERTY_SEED } from "../arbitraries.js";
import { anyInstance } from "../conformance/instances.js";

const FREE = { convertMs: 0, expandMs: 0 };

/** Every node offering a free bitmap at `density`. */
function bitmaps(instance: Instance, density: number): Instance {
  return parseInstance({
    ...instance,
    nodes: instance.nodes.map((node) => ({ ...node, density, storage: { bitmap: FREE } })),
  });
}

describe("storeAcrossTurn", () => {
  it("converts after the last read before the turn and expands before the first read after it", () => {
    const instance = parseInstance({
      format: "remat-instance/1",
      name: "relu",
      nodes: [
        { id: "x", fwd: 0, bwd: 0, bytes: 400, recomputable: false },
        { id: "r", fwd: 1, bwd: 1, bytes: 400, inputs: ["x"], needs: ["output"], storage: { bitmap: FREE } },
        { id: "loss", fwd: 1, bwd: 1, bytes: 4, inputs: ["r"], needs: ["inputs"] },
      ],
    });
    const plain = storeAllSchedule(instance);
    expect(formatSchedule(plain)).toEqual([
      "F x",
      "F r",
      "D a:x",
      "F loss",
      "D a:loss",
      "B loss",
      "B r",
      "D a:r",
    ]);
    // x is freed before the turn: left alone; r waits as a bitmap from after F loss to before B loss
    const modes = new Map([
      ["r", "bitmap" as const],
      ["x", "bitmap" as const],
    ]);
    expect(formatSchedule(storeAcrossTurn(instance, plain, modes))).toEqual([
      "F x",
      "F r",
      "D a:x",
      "F loss",
      "C r bitmap",
      "D a:r",
      "D a:loss",
      "X r",
      "D s:r",
      "B loss",
      "B r",
      "D a:r",
    ]);
  });

  test.prop([anyInstance(8), fc.double({ min: 0, max: 1, noNaN: true })], {
    seed: PROPERTY_SEED,
    numRuns: 200,
  })("gives valid lossless schedules; at density 1 never a lower peak than store-all", (base, density) => {
    for (const d of [density, 1]) {
      const instance = bitmaps(base, d);
      const plain = evaluate(instance, storeAllSchedule(instance));
      const all = new Map(instance.nodes.map((node) => [node.id, "bitmap" as const]));
      const stored = evaluate(instance, storeAcrossTurn(instance, storeAllSchedule(instance), all));
      if (!plain.valid || !stored.valid) throw new Error("invalid schedule");
      expect(stored.lossy).toBe(false);
      expect(stored.makespanMs).toBe(plain.makespanMs);
      if (d === 1) expect(stored.peakBytes).toBeGreaterThanOrEqual(plain.peakBytes);
    }
  });
});
