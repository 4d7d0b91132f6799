import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { parseInstance } from "../../src/instance/parse.js";
import { encodeModel } from "../../src/onnx/encode.js";
import { importOnnx } from "../../src/onnx/import.js";
import { zooToOnnx } from "../../src/onnx/write.js";
import { zooModel } from "../../src/zoo/registry.js";
import { cli, tempFolder } from "../cli/run.js";

const graph = zooModel("mlp").build({ batch: 4, inputSize: 16, hidden: 8, layers: 2, classes: 3 });
const valid = encodeModel(zooToOnnx(graph));

/** The InputError that importing `bytes` throws; anything else thrown (or nothing) fails the test. */
function refusal(bytes: Uint8Array): InputError {
  try {
    importOnnx(bytes);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error(`accepted ${bytes.length} bytes`);
}

/** A deterministic byte stream (xorshift32), for garbage files. */
function garbage(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let index = 0; index < length; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[index] = state & 0xff;
  }
  return bytes;
}

describe("malformed ONNX files", () => {
  it("are refused with InputError (code file) at every truncation of a valid file", () => {
    expect(() => importOnnx(valid)).not.toThrow();
    const cuts = new Set<number>();
    for (let cut = 1; cut < valid.length; cut = Math.ceil(cut * 1.3)) cuts.add(cut);
    for (const cut of cuts) {
      const error = refusal(valid.subarray(0, cut));
      expect(error.issues[0]?.code, `cut at ${cut}`).toBe("file");
    }
    expect(cuts.size).toBeGreaterThan(20);
  });

  it("are refused with InputError for random bytes, an empty file and text", () => {
    for (let seed = 1; seed <= 50; seed++)
      expect(refusal(garbage(64 + seed * 13, seed)).issues.length).toBeGreaterThan(0);
    expect(refusal(new Uint8Array(0)).issues[0]?.path).toBe("graph");
    expect(refusal(new TextEncoder().encode('{"format": "remat-instance/1"}')).issues[0]?.code).toBe("file");
  });

  it("name where a truncated message ends, by byte offset", () => {
    const error = refusal(valid.subarray(0, 100));
    expect(error.message).toMatch(/at byte \d+/);
    expect(error.message).toContain("truncated");
  });
});

describe("remat import", () => {
  const folder = tempFolder("remat-import-");
  const file = join(folder, "mlp.onnx");
  writeFileSync(file, valid);

  it("writes an instance that parses, naming what it wrote", async () => {
    const out = join(folder, "mlp.json");
    const run = await cli("import", file, "--loss", "cross-entropy", "--device", "a100", "--out", out);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain(`wrote ${out}`);
    const { readFileSync } = await import("node:fs");
    const document = parseInstance(JSON.parse(readFileSync(out, "utf8")));
    expect(document.nodes.map((node) => node.id)).toEqual(
      expect.arrayContaining(["x", "fc1.dense", "labels", "loss"]),
    );
  });

  it("exits 2 naming the file for truncated bytes and for garbage", async () => {
    const truncated = join(folder, "truncated.onnx");
    writeFileSync(truncated, valid.subarray(0, Math.floor(valid.length / 2)));
    const noise = join(folder, "noise.onnx");
    writeFileSync(noise, garbage(500, 7));
    for (const bad of [truncated, noise]) {
      const run = await cli("import", bad, "--out", join(folder, "x.json"));
      expect(run.code).toBe(2);
      expect(run.err).toContain("remat import");
      expect(run.err).toContain(bad);
    }
  });

  it("exits 2 for a missing file, an unknown device and a bad --input", async () => {
    const out = join(folder, "y.json");
    for (const args of [
      [join(folder, "none.onnx"), "--out", out],
      [file, "--device", "tpu", "--out", out],
      [file, "--input", "x=4xfoo", "--out", out],
    ]) {
      const run = await cli("import", ...args);
      expect(run.code, args.join(" ")).toBe(2);
    }
  });
});
