import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { parseInstance } from "../../src/instance/parse.js";
import { measureDensities } from "../../src/simulate/densities.js";
import { densityNetworks, zooDensities, zooWithStorage } from "../../src/zoo/densities.js";
import { generateInstance } from "../../src/zoo/generate.js";
import { toInstance } from "../../src/zoo/level.js";
import { zooModel } from "../../src/zoo/registry.js";

describe("the zoo's measured density table", () => {
  it("covers the zoo's ReLU networks with their provenance", () => {
    expect(densityNetworks()).toEqual(
      expect.arrayContaining(["resnet-18", "resnet-50", "vgg-16", "mobilenet-v2", "densenet-121", "unet"]),
    );
    for (const zoo of densityNetworks()) {
      const { provenance, reluCount, meanReluDensity } = zooDensities(zoo);
      expect(provenance.seed).toBe(1);
      expect(provenance.commit).toMatch(/^[0-9a-f]{7,}$/);
      expect(reluCount).toBeGreaterThan(0);
      expect(meanReluDensity).toBeGreaterThan(0);
      expect(meanReluDensity).toBeLessThan(1);
    }
  });

  it("equals a fresh measurement of MobileNetV2 at the table's config", async () => {
    const table = zooDensities("mobilenet-v2");
    const instance = parseInstance(
      JSON.parse(
        generateInstance({ zoo: "mobilenet-v2", config: table.provenance.config, level: "op" }).text,
      ),
    );
    const measured = await measureDensities(instance, { backend: "wasm", seed: table.provenance.seed });
    for (const d of measured) expect(table.fractions[d.node] ?? 1).toBe(d.nonzeros / d.elements);
  });

  it("refuses a network it does not cover, naming the ones it does", () => {
    expect(() => zooDensities("gpt2-small")).toThrow(InputError);
    expect(() => zooDensities("gpt2-small")).toThrow(/mobilenet-v2/);
  });
});

describe("zoo instances with storage fields", () => {
  const graph = zooModel("resnet-18").build({ batch: 4, inputSize: 32 });

  it("carry the table's densities op by op and keep every other field", () => {
    const plain = toInstance(graph, { level: "op" });
    const stored = zooWithStorage(graph, { level: "op" });
    const fractions = zooDensities("resnet-18").fractions;
    expect(stored.nodes.map((n) => n.bytes)).toEqual(plain.nodes.map((n) => n.bytes));
    expect(stored.nodes.map((n) => n.density)).toEqual(plain.nodes.map((n) => fractions[n.id] ?? 1));
    expect(stored.nodes.some((n) => n.density < 0.7)).toBe(true);
    expect(stored.source).toMatch(/MEASURED.*initialisation/);
  });

  it("offer no 16-bit mode on int32 activations and roofline conversion times on the rest", () => {
    const stored = zooWithStorage(graph, { level: "op" });
    const labels = stored.nodes.filter((n) => Object.keys(n.storage).length === 1);
    expect(labels.length).toBeGreaterThan(0);
    for (const node of stored.nodes) {
      expect(node.storage.bitmap?.convertMs).toBeGreaterThan(0);
      expect(node.storage.bitmap?.expandMs).toBe(node.storage.bitmap?.convertMs);
    }
  });

  it("give each block the density of its boundary tensors together", () => {
    const op = zooWithStorage(graph, { level: "op" });
    const block = zooWithStorage(graph, { level: "block" });
    const byId = new Map(op.nodes.map((n) => [n.id, n]));
    let checked = 0;
    for (const node of block.nodes) {
      const outputs = ((node.meta as { outputs?: string[] }).outputs ?? []).map((id) => byId.get(id));
      if (outputs.length !== 1 || outputs[0] === undefined) continue;
      const only = outputs[0];
      const elements = Math.ceil(only.bytes / only.elementBytes);
      expect(node.density).toBe(Math.ceil(only.density * elements) / elements);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});
