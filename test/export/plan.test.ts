/**
 * Plan files (issue 16 item 4a): each node's decision agrees with the evaluated schedule, imported
 * instances name their ONNX nodes and PyTorch modules, the schema lists the fields the writer writes,
 * and `remat export --format plan` writes one from a solver's result.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { solve } from "../../solvers/index.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import type { ValidEvaluation } from "../../src/evaluate/result.js";
import { modulePath, PLAN_FORMAT, type PlanDocument, planOf } from "../../src/export/plan.js";
import { parseInstance } from "../../src/instance/parse.js";
import type { Instance } from "../../src/instance/types.js";
import { importOnnx } from "../../src/onnx/import.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";
import { checkpointSchedule } from "../../src/schedule/checkpoint-schedule.js";
import { parseSchedule } from "../../src/schedule/text.js";
import type { Schedule } from "../../src/schedule/types.js";
import { cli, ROOT, tempFolder } from "../cli/run.js";

const bundled = (name: string) => new Uint8Array(readFileSync(join(ROOT, "instances", "onnx", name)));
const importedInstance = (name: string, loss: "mean-square" | "cross-entropy") =>
  parseInstance(importOnnx(bundled(name), { loss }).document);

function valid(instance: Instance, schedule: Schedule): ValidEvaluation {
  const evaluation = evaluate(instance, schedule);
  if (!evaluation.valid) throw new Error(evaluation.error.reason);
  return evaluation;
}

const plan = (instance: Instance, schedule: Schedule) =>
  planOf(instance, schedule, valid(instance, schedule));
const decisions = (document: PlanDocument) =>
  Object.fromEntries(document.nodes.map((n) => [n.id, n.decision]));

describe("planOf", () => {
  it("saves every node of the store-all schedule, marks sources as inputs and the appended loss", () => {
    const instance = importedInstance("small-cnn.onnx", "cross-entropy");
    const document = plan(instance, storeAllSchedule(instance));
    expect(document.format).toBe(PLAN_FORMAT);
    for (const node of document.nodes) {
      expect(node.decision).toBe(node.id === "x" || node.id === "labels" ? "input" : "save");
      expect(node.policy).toBe("MUST_SAVE");
      expect(node.forwards).toBe(1);
    }
    expect(document.nodes.filter((node) => node.appended).map((node) => node.id)).toEqual(["labels", "loss"]);
  });

  it("marks recomputed exactly the nodes a checkpointing schedule forwards twice, and a framework keeping the others gets the same cost", () => {
    const instance = importedInstance("small-cnn.onnx", "cross-entropy");
    const keep = [0, 1, 4, 8, 12];
    const schedule = checkpointSchedule(instance, keep, {
      policy: "segments",
      tapeKept: false,
      forwardPhase: true,
    });
    const document = plan(instance, schedule);
    const forwardsOf = (id: string) => schedule.filter((op) => op.op === "F" && op.node === id).length;
    const recomputed = document.nodes.filter((node) => node.decision === "recompute");
    expect(recomputed.length).toBeGreaterThan(0);
    expect(recomputed.map((node) => node.id)).toEqual(
      instance.nodes.filter((node) => forwardsOf(node.id) > 1).map((node) => node.id),
    );
    for (const node of recomputed) expect(node.policy).toBe("PREFER_RECOMPUTE");
    for (const index of keep) expect(document.nodes[index]?.decision).not.toBe("recompute");
    // Applying the plan: keep what it saves, recompute the rest, as the same schedule builder does.
    const kept = document.nodes.flatMap((node, index) => (node.decision === "recompute" ? [] : [index]));
    const applied = checkpointSchedule(instance, kept, {
      policy: "segments",
      tapeKept: false,
      forwardPhase: true,
    });
    const original = valid(instance, schedule);
    const again = valid(instance, applied);
    expect([again.makespanMs, again.peakBytes]).toEqual([original.makespanMs, original.peakBytes]);
  });

  it("names offloads and stored forms, with their counts", () => {
    const chain = JSON.parse(readFileSync(join(ROOT, "instances", "examples", "chain.json"), "utf8"));
    chain.nodes[2].storage = { fp16: { convertMs: 0.2, expandMs: 0.1 } };
    const instance = parseInstance(chain);
    const offloaded = plan(
      instance,
      parseSchedule([
        "F x",
        "F a",
        "F b",
        "D a:a",
        "O b",
        "F loss",
        "D a:loss",
        "D a:b",
        "P b",
        "B loss",
        "B b",
        "D a:b",
        "B a",
        "D a:x",
      ]),
    );
    expect(decisions(offloaded)).toEqual({ x: "input", a: "save", b: "offload", loss: "save" });
    expect(offloaded.nodes[2]?.offloads).toBe(1);
    const stored = plan(
      instance,
      parseSchedule([
        "F x",
        "F a",
        "F b",
        "D a:a",
        "F loss",
        "D a:loss",
        "C b fp16",
        "D a:b",
        "X b",
        "B loss",
        "B b",
        "D a:b",
        "D s:b",
        "B a",
        "D a:x",
      ]),
    );
    expect(decisions(stored)).toEqual({ x: "input", a: "save", b: "stored", loss: "save" });
    expect(stored.nodes[2]?.storedForm).toBe("fp16");
    expect(stored.nodes[2]?.policy).toBe("MUST_SAVE");
  });

  it("names the ONNX nodes and PyTorch modules of a torch.onnx.export file", () => {
    const instance = importedInstance("hello_deepa.onnx", "mean-square");
    const document = plan(instance, storeAllSchedule(instance));
    const byName = new Map(document.nodes.map((node) => [node.onnx, node]));
    expect(byName.get("/layer1/Gemm")?.module).toBe("layer1");
    expect(byName.get("/layer1/Gemm")?.op).toBe("Gemm");
    expect(byName.get("/blocks.0/layer_norm/Sqrt")?.module).toBe("blocks.0.layer_norm");
    expect(byName.get("onnx::Flatten_0")?.decision).toBe("input");
    expect(document.nodes.filter((node) => node.onnx === undefined).map((node) => node.id)).toEqual(["loss"]);
  });

  it("reads module paths only from names of the torch.onnx.export form", () => {
    expect(modulePath("/layer1/0/conv1/Conv")).toBe("layer1.0.conv1");
    expect(modulePath("/Relu")).toBe("");
    expect(modulePath("conv1")).toBeUndefined();
  });
});

describe("instances/plan.schema.json", () => {
  it("lists exactly the fields the writer writes", async () => {
    const schema = JSON.parse(readFileSync(join(ROOT, "instances", "plan.schema.json"), "utf8"));
    const instance = importedInstance("small-cnn.onnx", "cross-entropy");
    const result = await solve(instance, { solver: "graph-mincut", budget: "90%" });
    const schedule = parseSchedule(result.schedule);
    const document = planOf(instance, schedule, valid(instance, schedule), {
      solver: result.solver,
      status: result.status,
      budgetBytes: result.budgetBytes ?? 0,
    });
    const written = new Set(document.nodes.flatMap((node) => Object.keys(node)));
    for (const key of Object.keys(document)) expect(Object.keys(schema.properties)).toContain(key);
    for (const key of written) expect(Object.keys(schema.$defs.node.properties)).toContain(key);
    expect(schema.properties.format.const).toBe(PLAN_FORMAT);
    expect([...schema.$defs.node.properties.decision.enum].sort()).toEqual(
      ["input", "offload", "recompute", "save", "stored"].sort(),
    );
  });
});

describe("remat export --format plan", () => {
  it("writes the plan of a solver's result, each decision agreeing with the result's schedule", async () => {
    const folder = tempFolder();
    const instancePath = join(folder, "cnn.json");
    const { document } = importOnnx(bundled("small-cnn.onnx"), { loss: "cross-entropy" });
    writeFileSync(instancePath, JSON.stringify(document));
    const resultPath = join(folder, "result.json");
    const solved = await cli("solve", instancePath, "--solver", "graph-mincut", "--budget", "90%", "--json");
    expect(solved.code).toBe(0);
    writeFileSync(resultPath, solved.out);
    const out = join(folder, "plan.json");
    const run = await cli("export", resultPath, "--instance", instancePath, "--format", "plan", "--out", out);
    expect(run.code).toBe(0);
    const written = JSON.parse(readFileSync(out, "utf8")) as PlanDocument;
    const result = JSON.parse(solved.out);
    expect(written.solver).toBe("graph-mincut");
    expect(written.budgetBytes).toBe(result.budgetBytes);
    const schedule: string[] = result.schedule;
    expect(written.nodes.some((node) => node.decision === "recompute")).toBe(true);
    for (const node of written.nodes) {
      const forwards = schedule.filter(
        (text) => text === `F ${node.id}` || text === `F ${node.id} tape`,
      ).length;
      expect(node.forwards, node.id).toBe(forwards);
      expect(node.decision === "recompute", node.id).toBe(forwards > 1);
    }
  });
});
