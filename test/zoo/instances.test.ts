/**
 * Every shipped zoo instance is what the generator makes now, parses, and runs under the store-all
 * schedule; block-level instances are chains whose store-all peak bounds the op-level one from above.
 */
import { readdir, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { evaluate, type ValidEvaluation } from "../../src/evaluate/evaluate.js";
import { parseInstance } from "../../src/instance/parse.js";
import type { Instance } from "../../src/instance/types.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";
import { generateInstance, SHIPPED_SETTINGS } from "../../src/zoo/generate.js";

const DIR = new URL("../../instances/zoo/", import.meta.url);

function storeAll(instance: Instance): ValidEvaluation {
  const result = evaluate(instance, storeAllSchedule(instance));
  if (!result.valid) throw new Error(`${instance.name}: ${JSON.stringify(result.error)}`);
  return result;
}

describe("shipped zoo instances", () => {
  it("instances/zoo holds exactly the shipped settings (and its README)", async () => {
    const files = (await readdir(DIR)).filter((file) => file.endsWith(".json")).sort();
    expect(files).toEqual(SHIPPED_SETTINGS.map((setting) => generateInstance(setting).fileName).sort());
  });

  for (const setting of SHIPPED_SETTINGS) {
    const generated = generateInstance(setting);
    describe(generated.fileName, () => {
      it("equals what `remat zoo generate` makes now", async () => {
        expect(await readFile(new URL(generated.fileName, DIR), "utf8")).toBe(generated.text);
      });

      it("parses, and the store-all schedule evaluates", () => {
        const instance = parseInstance(JSON.parse(generated.text));
        const result = storeAll(instance);
        expect(result.peakBytes).toBeGreaterThan(instance.fixedBytes);
        expect(instance.source).toContain(generated.command);
      });

      if (setting.level === "block") {
        it("is a chain: each node reads the one before it, and carries no model", () => {
          const instance = parseInstance(generated.document);
          instance.nodes.forEach((node, index) => {
            expect(node.inputs).toEqual(index === 0 ? [] : [instance.nodes[index - 1]?.id]);
          });
          expect(instance.model).toBeUndefined();
        });

        it("has a store-all peak at least the op level's and the same compute time", () => {
          const block = parseInstance(generated.document);
          const op = parseInstance(generateInstance({ ...setting, level: "op" }).document);
          const [blockRun, opRun] = [storeAll(block), storeAll(op)];
          expect(blockRun.peakBytes).toBeGreaterThanOrEqual(opRun.peakBytes);
          expect(Math.abs(blockRun.computeMs - opRun.computeMs)).toBeLessThanOrEqual(1e-5 * opRun.computeMs);
        });
      } else {
        it("names its model and config so the simulator can rebuild it", () => {
          const instance = parseInstance(generated.document);
          expect(instance.model?.zoo).toBe(setting.zoo);
          expect(instance.model?.config).toMatchObject(setting.config);
        });
      }
    });
  }
});
