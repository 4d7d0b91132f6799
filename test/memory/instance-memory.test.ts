/**
 * The instance's optional `memory` block: parsed when its three parts add up to fixedBytes, each
 * problem reported with its path; instances without it keep their meaning; the zoo writes it.
 */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { parseInstance } from "../../src/instance/parse.js";
import { parameterCount } from "../../src/zoo/document.js";
import { generateInstance } from "../../src/zoo/generate.js";
import { zooModel } from "../../src/zoo/registry.js";

const document = (memory?: unknown) => ({
  format: "remat-instance/1",
  name: "t",
  fixedBytes: 1000,
  ...(memory === undefined ? {} : { memory }),
  nodes: [
    { id: "x", fwd: 0, bwd: 0, bytes: 4, recomputable: false },
    { id: "loss", fwd: 1, bwd: 1, bytes: 4, inputs: ["x"] },
  ],
});

function issuesOf(value: unknown): [string, string][] {
  try {
    parseInstance(value);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).issues.map((issue) => [issue.code, issue.path]);
  }
  throw new Error("expected an InputError");
}

describe("the memory block of an instance", () => {
  it("is read when weights, gradients and optimizer add up to fixedBytes", () => {
    const instance = parseInstance(document({ weights: 400, gradients: 400, optimizer: 200 }));
    expect(instance.memory).toEqual({ weights: 400, gradients: 400, optimizer: 200 });
  });

  it("is absent from an instance that does not give it", () => {
    expect(parseInstance(document()).memory).toBeUndefined();
  });

  it("is refused at `memory` when its parts do not add up to fixedBytes", () => {
    expect(issuesOf(document({ weights: 400, gradients: 400, optimizer: 100 }))).toEqual([
      ["bad-value", "memory"],
    ]);
  });

  it("names each missing, negative or unknown field", () => {
    expect(issuesOf(document({ weights: -1, optimizer: 0, momentum: 3 }))).toEqual([
      ["unknown-field", "memory.momentum"],
      ["negative", "memory.weights"],
      ["required", "memory.gradients"],
    ]);
  });

  it("must be an object", () => {
    expect(issuesOf(document(12))).toEqual([["type", "memory"]]);
  });
});

describe("zoo instances", () => {
  it("carry weights and gradients of 4 bytes per parameter and the optimizer's state", () => {
    const params = parameterCount(zooModel("mlp").build({ batch: 8 }));
    for (const [optimizer, buffers] of [
      ["sgd", 0],
      ["momentum", 1],
      ["adam", 2],
    ] as const) {
      for (const level of ["op", "block"] as const) {
        const { document: made } = generateInstance({ zoo: "mlp", config: { batch: 8 }, level, optimizer });
        expect(made.memory).toEqual({
          weights: 4 * params,
          gradients: 4 * params,
          optimizer: 4 * params * buffers,
        });
        expect(made.fixedBytes).toBe(4 * params * (2 + buffers));
      }
    }
  });
});
