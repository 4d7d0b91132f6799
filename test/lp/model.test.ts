/**
 * The model builder (src/lp/model.ts) and the solution checker (src/lp/check.ts): validation throws
 * InternalError, terms are merged, snapshots are frozen, the CSR layout is right, and checkSolution
 * names every violated bound, row and integrality requirement.
 */
import { describe, expect, test } from "vitest";
import { InternalError } from "../../src/errors.js";
import { checkSolution, ModelBuilder, modelArrays, withoutObjective } from "../../src/lp/index.js";

function twoVariables(): ModelBuilder {
  const b = new ModelBuilder("m", "minimize");
  b.addVariable("x", { lower: -1, upper: 4, objective: 2 });
  b.addVariable("y", { kind: "integer", objective: -1 });
  return b;
}

describe("ModelBuilder", () => {
  test("rejects a duplicate variable name and a duplicate constraint name", () => {
    const b = twoVariables();
    expect(() => b.addVariable("x")).toThrow(InternalError);
    b.addConstraint("c", [[0, 1]], { upper: 1 });
    expect(() => b.addConstraint("c", [[1, 1]], { upper: 1 })).toThrow(InternalError);
  });

  test("keeps variable and constraint names in separate namespaces", () => {
    const b = twoVariables();
    expect(b.addConstraint("x", [[0, 1]], { lower: 0 })).toBe(0);
  });

  test("rejects non-finite coefficients, objectives and offsets", () => {
    const b = twoVariables();
    expect(() => b.addVariable("z", { objective: Number.NaN })).toThrow(InternalError);
    expect(() => b.addConstraint("c", [[0, Number.POSITIVE_INFINITY]], { upper: 1 })).toThrow(InternalError);
    expect(() => b.addObjectiveTerm(0, Number.NaN)).toThrow(InternalError);
    expect(() => b.addOffset(Number.POSITIVE_INFINITY)).toThrow(InternalError);
    expect(() => b.addConstraint("e", [[0, 1]], { equal: Number.POSITIVE_INFINITY })).toThrow(InternalError);
  });

  test("rejects lower > upper, NaN bounds and infinities on the wrong side", () => {
    const b = twoVariables();
    expect(() => b.addVariable("a", { lower: 2, upper: 1 })).toThrow(InternalError);
    expect(() => b.addVariable("b", { lower: Number.NaN })).toThrow(InternalError);
    expect(() => b.addVariable("c", { lower: Number.POSITIVE_INFINITY })).toThrow(InternalError);
    expect(() => b.addVariable("d", { upper: Number.NEGATIVE_INFINITY })).toThrow(InternalError);
    expect(() => b.addConstraint("r", [[0, 1]], { lower: 3, upper: 2 })).toThrow(InternalError);
  });

  test("rejects binary bounds outside [0, 1], unknown variables and empty names", () => {
    const b = twoVariables();
    expect(() => b.addVariable("z", { kind: "binary", upper: 2 })).toThrow(InternalError);
    expect(() => b.addConstraint("c", [[2, 1]], { upper: 1 })).toThrow(InternalError);
    expect(() => b.addConstraint("c", [[0.5, 1]], { upper: 1 })).toThrow(InternalError);
    expect(() => b.addObjectiveTerm(-1, 1)).toThrow(InternalError);
    expect(() => b.addVariable("")).toThrow(InternalError);
  });

  test("sums terms on the same variable and drops zero coefficients", () => {
    const b = twoVariables();
    b.addConstraint(
      "c",
      [
        [1, 2],
        [0, 0],
        [1, 3],
        [0, 1],
        [0, -1],
      ],
      { lower: 1 },
    );
    expect(b.build().constraints[0]?.terms).toEqual([[1, 5]]);
  });

  test("builds frozen snapshots that later additions do not change", () => {
    const b = twoVariables();
    b.addObjectiveTerm(0, 3);
    const first = b.build();
    b.addVariable("z");
    b.addOffset(2);
    expect(first.variables).toHaveLength(2);
    expect(first.variables[0]).toMatchObject({ name: "x", lower: -1, upper: 4, objective: 5 });
    expect(first.variables[1]).toMatchObject({ lower: 0, upper: Number.POSITIVE_INFINITY, kind: "integer" });
    expect(first.offset).toBe(0);
    expect(
      Object.isFrozen(first) && Object.isFrozen(first.variables) && Object.isFrozen(first.variables[0]),
    ).toBe(true);
    expect(b.build().offset).toBe(2);
  });

  test("gives binaries the bounds [0, 1] by default", () => {
    const b = new ModelBuilder("m", "maximize");
    b.addVariable("z", { kind: "binary" });
    expect(b.build().variables[0]).toMatchObject({ lower: 0, upper: 1 });
  });
});

describe("modelArrays", () => {
  test("lays rows out as CSR with dense bounds and an integrality mask that relax clears", () => {
    const b = twoVariables();
    b.addConstraint(
      "a",
      [
        [1, 4],
        [0, 3],
      ],
      { equal: 2 },
    );
    b.addConstraint("empty", [], { lower: -1 });
    b.addConstraint("b", [[0, -1]], { upper: 5 });
    const arrays = modelArrays(b.build());
    expect(Array.from(arrays.starts)).toEqual([0, 2, 2, 3]);
    expect(Array.from(arrays.indices)).toEqual([1, 0, 0]);
    expect(Array.from(arrays.values)).toEqual([4, 3, -1]);
    expect(Array.from(arrays.rowLower)).toEqual([2, -1, Number.NEGATIVE_INFINITY]);
    expect(Array.from(arrays.rowUpper)).toEqual([2, Number.POSITIVE_INFINITY, 5]);
    expect(Array.from(arrays.colCost)).toEqual([2, -1]);
    expect(Array.from(arrays.integer)).toEqual([0, 1]);
    expect(Array.from(modelArrays(b.build(), true).integer)).toEqual([0, 0]);
  });

  test("rounds the bounds of integral variables inwards, unless relaxed", () => {
    const b = new ModelBuilder("m", "minimize");
    b.addVariable("i", { kind: "integer", lower: -2.5, upper: 5.5 });
    b.addVariable("j", { kind: "integer", lower: 1 + 1e-12, upper: 1.2 });
    b.addVariable("c", { lower: -2.5, upper: 5.5 });
    const arrays = modelArrays(b.build());
    expect(Array.from(arrays.colLower)).toEqual([-2, 1, -2.5]);
    expect(Array.from(arrays.colUpper)).toEqual([5, 1, 5.5]);
    expect(Array.from(modelArrays(b.build(), true).colLower)).toEqual([-2.5, 1 + 1e-12, -2.5]);
  });

  test("withoutObjective keeps the constraints and zeroes the objective and offset", () => {
    const b = twoVariables();
    b.addOffset(7);
    b.addConstraint("c", [[0, 1]], { upper: 1 });
    const zero = withoutObjective(b.build());
    expect(zero.offset).toBe(0);
    expect(zero.variables.map((v) => v.objective)).toEqual([0, 0]);
    expect(zero.constraints).toEqual(b.build().constraints);
  });
});

describe("checkSolution", () => {
  const b = twoVariables();
  b.addOffset(1);
  b.addConstraint(
    "sum",
    [
      [0, 1],
      [1, 1],
    ],
    { lower: 1, upper: 3 },
  );
  b.addConstraint("y-cap", [[1, 1]], { upper: 2 });
  const model = b.build();

  test("accepts a feasible point and recomputes the objective with the offset", () => {
    const check = checkSolution(model, [0.5, 2]);
    expect(check.violations).toEqual([]);
    expect(check.objective).toBe(1 + 2 * 0.5 - 2);
  });

  test("names each violated bound, row and integrality requirement", () => {
    const check = checkSolution(model, [-2, 3.5]);
    expect(check.violations.map((v) => [v.kind, v.name])).toEqual([
      ["below-lower", "x"],
      ["not-integral", "y"],
      ["row-above-upper", "y-cap"],
    ]);
    expect(checkSolution(model, [5, 0]).violations.map((v) => v.kind)).toEqual([
      "above-upper",
      "row-above-upper",
    ]);
    expect(checkSolution(model, [0, 0]).violations.map((v) => v.kind)).toEqual(["row-below-lower"]);
    expect(checkSolution(model, [Number.NaN, 0]).violations.map((v) => v.kind)).toContain("not-finite");
  });

  test("skips integrality under relax and scales the tolerance with the bound", () => {
    expect(checkSolution(model, [0, 1.5], 1e-6, true).violations).toEqual([]);
    expect(checkSolution(model, [1, 2 + 1e-7]).violations).toEqual([]);
    expect(checkSolution(model, [0, 2 + 1e-7], 0).violations.map((v) => v.kind)).toContain("row-above-upper");
  });

  test("throws InternalError for a values array of the wrong length", () => {
    expect(() => checkSolution(model, [1])).toThrow(InternalError);
  });
});
