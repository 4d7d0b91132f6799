/** `remat zoo generate --densities`: the generated instance carries the table's densities and storage costs. */
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { zooCommand } from "../../src/cli/commands/zoo.js";
import { InputError } from "../../src/errors.js";
import { parseInstance } from "../../src/instance/parse.js";
import { zooDensities, zooWithStorage } from "../../src/zoo/densities.js";
import { generateInstance } from "../../src/zoo/generate.js";
import { zooModel } from "../../src/zoo/registry.js";

const io = { out: () => undefined, err: () => undefined };
const ARGS = ["generate", "resnet-18", "--batch", "4", "--input-size", "32"];

describe("remat zoo generate --densities", () => {
  for (const level of ["op", "block"] as const) {
    it(`writes the ${level}-level instance with the densities zooWithStorage gives, and the same sizes`, async () => {
      const out = join(await mkdtemp(join(tmpdir(), "zdens-")), "r18.json");
      expect(await zooCommand.run([...ARGS, "--level", level, "--densities", "--out", out], io)).toBe(0);
      const written = parseInstance(JSON.parse(await readFile(out, "utf8")));
      const graph = zooModel("resnet-18").build({ batch: 4, inputSize: 32 });
      const expected = zooWithStorage(graph, { level });
      const plain = parseInstance(
        JSON.parse(generateInstance({ zoo: "resnet-18", config: { batch: 4, inputSize: 32 }, level }).text),
      );
      expect(written.nodes.map((n) => n.density)).toEqual(expected.nodes.map((n) => n.density));
      expect(written.nodes.map((n) => n.storage)).toEqual(expected.nodes.map((n) => n.storage));
      expect(written.nodes.map((n) => n.bytes)).toEqual(plain.nodes.map((n) => n.bytes));
      expect(written.nodes.some((n) => n.density < 1)).toBe(true);
      expect(plain.nodes.every((n) => n.density === 1)).toBe(true);
      expect(written.source).toContain(JSON.stringify(zooDensities("resnet-18").provenance.config));
    });
  }

  it("refuses a network the table does not cover", async () => {
    const out = join(await mkdtemp(join(tmpdir(), "zdens-")), "g.json");
    const run = zooCommand.run(["generate", "gpt2-small", "--densities", "--out", out], io);
    await expect(run).rejects.toBeInstanceOf(InputError);
  });
});
