/**
 * Conformance of the stored-form rules (proofs/cost-model.md, consequence (2) of "Stored forms"): on
 * random instances, a random node `v` and a random point of the store-all schedule where `a:v` is
 * resident, `a:v` is replaced by its stored form `s:v` (`C v MODE; D a:v` there, `X v; D s:v` before its
 * next reader, or `D s:v` in place of its free). The test states what that costs before evaluating it
 * (the claim: the timeline shifted by exactly `stored - bytes` in between, each conversion and
 * expansion adding `stored` on top, the makespan longer by exactly the conversion times) and checks
 * the evaluation against the claim, for every mode, any density and element size, free and costed
 * conversions. With free conversions, a kept activation therefore costs exactly its stored bytes.
 * And the storage fields are inert without `storage`: every registered solver answers an instance
 * with random densities, element sizes and stored forms exactly as it answers the plain one.
 *
 * `REMAT_PROPERTY_RUNS` multiplies the number of runs; the seed is fixed.
 */
import { fc, test } from "@fast-check/vitest";
import { afterAll, describe, expect } from "vitest";
import { solve, solvers } from "../../solvers/index.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { storedBytes } from "../../src/evaluate/storage.js";
import { graphOf } from "../../src/instance/graph.js";
import { parseInstance } from "../../src/instance/parse.js";
import { type Instance, STORAGE_MODES, type StorageMode } from "../../src/instance/types.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";
import { type Instruction, ops, type Schedule } from "../../src/schedule/types.js";
import { PROPERTY_SEED } from "../arbitraries.js";
import { anyInstance } from "./instances.js";

const RUNS = Math.max(1, Number(process.env.REMAT_PROPERTY_RUNS ?? 1));

/** How a node stores its activation in one case. */
interface StorageCase {
  readonly pick: number;
  readonly at: number;
  readonly mode: StorageMode;
  readonly density: number;
  readonly elementBytes: number;
  readonly convertMs: number;
  readonly expandMs: number;
}

const storageCase: fc.Arbitrary<StorageCase> = fc.record({
  pick: fc.nat(),
  at: fc.nat(),
  mode: fc.constantFrom(...STORAGE_MODES),
  density: fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true })),
  elementBytes: fc.constantFrom(1, 2, 4, 8),
  convertMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5 })),
  expandMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5 })),
});

/** The instance with node `v` offering `c.mode` at the drawn density, element size and times. */
function offering(instance: Instance, v: number, c: StorageCase): Instance {
  return parseInstance({
    ...instance,
    nodes: instance.nodes.map((node, u) =>
      u !== v
        ? node
        : {
            ...node,
            density: c.density,
            elementBytes: c.elementBytes,
            storage: { [c.mode]: { convertMs: c.convertMs, expandMs: c.expandMs } },
          },
    ),
  });
}

/** Whether `instruction` reads or frees `a:v` (F or B of a consumer, B v itself, D a:v, O v). */
function touches(instance: Instance, instruction: Instruction, v: number): boolean {
  const g = graphOf(instance);
  const id = g.ids[v];
  if (instruction.op === "D") return instruction.tensor.kind === "a" && instruction.tensor.node === id;
  if (instruction.op === "C" || instruction.op === "X") return instruction.node === id;
  const u = g.indexOf.get(instruction.node) as number;
  if (instruction.op === "F") return (g.inputs[u] as readonly number[]).includes(v);
  if (instruction.op === "B")
    return (
      (g.needsInputs[u] === 1 && (g.inputs[u] as readonly number[]).includes(v)) ||
      (u === v && g.needsOutput[u] === 1)
    );
  return instruction.node === id;
}

/** The positions after which `a:v` is resident in `schedule` (store-all: one forward, one free at most). */
function residentAfter(instance: Instance, schedule: Schedule, v: number): number[] {
  const id = instance.nodes[v]?.id;
  const positions: number[] = [];
  let resident = false;
  schedule.forEach((instruction, j) => {
    if (instruction.op === "F" && instruction.node === id) resident = true;
    if (instruction.op === "D" && instruction.tensor.kind === "a" && instruction.tensor.node === id)
      resident = false;
    if (resident) positions.push(j);
  });
  return positions;
}

let nonTrivial = 0;

describe("stored forms on random instances", () => {
  test.prop([anyInstance(8), storageCase], { seed: PROPERTY_SEED, numRuns: Math.round(300 * RUNS) })(
    "cost exactly what the rules claim: the stored bytes in place of the activation, plus the conversion times",
    (base, c) => {
      const v = c.pick % base.nodes.length;
      const instance = offering(base, v, c);
      const plain = storeAllSchedule(instance);
      const positions = residentAfter(instance, plain, v);
      if (positions.length === 0) return;
      const p = positions[c.at % positions.length] as number;
      const id = instance.nodes[v]?.id as string;
      let i = plain.findIndex((instruction, j) => j > p && touches(instance, instruction, v));
      if (i < 0) i = plain.length;
      const freedThere = i < plain.length && plain[i]?.op === "D";
      const schedule: Schedule = [
        ...plain.slice(0, p + 1),
        ops.convert(id, c.mode),
        ops.freeActivation(id),
        ...plain.slice(p + 1, i),
        ...(i === plain.length
          ? []
          : freedThere
            ? [ops.freeStored(id)]
            : [ops.expand(id), ops.freeStored(id)]),
        ...plain.slice(freedThere ? i + 1 : i),
      ];

      const before = evaluate(instance, plain, { trace: true });
      if (!before.valid) throw new Error(before.error.reason);
      const stored = storedBytes(instance.nodes[v] as Instance["nodes"][number], c.mode);
      const bytes = instance.nodes[v]?.bytes as number;
      const delta = stored - bytes;
      const old = before.timeline;
      const during = (before.trace ?? []).map((step) => step.duringBytes);
      // the claim, instruction by instruction of the new schedule
      const timeline = [
        ...old.slice(0, p + 1),
        (old[p] as number) + stored,
        (old[p] as number) + delta,
        ...old.slice(p + 1, i).map((m) => m + delta),
        ...(i === plain.length
          ? []
          : freedThere
            ? [old[i] as number]
            : [(old[i - 1] as number) + stored, old[i - 1] as number]),
        ...old.slice(freedThere ? i + 1 : i),
      ];
      // bytes while each instruction runs: C and D a:v with s:v made; X and D s:v with both forms
      const peaks = [
        ...during.slice(0, p + 1),
        (old[p] as number) + stored,
        (old[p] as number) + stored,
        ...during.slice(p + 1, i).map((m) => m + delta),
        ...(i === plain.length
          ? []
          : freedThere
            ? [(old[i - 1] as number) + delta]
            : [(old[i - 1] as number) + stored, (old[i - 1] as number) + stored]),
        ...during.slice(freedThere ? i + 1 : i),
      ];
      const expanded = i < plain.length && !freedThere;
      const makespan = before.makespanMs + c.convertMs + (expanded ? c.expandMs : 0);

      const after = evaluate(instance, schedule, { trace: true });
      if (!after.valid) throw new Error(`${after.error.instruction}: ${after.error.reason}`);
      expect(after.timeline).toEqual(timeline);
      expect(after.trace?.map((step) => step.duringBytes)).toEqual(peaks);
      expect(after.peakBytes).toBe(Math.max(instance.fixedBytes, ...peaks));
      expect(after.makespanMs).toBeCloseTo(makespan, 9);
      if (c.convertMs === 0 && c.expandMs === 0) expect(after.makespanMs).toBe(before.makespanMs);
      expect([after.conversions, after.expansions]).toEqual([1, expanded ? 1 : 0]);
      expect(after.lossy).toBe(expanded && c.mode !== "bitmap");
      if (c.density === 1 && c.mode === "bitmap") expect(delta).toBeGreaterThanOrEqual(0);
      nonTrivial++;
    },
  );

  test.prop(
    [
      anyInstance(7),
      fc.array(storageCase, { minLength: 7, maxLength: 7 }),
      fc.integer({ min: 20, max: 120 }),
    ],
    { seed: PROPERTY_SEED, numRuns: Math.round(12 * RUNS) },
  )(
    "change no solver's answer when no storage mode is asked for: the new fields must be inert",
    async (base, cases, percent) => {
      const decorated = parseInstance({
        ...base,
        nodes: base.nodes.map((node, v) => {
          const c = cases[v % cases.length] as StorageCase;
          return {
            ...node,
            density: c.density,
            elementBytes: c.elementBytes,
            storage: { [c.mode]: { convertMs: c.convertMs, expandMs: c.expandMs } },
          };
        }),
      });
      for (const solver of solvers.filter(
        (s) => s.rejects?.(base) === undefined && !s.reads.includes("checkpoints"),
      ))
        for (const objective of solver.objectives) {
          const options = { solver: solver.name, objective, budget: `${percent}%` } as const;
          const [plain, other] = [await solve(base, options), await solve(decorated, options)];
          expect([other.status, other.makespanMs, other.peakBytes, other.schedule], solver.name).toEqual([
            plain.status,
            plain.makespanMs,
            plain.peakBytes,
            plain.schedule,
          ]);
        }
    },
  );

  afterAll(() => {
    // most drawn cases must reach the checks (a node resident somewhere in store-all)
    expect(nonTrivial).toBeGreaterThan(150 * RUNS);
  });
});
