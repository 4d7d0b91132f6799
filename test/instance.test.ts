/**
 * Instance validation: one test per class of bad input, checking the error class, the issue code and
 * the JSON path (never the message text), and that every problem is reported at once.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../src/errors.js";
import { MAX_JSON_DEPTH } from "../src/instance/json-depth.js";
import { MAX_BYTES, MAX_TOTAL_MS } from "../src/instance/limits.js";
import { loadInstance } from "../src/instance/load.js";
import { INSTANCE_FIELDS, parseInstance } from "../src/instance/parse.js";
import { STORAGE_MODES } from "../src/instance/types.js";

const valid = () => ({
  format: "remat-instance/1",
  name: "t",
  nodes: [
    { id: "x", fwd: 0, bwd: 0, bytes: 4, recomputable: false },
    { id: "a", fwd: 1, bwd: 1, bytes: 8, inputs: ["x"] },
    { id: "loss", fwd: 1, bwd: 1, bytes: 4, inputs: ["a"] },
  ],
});

/** The issues parseInstance reports for `document`, as [code, path] pairs. */
function issuesOf(document: unknown): [string, string][] {
  try {
    parseInstance(document, "t.json");
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).issues.map((issue) => [issue.code, issue.path]);
  }
  throw new Error("expected an InputError");
}

function withNode(index: number, patch: Record<string, unknown>, document = valid()) {
  document.nodes[index] = { ...document.nodes[index], ...patch } as (typeof document.nodes)[number];
  return document;
}

describe("parseInstance", () => {
  it("accepts a valid instance, fills defaults and freezes it", () => {
    const instance = parseInstance(valid());
    expect(instance.nodes[1]).toMatchObject({
      gradBytes: 8,
      needs: ["inputs", "output"],
      tapeBytes: 0,
      recomputable: true,
      offloadable: true,
    });
    expect(Object.isFrozen(instance.nodes[1])).toBe(true);
  });

  it("fills the storage defaults: float32 elements, density 1, no stored form offered", () => {
    const instance = parseInstance(valid());
    expect(instance.nodes[1]).toMatchObject({ elementBytes: 4, density: 1, storage: {} });
  });

  it("reads a node's element size, density and stored forms", () => {
    const storage = { bitmap: { convertMs: 0.5, expandMs: 0.25 }, bf16: { convertMs: 0, expandMs: 0 } };
    const instance = parseInstance(withNode(1, { elementBytes: 2, density: 0.25, storage }));
    expect(instance.nodes[1]).toMatchObject({ elementBytes: 2, density: 0.25, storage });
    expect(Object.isFrozen(instance.nodes[1]?.storage.bitmap)).toBe(true);
  });

  it("reports bad storage fields at their paths", () => {
    expect(issuesOf(withNode(1, { density: 1.5 }))).toEqual([["too-large", "nodes[1].density"]]);
    expect(issuesOf(withNode(1, { density: -0.1 }))).toEqual([["negative", "nodes[1].density"]]);
    expect(issuesOf(withNode(1, { elementBytes: 0 }))).toEqual([["negative", "nodes[1].elementBytes"]]);
    expect(issuesOf(withNode(1, { elementBytes: 2.5 }))).toEqual([["not-integer", "nodes[1].elementBytes"]]);
    expect(issuesOf(withNode(1, { storage: { zip: {} } }))).toEqual([
      ["unknown-field", "nodes[1].storage.zip"],
    ]);
    expect(issuesOf(withNode(1, { storage: { fp16: { convertMs: 1 } } }))).toEqual([
      ["required", "nodes[1].storage.fp16.expandMs"],
    ]);
    expect(
      issuesOf(withNode(1, { storage: { fp16: { convertMs: -1, expandMs: 0, extra: 1 } } })).sort(),
    ).toEqual([
      ["negative", "nodes[1].storage.fp16.convertMs"],
      ["unknown-field", "nodes[1].storage.fp16.extra"],
    ]);
    expect(issuesOf(withNode(1, { storage: [] }))).toEqual([["type", "nodes[1].storage"]]);
  });

  it("counts the largest stored form a node offers in the memory total", () => {
    // 2^52 bytes of 1-byte elements: fp16 doubles them, so a, its gradient and s:a pass 2^53 - 1
    const big = 2 ** 52;
    const storage = { fp16: { convertMs: 0, expandMs: 0 } };
    expect(() => parseInstance(withNode(1, { bytes: big, gradBytes: 0, elementBytes: 8 }))).not.toThrow();
    expect(issuesOf(withNode(1, { bytes: big, gradBytes: 0, elementBytes: 1, storage }))).toEqual([
      ["total-too-large", "nodes"],
    ]);
  });

  it("reports a negative size at its path", () => {
    expect(issuesOf(withNode(1, { bytes: -3 }))).toEqual([["negative", "nodes[1].bytes"]]);
  });

  it("reports non-finite and non-integer numbers", () => {
    expect(issuesOf(withNode(1, { fwd: Number.NaN }))).toEqual([["not-finite", "nodes[1].fwd"]]);
    expect(issuesOf(withNode(1, { bwd: Number.POSITIVE_INFINITY }))).toEqual([
      ["not-finite", "nodes[1].bwd"],
    ]);
    expect(issuesOf(withNode(1, { bytes: 1.5 }))).toEqual([["not-integer", "nodes[1].bytes"]]);
    expect(issuesOf(withNode(1, { bytes: "8" }))).toEqual([["type", "nodes[1].bytes"]]);
  });

  it("reports unknown input ids", () => {
    expect(issuesOf(withNode(2, { inputs: ["nope"] }))).toEqual([["unknown-id", "nodes[2].inputs[0]"]]);
  });

  it("reports duplicate ids", () => {
    expect(issuesOf(withNode(1, { id: "x" }))).toContainEqual(["duplicate-id", "nodes[1].id"]);
  });

  it("reports a cycle", () => {
    const document = withNode(1, { inputs: ["x", "loss"] });
    expect(issuesOf(document)).toEqual([["cycle", expect.stringMatching(/^nodes\[\d\]\.inputs$/)]]);
  });

  it("reports nodes out of topological order", () => {
    const document = valid();
    document.nodes = [document.nodes[0], document.nodes[2], document.nodes[1]] as typeof document.nodes;
    expect(issuesOf(document)).toContainEqual(["order", "nodes[1].inputs[0]"]);
  });

  it("reports unknown needs words and unknown fields", () => {
    expect(issuesOf(withNode(1, { needs: ["inputs", "grad"] }))).toEqual([
      ["bad-value", "nodes[1].needs[1]"],
    ]);
    expect(issuesOf(withNode(1, { colour: "red" }))).toEqual([["unknown-field", "nodes[1].colour"]]);
    expect(issuesOf({ ...valid(), extra: 1 })).toEqual([["unknown-field", "extra"]]);
  });

  it("reports a missing or wrong format, name and nodes", () => {
    expect(issuesOf({ name: "t", nodes: valid().nodes })).toEqual([["required", "format"]]);
    expect(issuesOf({ format: "remat-instance/2", name: "t", nodes: valid().nodes })).toEqual([
      ["bad-value", "format"],
    ]);
    expect(issuesOf({ format: "remat-instance/1", nodes: valid().nodes })).toEqual([["required", "name"]]);
    expect(issuesOf({ format: "remat-instance/1", name: "t" })).toEqual([["required", "nodes"]]);
    expect(issuesOf([1, 2])).toEqual([["type", ""]]);
  });

  it("reports a second node without consumers (the loss must be unique and last)", () => {
    const document = valid();
    document.nodes.push({
      id: "orphan",
      fwd: 1,
      bwd: 1,
      bytes: 4,
      inputs: ["x"],
    } as (typeof document.nodes)[number]);
    expect(issuesOf(document).map(([code]) => code)).toContain("structure");
  });

  it("reports bad hardware and duplicate inputs", () => {
    expect(issuesOf({ ...valid(), hardware: { bandwidth: 0 } })).toEqual([
      ["negative", "hardware.bandwidth"],
    ]);
    expect(issuesOf(withNode(2, { inputs: ["a", "a"] }))).toEqual([
      ["duplicate-input", "nodes[2].inputs[1]"],
    ]);
  });

  it("reports every problem at once", () => {
    const document = withNode(1, { bytes: -1, fwd: "slow", colour: 1 });
    expect(issuesOf(document)).toHaveLength(3);
  });

  it("names the file in the message", () => {
    expect(() => parseInstance(withNode(1, { bytes: -3 }), "resnet.json")).toThrow(
      /nodes\[1\]\.bytes.*resnet\.json/,
    );
  });
});

/** An object nested `depth` levels deep (`{ x: { x: ... } }`), built without recursion. */
function nested(depth: number): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let inner = root;
  for (let level = 1; level < depth; level++) {
    const next: Record<string, unknown> = {};
    inner.x = next;
    inner = next;
  }
  return root;
}

describe("parseInstance limits", () => {
  const sizes = ["bytes", "gradBytes", "tapeBytes", "fwdTemp", "bwdTemp"] as const;

  it.each(sizes)("refuses a %s beyond 2^53 - 1, which a double cannot hold exactly", (field) => {
    expect(issuesOf(withNode(1, { [field]: MAX_BYTES + 1 }))).toEqual([["too-large", `nodes[1].${field}`]]);
    expect(issuesOf(withNode(1, { [field]: 1e308 }))).toEqual([["too-large", `nodes[1].${field}`]]);
  });

  it("refuses a fixedBytes beyond 2^53 - 1 and states the limit in the issue", () => {
    const error = (() => {
      try {
        parseInstance({ ...valid(), fixedBytes: 1e16 });
      } catch (caught) {
        return caught as InputError;
      }
      throw new Error("expected an InputError");
    })();
    expect(error.issues.map((issue) => [issue.code, issue.path])).toEqual([["too-large", "fixedBytes"]]);
    expect(error.issues[0]?.expected).toContain(String(MAX_BYTES));
  });

  it("accepts a memory total of exactly 2^53 - 1 and refuses one byte more", () => {
    const third = Math.floor(MAX_BYTES / 3);
    const document = (fixedBytes: number) => ({
      ...valid(),
      fixedBytes,
      nodes: [
        { id: "x", fwd: 0, bwd: 0, bytes: 0, recomputable: false },
        { id: "a", fwd: 1, bwd: 1, bytes: third, gradBytes: third, inputs: ["x"] },
        { id: "loss", fwd: 1, bwd: 1, bytes: 0, inputs: ["a"] },
      ],
    });
    expect(parseInstance(document(MAX_BYTES - 2 * third)).fixedBytes + 2 * third).toBe(MAX_BYTES);
    expect(issuesOf(document(MAX_BYTES - 2 * third + 1))).toEqual([["total-too-large", "nodes"]]);
  });

  it("refuses sizes that are each representable but sum beyond 2^53 - 1, as one issue at nodes", () => {
    const share = 2 ** 51; // four of them reach 2^53
    const document = withNode(
      2,
      { bytes: share, gradBytes: share },
      withNode(1, { bytes: share, gradBytes: share }),
    );
    expect(issuesOf(document)).toEqual([["total-too-large", "nodes"]]);
    expect(
      issuesOf(withNode(1, { bytes: share, gradBytes: share, tapeBytes: share, fwdTemp: share })),
    ).toEqual([["total-too-large", "nodes"]]);
  });

  it("counts the largest temporaries once, not one per node", () => {
    const big = 2 ** 52;
    const document = withNode(2, { fwdTemp: big }, withNode(1, { fwdTemp: big, bwdTemp: big }));
    expect(parseInstance(document).nodes[1]?.fwdTemp).toBe(big);
  });

  it("refuses times beyond 1e15 ms, and times whose total is beyond it", () => {
    expect(issuesOf(withNode(1, { fwd: 1e300 }))).toEqual([["too-large", "nodes[1].fwd"]]);
    expect(issuesOf(withNode(1, { bwd: MAX_TOTAL_MS * 2 }))).toEqual([["too-large", "nodes[1].bwd"]]);
    expect(issuesOf(withNode(1, { fwd: MAX_TOTAL_MS, bwd: MAX_TOTAL_MS }))).toEqual([
      ["total-too-large", "nodes"],
    ]);
    expect(parseInstance(withNode(1, { fwd: MAX_TOTAL_MS / 2 })).nodes[1]?.fwd).toBe(MAX_TOTAL_MS / 2);
  });

  it("refuses a link whose latency or transfer times are beyond 1e15 ms", () => {
    expect(issuesOf({ ...valid(), hardware: { bandwidth: 1, latency: 1e300 } })).toEqual([
      ["too-large", "hardware.latency"],
    ]);
    expect(issuesOf({ ...valid(), hardware: { bandwidth: 1e-300 } })).toEqual([
      ["total-too-large", "hardware"],
    ]);
    expect(issuesOf({ ...valid(), hardware: { bandwidth: Number.POSITIVE_INFINITY } })).toEqual([
      ["not-finite", "hardware.bandwidth"],
    ]);
  });

  it.each([3_000, 100_000])("refuses meta nested %i levels deep at its path", (depth) => {
    const [issue, ...rest] = issuesOf(withNode(1, { meta: nested(depth) }));
    expect(rest).toEqual([]);
    expect(issue?.[0]).toBe("too-deep");
    expect(issue?.[1]).toBe(`nodes[1].meta${".x".repeat(MAX_JSON_DEPTH - 3)}`);
  });

  it.each([3_000, 100_000])("refuses model.config nested %i levels deep at its path", (depth) => {
    const [issue, ...rest] = issuesOf({ ...valid(), model: { zoo: "mlp", config: nested(depth) } });
    expect(rest).toEqual([]);
    expect(issue).toEqual(["too-deep", `model.config${".x".repeat(MAX_JSON_DEPTH - 2)}`]);
  });

  it("accepts meta and model.config nested up to the limit, and freezes them", () => {
    const meta = nested(MAX_JSON_DEPTH - 3);
    const instance = parseInstance({
      ...withNode(1, { meta }),
      model: { zoo: "mlp", config: nested(MAX_JSON_DEPTH - 2) },
    });
    let inner: unknown = instance.nodes[1]?.meta;
    let depth = 0;
    while (typeof inner === "object" && inner !== null) {
      expect(Object.isFrozen(inner)).toBe(true);
      inner = (inner as Record<string, unknown>).x;
      depth++;
    }
    expect(depth).toBe(MAX_JSON_DEPTH - 3);
    expect(Object.isFrozen(instance.model?.config)).toBe(true);
  });

  it("reports a cyclic in-memory meta as too deep instead of walking it forever", () => {
    const meta: Record<string, unknown> = {};
    meta.self = meta;
    expect(issuesOf(withNode(1, { meta })).map(([code]) => code)).toEqual(["too-deep"]);
  });
});

describe("loadInstance", () => {
  const folder = mkdtempSync(join(tmpdir(), "remat-instance-"));

  it("reports malformed JSON with the file name", async () => {
    const path = join(folder, "broken.json");
    writeFileSync(path, "{ not json");
    const error = await loadInstance(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues[0]?.code).toBe("json");
    expect((error as InputError).file).toBe(path);
  });

  it("reads a file that starts with a UTF-8 byte-order mark", async () => {
    const path = join(folder, "bom.json");
    writeFileSync(path, `\uFEFF${JSON.stringify(valid())}`);
    expect((await loadInstance(path)).name).toBe("t");
  });

  it("strips only one byte-order mark, and reports what follows it", async () => {
    const path = join(folder, "bom-garbage.json");
    writeFileSync(path, "\uFEFF\uFEFF{}");
    const error = await loadInstance(path).catch((caught: unknown) => caught);
    expect((error as InputError).issues[0]?.code).toBe("json");
  });

  it("reports a meta nested 100,000 levels deep in a file as too deep, without a stack overflow", async () => {
    const path = join(folder, "deep-meta.json");
    const depth = 100_000;
    const meta = `${'{"x":'.repeat(depth - 1)}{}${"}".repeat(depth - 1)}`;
    const document = JSON.stringify(withNode(1, { meta: "META" })).replace('"META"', meta);
    writeFileSync(path, document);
    const error = await loadInstance(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues.map((issue) => issue.code)).toEqual(["too-deep"]);
    expect((error as InputError).file).toBe(path);
  });

  it("reports a missing file", async () => {
    const error = await loadInstance(join(folder, "absent.json")).catch((caught: unknown) => caught);
    expect((error as InputError).issues[0]?.code).toBe("file");
  });
});

describe("instances/schema.json", () => {
  const schema = JSON.parse(readFileSync(new URL("../instances/schema.json", import.meta.url), "utf8"));

  it("lists exactly the fields the loader accepts", () => {
    expect(Object.keys(schema.properties).sort()).toEqual([...INSTANCE_FIELDS.top].sort());
    expect(Object.keys(schema.$defs.node.properties).sort()).toEqual([...INSTANCE_FIELDS.node].sort());
    expect(Object.keys(schema.properties.hardware.properties).sort()).toEqual(
      [...INSTANCE_FIELDS.hardware].sort(),
    );
    expect(Object.keys(schema.properties.memory.properties).sort()).toEqual(
      [...INSTANCE_FIELDS.memory].sort(),
    );
    expect(Object.keys(schema.$defs.node.properties.storage.properties).sort()).toEqual(
      [...STORAGE_MODES].sort(),
    );
    expect(Object.keys(schema.$defs.storageCosts.properties).sort()).toEqual(
      [...INSTANCE_FIELDS.storageCosts].sort(),
    );
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
  });
});
