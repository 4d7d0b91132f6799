/**
 * Instance validation: one test per class of bad input, checking the error class, the issue code and
 * the JSON path (never the message text), and that every problem is reported at once.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../src/errors.js";
import { loadInstance } from "../src/instance/load.js";
import { INSTANCE_FIELDS, parseInstance } from "../src/instance/parse.js";

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

function withNode(index: number, patch: Record<string, unknown>) {
  const document = valid();
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
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
  });
});
