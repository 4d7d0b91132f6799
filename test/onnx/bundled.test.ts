/**
 * The ONNX files in instances/onnx (their README says where each comes from): the PyTorch export imports
 * under its own node names, is planned, and lists the nodes that have no kernel; remat's small CNN
 * imports as a runnable instance whose model block points back at the file; a file changed since the
 * import is refused by remat simulate before any kernel runs.
 */
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { solve } from "../../solvers/index.js";
import { parseInstance } from "../../src/instance/parse.js";
import { decodeModel } from "../../src/onnx/decode.js";
import { importOnnx } from "../../src/onnx/import.js";
import { cli, ROOT, tempFolder } from "../cli/run.js";

const FOLDER = join(ROOT, "instances", "onnx");
const bytesOf = (name: string) => new Uint8Array(readFileSync(join(FOLDER, name)));

describe("hello_deepa.onnx, exported by PyTorch", () => {
  it("is a torch.onnx.export file", () => {
    expect(decodeModel(bytesOf("hello_deepa.onnx")).producer).toBe("pytorch");
  });

  it("imports every node under its ONNX name, and a solver plans it (at its store-all peak: its input and the flattened copy that the first Gemm reads dominate, so no recomputation saves memory)", async () => {
    const { document, warnings } = importOnnx(bytesOf("hello_deepa.onnx"));
    expect(warnings).toEqual([]);
    const model = decodeModel(bytesOf("hello_deepa.onnx"));
    const computed = model.graph.nodes.filter((node) => node.opType !== "Constant").map((node) => node.name);
    expect(document.nodes.map((node) => node.meta?.onnx).filter((name) => name !== undefined)).toEqual([
      "onnx::Flatten_0",
      ...computed,
    ]);
    const result = await solve(parseInstance(document), { solver: "chen-greedy", budget: "100%" });
    expect(["optimal", "feasible"]).toContain(result.status);
  });

  it("lists the nodes without a kernel: the ops of its written-out LayerNorm", () => {
    const { kernels } = importOnnx(bytesOf("hello_deepa.onnx"));
    expect(kernels.runnable).toBe(false);
    if (kernels.runnable) return;
    const ops = new Set(kernels.missing.map((line) => /\(([A-Za-z]+)\)/.exec(line)?.[1]));
    expect([...ops].sort()).toEqual(["Add", "Div", "Mul", "Pow", "ReduceMean", "Sqrt", "Sub"]);
  });
});

describe("small-cnn.onnx, written by remat with its weights", () => {
  it("imports through the CLI as a runnable instance pointing back at the file", async () => {
    const folder = tempFolder();
    const out = join(folder, "cnn.json");
    const run = await cli("import", join(FOLDER, "small-cnn.onnx"), "--loss", "cross-entropy", "--out", out);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/runnable/);
    const instance = parseInstance(JSON.parse(readFileSync(out, "utf8")));
    expect(instance.model?.onnx?.loss).toBe("cross-entropy");
    expect(join(folder, instance.model?.onnx?.file ?? "")).toBe(join(FOLDER, "small-cnn.onnx"));
  });

  it("is refused by remat simulate once the file changed, naming the hash", async () => {
    const folder = tempFolder();
    const file = join(folder, "cnn.onnx");
    copyFileSync(join(FOLDER, "small-cnn.onnx"), file);
    const out = join(folder, "cnn.json");
    expect((await cli("import", file, "--loss", "cross-entropy", "--out", out)).code).toBe(0);
    const schedule = join(folder, "schedule.json");
    const solved = await cli("solve", out, "--solver", "store-all", "--json");
    writeFileSync(schedule, solved.out);
    const changed = bytesOf("small-cnn.onnx");
    changed[changed.length - 1] = (changed[changed.length - 1] as number) ^ 1;
    writeFileSync(file, changed);
    const run = await cli("simulate", out, schedule);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/model\.onnx\.sha256/);
  });
});
