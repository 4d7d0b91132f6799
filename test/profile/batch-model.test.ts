/**
 * The batch model (issue 15 item 2): least-squares lines of each node's sizes and times against the
 * batch (Naveen & Kumar 2019), their reading from instance files, and predictions at unseen batches
 * checked against the zoo's own instances there (bytes exact, roofline times within a stated error).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fitBatchModel, summarizeBatchModel } from "../../src/batch-model/fit.js";
import { predictDocument, predictInstance } from "../../src/batch-model/predict.js";
import { fitLine, lineKind, predictOnLine } from "../../src/batch-model/regression.js";
import { InputError } from "../../src/errors.js";
import type { InstanceDocument } from "../../src/instance/document.js";
import { parseInstance } from "../../src/instance/parse.js";
import { zooModel } from "../../src/zoo/registry.js";
import { toOpDocument } from "../../src/zoo/to-instance.js";
import { cli } from "../cli/run.js";

const SIZE_FIELDS = ["bytes", "gradBytes", "tapeBytes", "fwdTemp", "bwdTemp"] as const;

/** The zoo's op-level document of resnet-18 at 32x32 inputs and `batch`. */
function resnetAt(batch: number): InstanceDocument {
  return toOpDocument(zooModel("resnet-18").build({ inputSize: 32, batch }), { name: `r18-b${batch}` });
}

/** The resnet-18 document at the largest of `batches`, carrying the model fitted to all of them. */
function modelled(batches: readonly number[]): InstanceDocument {
  const documents = batches.map((batch) => ({ batch, document: resnetAt(batch) }));
  const last = batches[batches.length - 1] as number;
  return { ...resnetAt(last), batchModel: fitBatchModel(documents, last) };
}

describe("fitLine", () => {
  it("recovers an exact integer line, also beyond what floats hold in a product", () => {
    const perSample = 2 ** 40 + 3;
    const line = fitLine(
      [1, 2, 4, 8],
      [1, 2, 4, 8].map((b) => 7 + perSample * b),
      true,
    );
    expect(line).toEqual({ intercept: 7, slope: perSample, maxResidual: 0 });
    expect(lineKind(line)).toBe("linear");
    expect(predictOnLine(line, 1000, { integer: true, margin: false })).toBe(7 + perSample * 1000);
  });

  it("calls a quantity that does not change with the batch constant", () => {
    const line = fitLine([1, 2, 4], [46_758_048, 46_758_048, 46_758_048], true);
    expect(lineKind(line)).toBe("constant");
  });

  it("fits noisy points by least squares and reports the largest residual", () => {
    const line = fitLine([1, 2, 3], [1, 3, 2], false);
    expect(line.slope).toBeCloseTo(0.5, 12);
    expect(line.intercept).toBeCloseTo(1, 12);
    expect(line.maxResidual).toBeCloseTo(1, 12);
    expect(lineKind(line)).toBe("approximate");
  });

  it("does not take integer points off one line for an exact line", () => {
    const line = fitLine([1, 2, 4], [10, 20, 41], true);
    expect(line.maxResidual).toBeGreaterThan(0);
  });

  it("rounds predicted sizes up unless an exact line lands on an integer, and adds the margin when asked", () => {
    const half = { intercept: 0, slope: 0.5, maxResidual: 0 };
    expect(predictOnLine(half, 3, { integer: true, margin: false })).toBe(2);
    expect(predictOnLine(half, 4, { integer: true, margin: false })).toBe(2);
    const rough = { intercept: 1, slope: 2, maxResidual: 0.25 };
    expect(predictOnLine(rough, 10, { integer: false, margin: false })).toBe(21);
    expect(predictOnLine(rough, 10, { integer: false, margin: true })).toBe(21.25);
    expect(
      predictOnLine({ intercept: -5, slope: 1, maxResidual: 0 }, 2, { integer: false, margin: false }),
    ).toBe(0);
  });
});

describe("fitBatchModel on the zoo's resnet-18", () => {
  const document = modelled([1, 2, 4, 8]);
  const model = document.batchModel;

  it("finds every activation size exactly linear and fixedBytes (the parameters) constant", () => {
    const fits = summarizeBatchModel(model as NonNullable<typeof model>);
    const bytes = fits.find((fit) => fit.field === "bytes");
    expect(bytes?.counts.approximate).toBe(0);
    expect(bytes?.counts.linear).toBeGreaterThan(60);
    expect(fits.find((fit) => fit.field === "fixedBytes")?.counts.constant).toBe(1);
  });

  it("writes a block that the instance parser reads back unchanged", () => {
    const parsed = parseInstance(JSON.parse(JSON.stringify(document)));
    expect(parsed.batchModel).toEqual(model);
  });

  it("predicts every size at an unseen batch exactly as the zoo makes it there", () => {
    const predicted = predictInstance(document, 32);
    const truth = parseInstance(resnetAt(32));
    expect(predicted.fixedBytes).toBe(truth.fixedBytes);
    predicted.nodes.forEach((node, i) => {
      const actual = truth.nodes[i];
      for (const field of SIZE_FIELDS)
        expect([node.id, field, node[field]]).toEqual([node.id, field, actual?.[field]]);
    });
  });

  it("predicts the roofline's total time at twice the largest batch profiled within 10%", () => {
    // A roofline time is max(flops, bytes moved) over the device's rates: two lines in the batch, whose
    // max is convex, so a line fitted at small batches (where weight traffic dominates) under-predicts
    // beyond them. Measured total errors, fit at 1,2,4,8: resnet-18 -7.4% at 16, -14% at 32; vgg-16 -5.1% at 16 and
    // -8.3% at 32; mobilenet-v2 -0.6% at 16; fit at 16,32,64 and predicted at 128: -1% to -4%.
    const total = (doc: InstanceDocument) => doc.nodes.reduce((sum, node) => sum + node.fwd + node.bwd, 0);
    const predicted = total(predictDocument(document, 16));
    const truth = total(resnetAt(16));
    expect(Math.abs(predicted / truth - 1)).toBeLessThan(0.1);
  });

  it("raises every value by its residual with the margin, and no size on an exact line", () => {
    const plain = predictDocument(document, 32);
    const margined = predictDocument(document, 32, { margin: true });
    margined.nodes.forEach((node, i) => {
      const base = plain.nodes[i];
      expect(node.bytes).toBe(base?.bytes);
      expect(node.fwd).toBeGreaterThanOrEqual(base?.fwd ?? Number.POSITIVE_INFINITY);
    });
  });

  it("says the new batch in the model block and drops the batch model", () => {
    const withSpec = { ...document, model: { zoo: "resnet-18", config: { inputSize: 32, batch: 8 } } };
    const predicted = predictDocument(withSpec, 12);
    expect(predicted.model?.config?.batch).toBe(12);
    expect(predicted.batchModel).toBeUndefined();
  });

  it("refuses documents of different networks and a single batch", () => {
    const other = toOpDocument(zooModel("mlp").build({ batch: 2 }), { name: "mlp" });
    expect(() =>
      fitBatchModel(
        [
          { batch: 1, document: resnetAt(1) },
          { batch: 2, document: other },
        ],
        2,
      ),
    ).toThrow(InputError);
    expect(() => fitBatchModel([{ batch: 1, document: resnetAt(1) }], 1)).toThrow(/two distinct batches/);
    expect(() => predictDocument(resnetAt(1), 4)).toThrow(/batchModel/);
    expect(() => predictDocument(document, 0)).toThrow(/positive integer/);
  });
});

describe("the batchModel block of an instance file", () => {
  const document = modelled([1, 2]);
  const issuesOf = (mutate: (doc: Record<string, unknown>) => void) => {
    const copy = JSON.parse(JSON.stringify(document)) as Record<string, unknown>;
    mutate(copy);
    try {
      parseInstance(copy, "m.json");
    } catch (error) {
      return (error as InputError).issues.map((issue) => `${issue.code} ${issue.path}`);
    }
    return [];
  };
  const block = (doc: Record<string, unknown>) => doc.batchModel as Record<string, unknown>;
  const nodes = (doc: Record<string, unknown>) => block(doc).nodes as Record<string, unknown>;

  it("is refused with batches that do not increase, or a batch not among them", () => {
    expect(issuesOf((doc) => (block(doc).batches = [2, 1]))).toContain("bad-value batchModel.batches");
    expect(issuesOf((doc) => (block(doc).batches = [4]))).toContain("bad-value batchModel.batches");
    expect(issuesOf((doc) => (block(doc).batch = 3))).toContain("bad-value batchModel.batch");
  });

  it("names an unknown node id, a node left out, an unknown field and a coefficient that is not a number", () => {
    const first = document.nodes[0]?.id as string;
    expect(issuesOf((doc) => (nodes(doc).ghost = {}))).toContain("unknown-id batchModel.nodes.ghost");
    expect(issuesOf((doc) => delete nodes(doc)[first])).toContain(`required batchModel.nodes.${first}`);
    expect(issuesOf((doc) => ((nodes(doc)[first] as Record<string, unknown>).speed = {}))).toContain(
      `unknown-field batchModel.nodes.${first}.speed`,
    );
    expect(issuesOf((doc) => ((block(doc).fixedBytes as Record<string, unknown>).slope = "x"))).toContain(
      "type batchModel.fixedBytes.slope",
    );
  });
});

describe("remat predict and remat fit --batch-model", () => {
  const dir = mkdtempSync(join(tmpdir(), "remat-batch-model-"));
  const profile = join(dir, "r18.json");
  writeFileSync(
    profile,
    JSON.stringify({
      ...modelled([1, 2, 4]),
      model: { zoo: "resnet-18", config: { inputSize: 32, batch: 4 } },
    }),
  );

  it("writes the instance at a new batch, which parses", async () => {
    const out = join(dir, "r18-b16.json");
    const run = await cli("predict", profile, "--batch", "16", "--out", out);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/batch 16 predicted from batches 1, 2, 4/);
    const again = await cli("solve", out, "--solver", "store-all", "--budget", "none");
    expect(again.code).toBe(0);
  });

  it("refuses an instance without a batch model, and a missing batch, with exit 2", async () => {
    const plain = join(dir, "plain.json");
    writeFileSync(plain, JSON.stringify(resnetAt(2)));
    const run = await cli("predict", plain, "--batch", "4", "--out", join(dir, "x.json"));
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/batchModel/);
    expect((await cli("predict", profile, "--out", join(dir, "y.json"))).err).toMatch(/--batch/);
  });

  it("fits the same store-all batch from the model as from the zoo regenerated at every batch", async () => {
    const args = ["--memory", "300MB", "--solvers", "store-all", "--json"];
    const fromModel = JSON.parse((await cli("fit", "--batch-model", profile, ...args)).out);
    const fromZoo = JSON.parse(
      (await cli("fit", "--model", "resnet-18", "--input-size", "32", "--level", "op", ...args)).out,
    );
    expect(fromModel.rows[0].batch).toBeGreaterThan(1);
    expect(fromModel.rows[0].batch).toBe(fromZoo.rows[0].batch);
    expect(fromModel.rows[0].peakBytes).toBe(fromZoo.rows[0].peakBytes);
  });

  it("refuses flags the profile fixes", async () => {
    const run = await cli("fit", "--batch-model", profile, "--memory", "1GB", "--optimizer", "adam");
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/--optimizer/);
    const level = await cli("fit", "--batch-model", profile, "--memory", "1GB", "--level", "block");
    expect(level.err).toMatch(/--level/);
  });
});
