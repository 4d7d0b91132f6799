/**
 * The evaluator on hand-computed cases: exact makespan, peak and timeline, with temporaries, tape, an
 * offload stall and a prefetch; and the first bad instruction of invalid schedules.
 * The expected numbers are worked out by hand in the comments from DESIGN.md's rules.
 */
import { describe, expect, it } from "vitest";
import { evaluate } from "../src/evaluate/evaluate.js";
import { storeAllSchedule } from "../src/schedule/builders.js";
import { formatSchedule } from "../src/schedule/text.js";
import { example, text } from "./helpers.js";

describe("evaluate on the hand-made chain (fixedBytes 1000; x 100, a 200 with fwdTemp 50, b 200, loss 4)", () => {
  const chain = example("chain");

  it("gives the store-all schedule the hand-computed makespan, peak and timeline", () => {
    const schedule = storeAllSchedule(chain);
    expect(formatSchedule(schedule)).toEqual([
      "F x",
      "F a",
      "F b",
      "D a:a",
      "F loss",
      "D a:loss",
      "B loss",
      "B b",
      "D a:b",
      "B a",
      "D a:x",
    ]);
    const result = evaluate(chain, schedule);
    if (!result.valid) throw new Error(result.error.reason);
    // F a runs with 1100 resident + 200 output + 50 temporary; B b allocates g:a (200) next to g:b, a:b, a:x.
    expect(result.timeline).toEqual([1100, 1300, 1500, 1300, 1304, 1300, 1500, 1500, 1300, 1100, 1000]);
    expect(result.peakBytes).toBe(1700);
    expect(result.makespanMs).toBe(9); // 2 + 1 + 1 forward, 1 + 1 + 3 backward
    expect(result.stallMs).toBe(0);
  });

  it("charges an offload stall on D and a prefetch wait on the reader", () => {
    // O x starts at t=2 and takes 0.5 + 100/100 = 1.5 ms; D a:x waits until 3.5 (stall 1.5).
    // P x starts at t=6.5 (after B loss), ends at 8; B a reads x and waits from 7.5 to 8 (stall 0.5).
    const schedule = text(
      "F x",
      "F a",
      "O x",
      "D a:x",
      "F b",
      "D a:a",
      "F loss",
      "D a:loss",
      "B loss",
      "P x",
      "B b",
      "D a:b",
      "B a",
      "D a:x",
    );
    const result = evaluate(chain, schedule, { trace: true });
    if (!result.valid) throw new Error(result.error.reason);
    expect(result.makespanMs).toBe(11);
    expect(result.computeMs).toBe(9);
    expect(result.stallMs).toBe(2);
    expect(result.timeline).toEqual([
      1100, 1300, 1300, 1200, 1400, 1200, 1204, 1200, 1400, 1500, 1500, 1300, 1100, 1000,
    ]);
    expect(result.peakBytes).toBe(1700);
    expect(result.transfers).toBe(2);
    expect(result.trace?.[3]).toMatchObject({ instruction: "D a:x", startMs: 3.5, stallMs: 1.5 });
    expect(result.trace?.[9]).toMatchObject({ instruction: "P x", startMs: 6.5, endMs: 8 });
    expect(result.trace?.[12]).toMatchObject({ instruction: "B a", startMs: 8, endMs: 11, stallMs: 0.5 });
    const profiled = evaluate(chain, schedule, { profile: true });
    if (!profiled.valid || profiled.profile === undefined) throw new Error("no profile");
    const { duringBytes, computeMs } = profiled.profile;
    result.trace?.forEach((step, i) => {
      expect(duringBytes[i]).toBe(step.duringBytes);
      const transfer = step.instruction.startsWith("O ") || step.instruction.startsWith("P ");
      expect(computeMs[i]).toBe(transfer ? 0 : step.endMs - step.startMs);
    });
  });

  it("lets one offload serve several prefetches (the host copy persists)", () => {
    // O x: t=2 to 3.5 on D2H; D a:x stalls to 3.5. P x: 3.5 to 5 on H2D; D a:x waits for it (stall 1.5).
    // The second P x reuses the same host copy: 8 to 9.5 (after B loss); B a reads x and waits 9 -> 9.5.
    // Compute 0 + 2 + 1 + 1 + 1 + 1 + 3 = 9, stalls 1.5 + 1.5 + 0.5 = 3.5: makespan 12.5.
    const schedule = text(
      "F x",
      "F a",
      "O x",
      "D a:x",
      "P x",
      "D a:x",
      "F b",
      "D a:a",
      "F loss",
      "D a:loss",
      "B loss",
      "P x",
      "B b",
      "D a:b",
      "B a",
      "D a:x",
    );
    const result = evaluate(chain, schedule, { trace: true });
    if (!result.valid) throw new Error(result.error.reason);
    expect(result.makespanMs).toBe(12.5);
    expect(result.computeMs).toBe(9);
    expect(result.stallMs).toBe(3.5);
    expect(result.transfers).toBe(3);
    expect(result.peakBytes).toBe(1700);
    expect(result.timeline).toEqual([
      1100, 1300, 1300, 1200, 1300, 1200, 1400, 1200, 1204, 1200, 1400, 1500, 1500, 1300, 1100, 1000,
    ]);
    expect(result.trace?.[5]).toMatchObject({ instruction: "D a:x", startMs: 5, stallMs: 1.5 });
    expect(result.trace?.[11]).toMatchObject({ instruction: "P x", startMs: 8, endMs: 9.5 });
    expect(result.trace?.[14]).toMatchObject({ instruction: "B a", startMs: 9.5, stallMs: 0.5 });
  });

  it("counts a recomputation and the gradient allocated by the first contribution", () => {
    // Keep only x: recompute a for... a is not needed by B a (needs inputs = x), but b's backward needs b.
    const schedule = text(
      "F x",
      "F a",
      "F b",
      "D a:a",
      "D a:b",
      "F a",
      "F b",
      "D a:a",
      "F loss",
      "D a:loss",
      "B loss",
      "B b",
      "D a:b",
      "B a",
      "D a:x",
    );
    const result = evaluate(chain, schedule);
    if (!result.valid) throw new Error(result.error.reason);
    expect(result.recomputations).toBe(2);
    expect(result.makespanMs).toBe(12);
  });
});

describe("evaluate on the hand-made DAG with a skip connection (add needs nothing, relu needs its output)", () => {
  const dag = example("skip-dag");

  it("frees each activation right after its last reader and matches the hand-computed costs", () => {
    const schedule = storeAllSchedule(dag);
    expect(formatSchedule(schedule)).toEqual([
      "F x",
      "F c1",
      "F r1",
      "D a:c1",
      "F c2",
      "F add",
      "D a:c2",
      "F loss",
      "D a:loss",
      "B loss",
      "D a:add",
      "B add",
      "B c2",
      "B r1",
      "D a:r1",
      "B c1",
      "D a:x",
    ]);
    const result = evaluate(dag, schedule);
    if (!result.valid) throw new Error(result.error.reason);
    // B add allocates g:c2 and g:r1 (20 each) while g:add is still live: 50 + 40 = 90.
    expect(result.timeline).toEqual([10, 30, 50, 30, 50, 70, 50, 51, 50, 70, 50, 70, 50, 50, 30, 10, 0]);
    expect(result.peakBytes).toBe(90);
    expect(result.makespanMs).toBe(22);
  });
});

describe("evaluate with tape and temporaries (coarse stages: xbar = bytes + tapeBytes)", () => {
  const coarse = example("coarse-chain");

  it("holds the tape from F v tape until B v and counts fwdTemp and bwdTemp while the op runs", () => {
    const schedule = text(
      "F x",
      "F s1 tape",
      "F s2 tape",
      "F loss",
      "B loss",
      "D a:loss",
      "B s2",
      "D a:s2",
      "B s1",
      "D a:s1",
      "D a:x",
    );
    const result = evaluate(coarse, schedule);
    if (!result.valid) throw new Error(result.error.reason);
    // F s1 tape: 10 + 10 + 30 (+ fwdTemp 5 while running) = 50; F s2 tape: 90; B loss allocates g:s2: 101.
    // B s2 allocates g:s1 (10): 110 during, then frees g:s2 and its tape: 70. B s1: 60 + bwdTemp 7 = 67 during,
    // then frees g:s1 and its tape: 20.
    expect(result.timeline).toEqual([10, 50, 90, 91, 101, 100, 70, 60, 20, 10, 0]);
    expect(result.peakBytes).toBe(110);
    expect(result.makespanMs).toBe(2 + 2 + 1 + 1 + 4 + 4);
  });

  it("rejects B of a coarse stage whose tape is not resident", () => {
    const result = evaluate(coarse, text("F x", "F s1", "F s2 tape", "F loss", "B loss", "B s2", "B s1"));
    expect(result.valid).toBe(false);
    if (!result.valid) expect(result.error).toMatchObject({ index: 6, tensor: "tape:s1" });
  });
});

describe("evaluate reports the first bad instruction", () => {
  const chain = example("chain");
  const cases: [string, string[], number, string | undefined][] = [
    ["a missing input", ["F x", "F b"], 1, "a:a"],
    ["computing a resident tensor", ["F x", "F x"], 1, "a:x"],
    ["recomputing a node that is not recomputable", ["F x", "D a:x", "F x"], 2, "a:x"],
    ["a backward before its consumers' backward", ["F x", "F a", "F b", "B b"], 3, "g:b"],
    ["a backward of a source", ["F x", "B x"], 1, undefined],
    ["a backward of the loss before the loss is computed", ["F x", "F a", "F b", "B loss"], 3, "a:loss"],
    ["a prefetch without an offload", ["F x", "D a:x", "P x"], 2, "a:x"],
    ["a second offload while the first is in flight", ["F x", "O x", "O x"], 2, "a:x"],
    ["an offload after the host copy was prefetched", ["F x", "F a", "O x", "D a:x", "P x", "O x"], 5, "a:x"],
    [
      "an offload of a recomputed activation that has a host copy",
      ["F x", "F a", "O a", "D a:a", "F a", "O a"],
      5,
      "a:a",
    ],
    ["freeing a tensor that is not resident", ["F x", "D a:a"], 1, "a:a"],
    ["an unknown node", ["F x", "F nope"], 1, undefined],
    ["an incomplete schedule (at index = length)", ["F x", "F a", "F b", "F loss", "B loss"], 5, undefined],
  ];
  for (const [name, lines, index, tensor] of cases) {
    it(`for ${name}`, () => {
      const result = evaluate(chain, text(...lines));
      expect(result.valid).toBe(false);
      if (result.valid) return;
      expect(result.error.index).toBe(index);
      expect(result.error.tensor).toBe(tensor);
    });
  }

  it("rejects transfers on an instance without a hardware block", () => {
    const result = evaluate(example("skip-dag"), text("F x", "O x"));
    expect(result.valid).toBe(false);
    if (!result.valid) expect(result.error.index).toBe(1);
  });
});
