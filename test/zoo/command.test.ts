/** `remat zoo`: lists the zoo, generates instances, and rejects bad options with InputError paths. */
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { zooCommand } from "../../src/cli/commands/zoo.js";
import { InputError } from "../../src/errors.js";
import { parseInstance } from "../../src/instance/parse.js";

function capture() {
  const lines: string[] = [];
  return { lines, io: { out: (text: string) => lines.push(text), err: (text: string) => lines.push(text) } };
}

async function issuesOf(args: string[]) {
  const { io } = capture();
  const error = await zooCommand.run(args, io).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(InputError);
  return (error as InputError).issues.map((issue) => [issue.code, issue.path]);
}

describe("remat zoo", () => {
  it("lists every network with its parameters", async () => {
    const { lines, io } = capture();
    expect(await zooCommand.run(["--json"], io)).toBe(0);
    const rows = JSON.parse(lines.join("\n")) as { name: string; params: number }[];
    expect(rows.map((row) => row.name)).toEqual([
      "mlp",
      "mlp-chain",
      "resnet-18",
      "resnet-50",
      "vgg-16",
      "mobilenet-v2",
      "densenet-121",
      "inception-v3",
      "unet",
      "gpt2-small",
      "wide-resnet",
    ]);
    expect(rows.find((row) => row.name === "resnet-50")?.params).toBe(25_557_032);
  });

  it("generates a block-level instance that parses and says how it was made", async () => {
    const out = join(await mkdtemp(join(tmpdir(), "remat-zoo-")), "r18.json");
    const { io } = capture();
    const args = [
      "generate",
      "resnet-18",
      "--batch",
      "4",
      "--input-size",
      "32",
      "--level",
      "block",
      "--out",
      out,
    ];
    expect(await zooCommand.run(args, io)).toBe(0);
    const instance = parseInstance(JSON.parse(await readFile(out, "utf8")));
    expect(instance.source).toContain("remat zoo generate resnet-18 --batch 4 --input-size 32 --level block");
    expect(instance.nodes.map((node) => node.id).slice(0, 3)).toEqual(["input", "stem", "layer1.0"]);
  });

  it("rejects bad options with code option and the flag as path", async () => {
    expect(await issuesOf(["generate", "resnet-50", "--batch", "0", "--out", "x.json"])).toEqual([
      ["option", "--batch"],
    ]);
    expect(await issuesOf(["generate", "vgg-16", "--input-size", "16", "--out", "x.json"])).toEqual([
      ["option", "--input-size"],
    ]);
    expect(await issuesOf(["generate", "gpt2-small", "--input-size", "224", "--out", "x.json"])).toEqual([
      ["option", "--input-size"],
    ]);
    expect(await issuesOf(["generate", "gpt2-small", "--set", "dim=100", "--out", "x.json"])).toEqual([
      ["option", "--set dim"],
    ]);
    expect(await issuesOf(["generate", "resnet-50", "--level", "layer", "--out", "x.json"])).toEqual([
      ["option", "--level"],
    ]);
    expect(await issuesOf(["generate", "resnet-51", "--out", "x.json"])).toEqual([["option", "NAME"]]);
    expect(await issuesOf(["generate", "resnet-50"])).toEqual([["option", "--out"]]);
  });
});
