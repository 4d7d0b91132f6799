/**
 * Golden results (STYLE.md, "Golden instances"): each case's status, makespan and peak are pinned in
 * expected.json with the provenance of the expectation (cases.ts), and each provenance is checked again
 * live, so a pinned number is never merely the code's own output: the sum-of-times bound, rotor's
 * optimum, Revolve's closed form, or an enumeration, wherever one exists.
 * Regenerate after an intended change with: UPDATE_GOLDEN=1 npx vitest run test/golden
 */
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { chainView } from "../../solvers/chain/chain-view.js";
import { extraForwards } from "../../solvers/chain/index.js";
import { solve } from "../../solvers/index.js";
import { makespanLowerBound } from "../../src/evaluate/bounds.js";
import type { Instance } from "../../src/instance/types.js";
import type { Certificate } from "../../src/optimality.js";
import { storeAllEvaluation } from "../../src/schedule/builders.js";
import type { SolveResult } from "../../src/solve-result.js";
import { rotorChainOf, rotorDiscretize, rotorOptimum } from "../chain/rotor-reference.js";
import { classEvaluations, classOptimum } from "../conformance/class-optimum.js";
import { CASES, type GoldenCase, instanceOf, keyOf } from "./cases.js";

interface GoldenAnswer {
  readonly provenance: string;
  readonly status: string;
  readonly makespanMs: number | null;
  readonly peakBytes: number | null;
  readonly certificate?: Certificate | null;
}

const expectedPath = new URL("./expected.json", import.meta.url);
const TOLERANCE = 1e-9;

async function answer(golden: GoldenCase): Promise<{ instance: Instance; result: SolveResult }> {
  const instance = await instanceOf(golden);
  const result = await solve(instance, {
    solver: golden.solver,
    budget: golden.budget,
    objective: golden.objective,
  });
  return { instance, result };
}

function recorded(golden: GoldenCase, result: SolveResult): GoldenAnswer {
  return {
    provenance: golden.provenance,
    status: result.status,
    makespanMs: result.makespanMs,
    peakBytes: result.peakBytes,
    ...(golden.provenance === "certificate" ? { certificate: result.certificate } : {}),
  };
}

/** Checks the case's provenance against an independent computation made now. */
function checkProvenance(golden: GoldenCase, instance: Instance, result: SolveResult): void {
  const cost = golden.objective === "time" ? result.makespanMs : result.peakBytes;
  switch (golden.provenance) {
    case "sum-of-times":
      expect(result.status).toBe("optimal");
      expect(result.makespanMs).toBeCloseTo(makespanLowerBound(instance), 9);
      return;
    case "rotor-reference": {
      const view = chainView(instance);
      const chain = rotorDiscretize(
        view,
        result.budgetBytes as number,
        instance.fixedBytes,
        result.options.slots as number,
      );
      const rotor =
        chain === undefined
          ? Number.POSITIVE_INFINITY
          : rotorOptimum(rotorChainOf(instance, chain), chain.topSlots);
      if (Number.isFinite(rotor))
        expect(cost as number).toBeLessThanOrEqual((view.inputMs + rotor) * (1 + TOLERANCE));
      return;
    }
    case "closed-form": {
      const view = chainView(instance);
      const snapshots = result.stats.snapshots as number;
      const n = view.length;
      const fwd = view.uf[0] as number;
      const expected = view.inputMs + n * (fwd + (view.ub[0] as number)) + extraForwards(n, snapshots) * fwd;
      expect(result.makespanMs).toBeCloseTo(expected, 9);
      return;
    }
    case "exhaustive": {
      // the class's enumerated optimum, or store-all when it does better (it may lie outside the class)
      const over = result.certificate?.over;
      expect(over === "checkpoint" || over === "persistent-chain").toBe(true);
      const evaluations = [
        ...(classEvaluations(instance, over as "checkpoint") ?? []),
        storeAllEvaluation(instance),
      ];
      expect(cost).toBe(classOptimum(evaluations, golden.objective, Number.POSITIVE_INFINITY));
      return;
    }
    case "certificate":
      expect(result.status).toBe("optimal");
      expect(result.certificate).not.toBeNull();
      return;
    case "snapshot":
      return;
  }
}

describe("golden results", () => {
  if (process.env.UPDATE_GOLDEN) {
    it("regenerates test/golden/expected.json", async () => {
      const entries: Record<string, GoldenAnswer> = {};
      for (const golden of CASES) entries[keyOf(golden)] = recorded(golden, (await answer(golden)).result);
      writeFileSync(expectedPath, `${JSON.stringify(entries, null, 2)}\n`);
    }, 600_000);
    return;
  }
  const expected = JSON.parse(readFileSync(expectedPath, "utf8")) as Record<string, GoldenAnswer>;
  it("records exactly the cases of cases.ts, each with its provenance", () => {
    expect(Object.keys(expected).sort()).toEqual(CASES.map(keyOf).sort());
    for (const golden of CASES) expect(expected[keyOf(golden)]?.provenance).toBe(golden.provenance);
  });
  for (const golden of CASES) {
    it(`${keyOf(golden)} answers as recorded (${golden.provenance})`, async () => {
      const pinned = expected[keyOf(golden)] as GoldenAnswer;
      const { instance, result } = await answer(golden);
      expect(recorded(golden, result).status).toBe(pinned.status);
      expect(result.peakBytes).toBe(pinned.peakBytes);
      if (result.makespanMs === null) expect(pinned.makespanMs).toBeNull();
      else expect(result.makespanMs).toBeCloseTo(pinned.makespanMs ?? Number.NaN, 9);
      if (golden.provenance === "certificate") expect(result.certificate).toEqual(pinned.certificate);
      checkProvenance(golden, instance, result);
    });
  }
});
