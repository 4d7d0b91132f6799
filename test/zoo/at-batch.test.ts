/** Zoo instances at another batch (src/zoo/at-batch.ts): read, checked by regeneration, refused otherwise. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { parseInstance } from "../../src/instance/parse.js";
import type { Instance } from "../../src/instance/types.js";
import { zooOriginOf, zooRegeneration } from "../../src/zoo/at-batch.js";
import { generateInstance } from "../../src/zoo/generate.js";
import { example } from "../helpers.js";

function shipped(name: string): Instance {
  const path = new URL(`../../instances/zoo/${name}.json`, import.meta.url);
  return parseInstance(JSON.parse(readFileSync(path, "utf8")), path.pathname);
}

describe("zooRegeneration", () => {
  for (const name of ["resnet-18-b4-32-classes10-op", "resnet-18-b4-32-classes10-block", "mlp-b32-784-block"])
    it(`regenerates ${name} at half its batch as the zoo generates it`, () => {
      const instance = shipped(name);
      const zoo = zooRegeneration(instance);
      const half = zoo.at(zoo.batch / 2);
      const level = name.endsWith("-op") ? "op" : "block";
      const fresh = generateInstance({
        zoo: zoo.origin.zoo,
        config: { ...zoo.origin.config, batch: zoo.batch / 2 },
        level,
      });
      expect(half.nodes).toEqual(parseInstance(fresh.document).nodes);
      expect(half.fixedBytes).toBe(instance.fixedBytes);
      expect(half.name).toBe(fresh.document.name);
    });

  it("reads the optimizer from the memory block", () => {
    const adam = parseInstance(
      generateInstance({ zoo: "mlp", config: { batch: 8 }, level: "block", optimizer: "adam" }).document,
    );
    const zoo = zooRegeneration(adam);
    expect(zoo.origin.optimizer).toBe("adam");
    expect(zoo.at(4).fixedBytes).toBe(adam.fixedBytes);
  });

  it("refuses an instance whose nodes were edited (code structure, path model)", () => {
    const instance = shipped("mlp-b32-784-op");
    const edited = parseInstance({
      ...instance,
      nodes: instance.nodes.map((n, i) => (i === 2 ? { ...n, fwd: n.fwd + 1 } : n)),
    });
    expect("why" in zooOriginOf(edited)).toBe(true);
    try {
      zooRegeneration(edited);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).issues.map((issue) => [issue.code, issue.path])).toEqual([
        ["structure", "model"],
      ]);
    }
  });

  it("refuses an instance that is not from the zoo", () => {
    expect(() => zooRegeneration(example("chain"))).toThrow(InputError);
  });
});
