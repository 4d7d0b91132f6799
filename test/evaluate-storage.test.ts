/**
 * The evaluator's rules for stored forms (`C v MODE`, `X v`, `D s:v`; proofs/cost-model.md) on
 * hand-computed cases: exact timeline, peak and makespan with a bitmap and an fp16 form, a conversion
 * that waits for a prefetch, the lossy flag, and one case per class of invalid instruction. The
 * expected numbers are worked out by hand in the comments from DESIGN.md's rules.
 */
import { describe, expect, it } from "vitest";
import { evaluate } from "../src/evaluate/evaluate.js";
import { densityFor, elementsOf, nonzerosOf, storedBytes } from "../src/evaluate/storage.js";
import { parseInstance } from "../src/instance/parse.js";
import type { Instance } from "../src/instance/types.js";
import { text } from "./helpers.js";

/**
 * fixedBytes 10; x (400 bytes, a source), r (400 bytes = 100 float32 elements, density 0.3, reads x,
 * its backward reads its output; bitmap: convert 0.5 ms, expand 0.25 ms; fp16: 0.2 / 0.1 ms), loss
 * (4 bytes, reads r, its backward reads its input). r's stored forms: bitmap ceil(100/8) + 30 * 4 =
 * 13 + 120 = 133 bytes; fp16 2 * 100 = 200 bytes.
 */
function relu(hardware?: { bandwidth: number; latency: number }): Instance {
  return parseInstance({
    format: "remat-instance/1",
    name: "relu",
    fixedBytes: 10,
    ...(hardware === undefined ? {} : { hardware }),
    nodes: [
      { id: "x", fwd: 0, bwd: 0, bytes: 400, recomputable: false },
      {
        id: "r",
        fwd: 1,
        bwd: 1,
        bytes: 400,
        inputs: ["x"],
        needs: ["output"],
        density: 0.3,
        storage: { bitmap: { convertMs: 0.5, expandMs: 0.25 }, fp16: { convertMs: 0.2, expandMs: 0.1 } },
      },
      { id: "loss", fwd: 1, bwd: 1, bytes: 4, inputs: ["r"], needs: ["inputs"] },
    ],
  });
}

/** Keeps r in `mode` from after the loss's forward to just before its backward, which reads r. */
function storedSchedule(mode: string): string[] {
  return [
    "F x",
    "F r",
    `C r ${mode}`,
    "F loss",
    "D a:r",
    "D a:x",
    "X r",
    "B loss",
    "D s:r",
    "B r",
    "D a:r",
    "D a:loss",
  ];
}

describe("storage sizes", () => {
  it("counts elements, non-zeros and stored bytes as DESIGN.md states", () => {
    const node = relu().nodes[1] as Instance["nodes"][number];
    expect([elementsOf(node), nonzerosOf(node)]).toEqual([100, 30]);
    expect(storedBytes(node, "bitmap")).toBe(133);
    expect(storedBytes(node, "fp16")).toBe(200);
    expect(storedBytes(node, "bf16")).toBe(200);
    // 10 bytes of 4-byte elements: 3 elements (padded), 1 mask byte
    expect(storedBytes({ bytes: 10, elementBytes: 4, density: 0.5 }, "bitmap")).toBe(1 + 2 * 4);
  });

  it("makes a bitmap at density 1 never smaller than the dense tensor", () => {
    for (const elementBytes of [1, 2, 4, 8])
      for (let bytes = 0; bytes <= 200; bytes++)
        expect(storedBytes({ bytes, elementBytes, density: 1 }, "bitmap")).toBeGreaterThanOrEqual(bytes);
  });

  it("finds a density that counts exactly the measured non-zeros", () => {
    for (const elements of [1, 3, 7, 49, 100, 1000, 802816, 12845056])
      for (const fraction of [0, 0.1, 1 / 3, 0.5, 0.7, 0.999, 1]) {
        const nonzeros = Math.round(fraction * elements);
        const density = densityFor(nonzeros, elements);
        expect(Math.ceil(density * elements), `${nonzeros} of ${elements}`).toBe(nonzeros);
        expect(density).toBeGreaterThanOrEqual(0);
        expect(density).toBeLessThanOrEqual(1);
      }
  });
});

describe("evaluate with stored forms", () => {
  it("gives a bitmap-stored activation the hand-computed timeline, peak and makespan", () => {
    const result = evaluate(relu(), storedSchedule("bitmap"));
    if (!result.valid) throw new Error(result.error.reason);
    // F x 410; F r 810; C +133 = 943; F loss +4 = 947; D a:r 547; D a:x 147; X r +400 = 547;
    // B loss allocates g:r (400) = 947; D s:r 814; B r frees g:r = 414; D a:r 14; D a:loss 10.
    expect(result.timeline).toEqual([410, 810, 943, 947, 547, 147, 547, 947, 814, 414, 14, 10]);
    expect(result.peakBytes).toBe(947);
    // 0 + 1 + 0.5 (C) + 1 + 0.25 (X) + 1 + 1
    expect(result.makespanMs).toBe(4.75);
    expect(result.computeMs).toBe(4.75);
    expect([result.conversions, result.expansions, result.lossy]).toEqual([1, 1, false]);
    expect(result.lossyExpansions).toEqual([]);
  });

  it("flags the expansion of an fp16 form as lossy, with its index", () => {
    const result = evaluate(relu(), storedSchedule("fp16"));
    if (!result.valid) throw new Error(result.error.reason);
    // as the bitmap case with 200 stored bytes: C 1010, F loss 1014, ..., D s:r 747
    expect(result.timeline).toEqual([410, 810, 1010, 1014, 614, 214, 614, 1014, 814, 414, 14, 10]);
    expect(result.peakBytes).toBe(1014);
    expect(result.makespanMs).toBeCloseTo(4.3, 12); // 0.2 + 0.1 instead of 0.5 + 0.25
    expect(result.lossy).toBe(true);
    expect(result.lossyExpansions).toEqual([6]);
  });

  it("does not call a schedule lossy whose lossy form is never expanded", () => {
    const schedule = [
      "F x",
      "F r",
      "C r fp16",
      "D s:r",
      "F loss",
      "D a:x",
      "B loss",
      "B r",
      "D a:r",
      "D a:loss",
    ];
    const result = evaluate(relu(), schedule);
    if (!result.valid) throw new Error(result.error.reason);
    expect([result.conversions, result.expansions, result.lossy]).toEqual([1, 0, false]);
  });

  it("starts a conversion once a prefetched activation has arrived", () => {
    // bandwidth 100 bytes/ms: O r runs 1..5; D a:r stalls to 5; P r runs 5..9; C r stalls to 9, ends 9.5
    const schedule = ["F x", "F r", "O r", "D a:r", "P r", "C r bitmap", "F loss", "D a:r", "D a:x"];
    const rest = ["X r", "B loss", "D s:r", "B r", "D a:r", "D a:loss"];
    const result = evaluate(relu({ bandwidth: 100, latency: 0 }), [...schedule, ...rest], { trace: true });
    if (!result.valid) throw new Error(result.error.reason);
    expect(result.trace?.[5]).toMatchObject({
      instruction: "C r bitmap",
      startMs: 9,
      endMs: 9.5,
      stallMs: 4,
    });
    expect(result.stallMs).toBe(8);
    // 9.5 + F loss 1 + X 0.25 + B loss 1 + B r 1
    expect(result.makespanMs).toBe(12.75);
  });

  it("counts the stored form while it converts and the expanded activation while it expands", () => {
    const result = evaluate(relu(), storedSchedule("bitmap"), { trace: true });
    if (!result.valid) throw new Error(result.error.reason);
    expect(result.trace?.[2]).toMatchObject({ duringBytes: 943, afterBytes: 943 });
    expect(result.trace?.[6]).toMatchObject({ duringBytes: 547, afterBytes: 547, startMs: 2.5, endMs: 2.75 });
  });
});

describe("evaluate reports the first bad stored-form instruction", () => {
  const cases: [string, string[], number, string][] = [
    ["a mode the node does not offer", ["F x", "F r", "C r bf16"], 2, "s:r"],
    ["a conversion of an absent activation", ["F x", "C r bitmap"], 1, "a:r"],
    ["a second stored form of the same node", ["F x", "F r", "C r bitmap", "C r fp16"], 3, "s:r"],
    ["an expansion without a stored form", ["F x", "F r", "D a:r", "X r"], 3, "s:r"],
    ["an expansion over a resident activation", ["F x", "F r", "C r bitmap", "X r"], 3, "a:r"],
    ["a free of an absent stored form", ["F x", "F r", "D s:r"], 2, "s:r"],
    ["a free of a stored form already freed", ["F x", "F r", "C r bitmap", "D s:r", "D s:r"], 4, "s:r"],
  ];
  for (const [what, schedule, index, tensor] of cases)
    it(`at ${what}`, () => {
      const result = evaluate(relu(), text(...schedule));
      expect(result.valid).toBe(false);
      if (result.valid) return;
      expect([result.error.index, result.error.tensor]).toEqual([index, tensor]);
    });

  it("at a conversion of an unknown node", () => {
    const result = evaluate(relu(), text("F x", "C y bitmap"));
    expect(result.valid ? -1 : result.error.index).toBe(1);
  });
});
