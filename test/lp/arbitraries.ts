/**
 * A fast-check arbitrary of small MILPs, built through the public `ModelBuilder`, that are feasible and
 * bounded by construction: every variable is bounded, and a witness point satisfies every row.
 */
import { fc } from "@fast-check/vitest";
import { type LpModel, ModelBuilder, type ObjectiveSense, type VariableKind } from "../../src/lp/index.js";

interface VariableDraft {
  readonly kind: VariableKind;
  readonly lower: number;
  readonly width: number;
  readonly objective: number;
  /** Picks the witness value in [lower, lower + width]. */
  readonly pick: number;
}

interface RowDraft {
  readonly coefficients: readonly number[];
  readonly relation: "<=" | ">=" | "=" | "range";
  readonly slack: number;
  readonly slack2: number;
}

const variableDraft: fc.Arbitrary<VariableDraft> = fc.record({
  kind: fc.constantFrom<VariableKind>("binary", "integer", "integer", "continuous"),
  lower: fc.integer({ min: -3, max: 2 }),
  width: fc.integer({ min: 0, max: 4 }),
  objective: fc.integer({ min: -10, max: 10 }),
  pick: fc.nat(),
});

const rowDraft = (n: number): fc.Arbitrary<RowDraft> =>
  fc.record({
    coefficients: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: -5, max: 5 })), {
      minLength: n,
      maxLength: n,
    }),
    relation: fc.constantFrom<RowDraft["relation"]>("<=", ">=", "=", "range"),
    slack: fc.integer({ min: 0, max: 3 }),
    slack2: fc.integer({ min: 0, max: 3 }),
  });

/** A small MILP: 3 to 8 integer or binary variables plus up to 2 continuous ones, 1 to 4 rows. */
export const smallMilp: fc.Arbitrary<LpModel> = fc
  .tuple(
    fc.array(variableDraft, { minLength: 3, maxLength: 10 }),
    fc.constantFrom<ObjectiveSense>("minimize", "maximize"),
    fc.integer({ min: -5, max: 5 }),
  )
  .filter(([vars]) => {
    const integers = vars.filter((v) => v.kind !== "continuous").length;
    return integers >= 3 && integers <= 8 && vars.length - integers <= 2;
  })
  .chain(([vars, sense, offset]) =>
    fc
      .array(rowDraft(vars.length), { minLength: 1, maxLength: 4 })
      .map((rows) => buildMilp(vars, rows, sense, offset)),
  );

function buildMilp(
  vars: readonly VariableDraft[],
  rows: readonly RowDraft[],
  sense: ObjectiveSense,
  offset: number,
): LpModel {
  const b = new ModelBuilder("random", sense);
  b.addOffset(offset);
  const witness: number[] = [];
  vars.forEach((v, j) => {
    const lower = v.kind === "binary" ? 0 : v.lower;
    const upper = v.kind === "binary" ? 1 : v.lower + v.width;
    b.addVariable(`v${j}`, { kind: v.kind, lower, upper, objective: v.objective });
    witness.push(lower + (v.pick % (upper - lower + 1)));
  });
  rows.forEach((r, i) => {
    const terms = r.coefficients.map((c, j) => [j, c] as const);
    const activity = r.coefficients.reduce((sum, c, j) => sum + c * (witness[j] as number), 0);
    const bounds =
      r.relation === "<="
        ? { upper: activity + r.slack }
        : r.relation === ">="
          ? { lower: activity - r.slack }
          : r.relation === "="
            ? { equal: activity }
            : { lower: activity - r.slack, upper: activity + r.slack2 };
    b.addConstraint(`row${i}`, terms, bounds);
  });
  return b.build();
}
