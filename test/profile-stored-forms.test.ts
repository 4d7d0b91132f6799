/**
 * `remat profile --stored-forms` (issue 14 item 3): densities measured on the data the profiler runs
 * and every mode's C/X times measured with the simulator's stored-form kernels, written into the
 * instance with their provenance; the densities make the evaluator's bitmap bytes those the simulator
 * holds, and a plan with stored forms then closes through the simulator. A tiny MLP keeps it fast.
 */
import { describe, expect, it } from "vitest";
import { solve } from "../solvers/index.js";
import { storedBytes } from "../src/evaluate/storage.js";
import { parseInstance } from "../src/instance/parse.js";
import { profileModel } from "../src/profile/profile.js";
import { conversionSchedule, modesFor } from "../src/profile/stored-times.js";
import { parseSchedule } from "../src/schedule/text.js";
import { measureDensities } from "../src/simulate/densities.js";
import { simulate } from "../src/simulate/simulate.js";
import { zooModel } from "../src/zoo/registry.js";

const CONFIG = { batch: 4, inputSize: 8, hidden: 16, layers: 4, classes: 5 };

describe("remat profile with stored forms", async () => {
  const document = await profileModel("mlp", {
    config: CONFIG,
    backend: "cpu",
    warmup: 0,
    repeats: 1,
    storedForms: true,
  });
  const instance = parseInstance(document);
  const graph = zooModel("mlp").build(CONFIG);
  const integers = new Set(graph.ops.filter((op) => op.attrs.dtype === "int32").map((op) => op.id));

  it("writes a density and every mode's convert and expand times on every node, and says where they come from", () => {
    for (const node of instance.nodes) {
      expect(node.density).toBeGreaterThanOrEqual(0);
      expect(node.density).toBeLessThanOrEqual(1);
      const modes = modesFor(node.id, integers);
      expect(Object.keys(node.storage).sort()).toEqual([...modes].sort());
      for (const mode of modes) {
        expect(node.storage[mode]?.convertMs).toBeGreaterThanOrEqual(0);
        expect(node.storage[mode]?.expandMs).toBeGreaterThanOrEqual(0);
      }
    }
    expect(instance.source).toContain("at initialisation");
    expect(instance.source).toContain("trained networks are typically sparser");
  });

  it("measures the densities the simulator counts, so that ReLU outputs are sparse and the rest dense", async () => {
    const measured = await measureDensities(instance, { backend: "cpu" });
    for (const { node, density } of measured)
      expect(instance.nodes.find((n) => n.id === node)?.density, node).toBe(density);
    const relu = instance.nodes.filter((node) => (node.meta as { op?: string } | undefined)?.op === "relu");
    expect(relu.length).toBeGreaterThan(0);
    for (const node of relu) expect(node.density).toBeLessThan(1);
  });

  it("times every node's conversion and expansion in each mode once a step", () => {
    const schedule = conversionSchedule(instance, integers);
    expect(integers.size).toBeGreaterThan(0);
    expect(schedule.filter((op) => op.op === "C" && op.mode === "bitmap")).toHaveLength(
      instance.nodes.length,
    );
    for (const mode of ["fp16", "bf16"] as const)
      expect(schedule.filter((op) => op.op === "C" && op.mode === mode)).toHaveLength(
        instance.nodes.length - integers.size,
      );
  });

  it("gives a bitmap plan whose simulated stored bytes are the evaluator's", async () => {
    const relu = instance.nodes.find((node) => (node.meta as { op?: string } | undefined)?.op === "relu");
    if (relu === undefined) throw new Error("no relu");
    expect(storedBytes(relu, "bitmap")).toBeLessThan(relu.bytes);
    // a budget just below store-all's peak, where holding a ReLU output as a bitmap avoids recomputing
    const result = await solve(instance, { solver: "graph-mincut", budget: "97%", storage: "bitmap" });
    expect(result.storedModes).toEqual(["bitmap"]);
    const report = await simulate(instance, parseSchedule(result.schedule), { backend: "cpu" });
    expect(report.memoryMatches).toBe(true);
    expect(report.gradientsMatch).toBe(true);
  });
});
