/**
 * graph-offload's schedules run on real kernels (the simulator, src/simulate/): a schedule that both
 * recomputes and offloads (a prefetch may bring back an activation recomputed since its copy was
 * made, the host copy being bit-identical) gives gradients equal to plain backprop's and a measured
 * memory timeline equal to the evaluator's. The instance is the zoo's two-layer GPT-2 op graph (fixed
 * costs, so the plan does not depend on this machine) over PCIe 4.0 at 60% of its store-all peak, where
 * graph-offload offloads spans of graph-mincut's recomputing schedule.
 */
import { describe, expect, it } from "vitest";
import { solve } from "../../solvers/index.js";
import { withHardware } from "../../src/hardware/apply.js";
import { findPreset } from "../../src/hardware/presets.js";
import { loadInstance } from "../../src/instance/load.js";
import { parseSchedule } from "../../src/schedule/text.js";
import { simulate } from "../../src/simulate/simulate.js";

const INSTANCE = "instances/zoo/gpt2-small-b2-t64-layers2-heads2-dim64-vocab256-op.json";

describe("graph-offload on real kernels", () => {
  it("runs a schedule that recomputes and offloads with plain backprop's gradients and the evaluator's memory", async () => {
    const preset = findPreset("pcie4");
    if (preset === undefined) throw new Error("no pcie4 preset");
    const instance = withHardware(await loadInstance(INSTANCE), preset);
    const result = await solve(instance, { solver: "graph-offload", budget: "60%" });
    const kinds = result.schedule.map((line) => line.split(" ")[0]);
    const forwards = kinds.filter((kind) => kind === "F").length;
    expect(kinds).toContain("O");
    expect(kinds).toContain("P");
    expect(forwards, "some activation is recomputed").toBeGreaterThan(instance.nodes.length);
    const simulation = await simulate(instance, parseSchedule(result.schedule));
    expect(simulation.gradientsMatch).toBe(true);
    expect(simulation.firstDivergence).toBeNull();
    expect(simulation.predictedPeakBytes).toBe(result.peakBytes);
  });
});
