/**
 * The memory breakdown against figures computed by hand on a three-node chain:
 * fixedBytes 1000 = weights 400 + gradients 400 + optimizer 200; x 100 bytes, a 200 bytes, loss 4 bytes.
 */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { parseInstance } from "../../src/instance/parse.js";
import { memoryBreakdown } from "../../src/memory/breakdown.js";
import { parseSchedule } from "../../src/schedule/text.js";

const chain = (temps: { fwdTemp?: number; bwdTemp?: number }, memory = true) =>
  parseInstance({
    format: "remat-instance/1",
    name: "hand",
    fixedBytes: 1000,
    ...(memory ? { memory: { weights: 400, gradients: 400, optimizer: 200 } } : {}),
    nodes: [
      { id: "x", fwd: 0, bwd: 0, bytes: 100, recomputable: false },
      { id: "a", fwd: 1, bwd: 2, bytes: 200, inputs: ["x"], needs: ["inputs"], ...temps },
      { id: "loss", fwd: 1, bwd: 1, bytes: 4, inputs: ["a"], needs: ["inputs"] },
    ],
  });

/** The paths of the InputError `run` throws. */
function pathsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).issues.map((issue) => issue.path);
  }
  throw new Error("expected an InputError");
}

describe("memoryBreakdown", () => {
  it("splits store-all's peak at F a into fixed 1000, activations x + a = 300 and a's fwdTemp 500", () => {
    const breakdown = memoryBreakdown(chain({ fwdTemp: 500, bwdTemp: 30 }));
    expect(breakdown.parts).toEqual({ weights: 400, gradients: 400, optimizer: 200 });
    expect(breakdown.storeAll).toMatchObject({ activations: 300, workspace: 500, peak: 1800, at: "F a" });
    expect(breakdown.largestWorkspace).toBe(500);
    expect(breakdown.plan).toBeNull();
  });

  it("recounts Adam's state as two weight-sized buffers: fixed 400 + 400 + 800, peak 2400", () => {
    const breakdown = memoryBreakdown(chain({ fwdTemp: 500 }), { optimizer: "adam" });
    expect(breakdown.parts).toEqual({ weights: 400, gradients: 400, optimizer: 800 });
    expect(breakdown.fixedBytes).toBe(1600);
    expect(breakdown.storeAll.peak).toBe(2400);
  });

  it("halves every part in fp16: fixed 500, activations 150, workspace 250", () => {
    const breakdown = memoryBreakdown(chain({ fwdTemp: 500 }), { precision: "fp16" });
    expect(breakdown.parts).toEqual({ weights: 200, gradients: 200, optimizer: 100 });
    expect(breakdown.storeAll).toMatchObject({ activations: 150, workspace: 250, peak: 900 });
  });

  it("puts store-all's peak at B loss (x + a + g:a = 500) and a plan's without frees at B a", () => {
    const plan = parseSchedule(["F x", "F a", "F loss", "B loss", "B a"]);
    const breakdown = memoryBreakdown(chain({ bwdTemp: 30 }), { plan });
    expect(breakdown.storeAll).toMatchObject({ activations: 500, workspace: 0, peak: 1500, at: "B loss" });
    // x 100 + a 200 + loss 4 + g:a 200 resident, a's bwdTemp 30 running.
    expect(breakdown.plan).toMatchObject({ activations: 504, workspace: 30, peak: 1534, at: "B a" });
  });

  it("says the split of fixedBytes is unknown for an instance without a memory block", () => {
    const breakdown = memoryBreakdown(chain({}, false));
    expect(breakdown.parts).toBeNull();
    expect(breakdown.fixedBytes).toBe(1000);
    expect(breakdown.notes.join(" ")).toContain("unknown");
  });

  it("refuses to recount an optimizer without a memory block, naming the option", () => {
    expect(pathsOf(() => memoryBreakdown(chain({}, false), { optimizer: "momentum" }))).toEqual([
      "optimizer",
    ]);
  });

  it("names the first bad instruction of an invalid plan", () => {
    const plan = parseSchedule(["F x", "B a"]);
    expect(pathsOf(() => memoryBreakdown(chain({}), { plan }))).toEqual(["plan[1]"]);
  });
});
