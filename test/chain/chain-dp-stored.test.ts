/**
 * chain-dp with `--storage` (issue 14 item 4): exact over the stored class (equal to an exhaustive
 * search of it, enumerate-stored.ts, judged by the evaluator, with one byte per slot); its least peak
 * for the memory objective; bitmap never chosen at density 1; with free conversions a waiting activation
 * costs exactly its stored bytes; never slower than without storage at the same slots.
 * @see ../../proofs/chain-dp.md, "Stored forms"
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { chainDp, solveChainDp } from "../../solvers/chain/chain-dp.js";
import { solve } from "../../solvers/solve.js";
import { evaluate, type ValidEvaluation } from "../../src/evaluate/evaluate.js";
import { storedBytes } from "../../src/evaluate/storage.js";
import { parseInstance } from "../../src/instance/parse.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";
import { parseSchedule } from "../../src/schedule/text.js";
import type { Solver } from "../../src/solver.js";
import type { Deadline } from "../../src/time-limit.js";
import { CountingDeadline } from "./counting-deadline.js";
import { bestWithin, storedEvaluations } from "./enumerate-stored.js";
import { buildStoredChain, storedChainArb } from "./stored-chains.js";

/** More slots than bytes: the unit is one byte and the discretization is exact. */
const EXACT_SLOTS = 1_000_000;
const MODES = ["bitmap", "fp16"] as const;
/** chain-dp run against `deadline` instead of its own limit. */
function within(deadline: Deadline): Solver {
  return { ...chainDp, solve: (instance, options) => solveChainDp(instance, options, deadline) };
}

/** Optimal answers of the exhaustive comparison whose schedule holds a stored form. */
let storedAnswers = 0;

function valid(instance: Parameters<typeof evaluate>[0], lines: readonly string[]): ValidEvaluation {
  const evaluation = evaluate(instance, parseSchedule(lines));
  if (!evaluation.valid) throw new Error(`invalid: ${evaluation.error.reason}`);
  return evaluation;
}

describe("chain-dp over the stored class", () => {
  test.prop([storedChainArb(4), fc.integer({ min: -10, max: 110 })], { numRuns: 150, seed: 1414 })(
    "finds the least makespan, then fewest recomputations, then lowest peak of an exhaustive search",
    async (spec, percent) => {
      const instance = buildStoredChain(spec);
      const evaluations = storedEvaluations(instance, MODES);
      const peaks = evaluations.map((e) => e.peakBytes);
      const least = Math.min(...peaks);
      const most = Math.max(...peaks);
      const budget = least + Math.floor(((most - least) * percent) / 100);
      const storeAll = evaluate(instance, storeAllSchedule(instance)) as ValidEvaluation;
      const best = bestWithin([...evaluations, storeAll], budget);
      const result = await solve(instance, {
        solver: "chain-dp",
        budget,
        slots: EXACT_SLOTS,
        storage: [...MODES],
      });
      if (best === undefined) {
        expect(result.status).toBe("infeasible");
        return;
      }
      expect(result.status).toBe("optimal");
      const evaluation = valid(instance, result.schedule);
      if (evaluation.conversions > 0) storedAnswers++;
      expect([evaluation.makespanMs, evaluation.recomputations, evaluation.peakBytes]).toEqual([
        best.makespanMs,
        best.recomputations,
        best.peakBytes,
      ]);
    },
  );

  it("holds a stored form in some of those answers (the comparison covers stored moves)", () => {
    expect(storedAnswers).toBeGreaterThan(5);
  });

  test.prop([storedChainArb(4)], { numRuns: 60, seed: 515 })(
    "memory objective gives the stored class's least peak, or store-all's when it is lower",
    async (spec) => {
      const instance = buildStoredChain(spec);
      const least = Math.min(...storedEvaluations(instance, MODES).map((e) => e.peakBytes));
      const storeAll = evaluate(instance, storeAllSchedule(instance)) as ValidEvaluation;
      const result = await solve(instance, { solver: "chain-dp", objective: "memory", storage: [...MODES] });
      expect(result.status).toBe("optimal");
      expect(result.peakBytes).toBe(Math.min(least, storeAll.peakBytes));
    },
  );

  test.prop([storedChainArb(6), fc.integer({ min: 1, max: 100 })], { numRuns: 60, seed: 99 })(
    "never converts to bitmap when every density is 1",
    async (spec, percent) => {
      const dense = buildStoredChain({
        ...spec,
        storage: spec.storage.map((s) => ({ ...s, elementBytes: 4, density: 1 })),
      });
      for (const objective of ["time", "memory"] as const) {
        const result = await solve(dense, {
          solver: "chain-dp",
          objective,
          budget: `${percent}%`,
          storage: "bitmap",
        });
        expect(result.schedule.filter((line) => line.startsWith("C "))).toEqual([]);
      }
    },
  );

  test.prop([storedChainArb(6), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 30, max: 100 })], {
    numRuns: 60,
    seed: 3,
  })(
    "with free conversions at density d, a waiting activation holds exactly its stored bytes and costs no time",
    async (spec, tenths, percent) => {
      const instance = buildStoredChain({
        ...spec,
        storage: spec.storage.map((s) => ({
          ...s,
          density: tenths / 10,
          bitmapMs: [0, 0] as const,
          fp16Ms: [0, 0] as const,
        })),
      });
      const result = await solve(instance, {
        solver: "chain-dp",
        budget: `${percent}%`,
        storage: "bitmap",
        slots: EXACT_SLOTS,
      });
      if (result.status !== "optimal") return;
      const schedule = parseSchedule(result.schedule);
      const evaluation = valid(instance, result.schedule);
      const timeline = evaluation.timeline;
      schedule.forEach((instruction, i) => {
        if (instruction.op !== "C") return;
        const node = instance.nodes.find((n) => n.id === instruction.node);
        if (node === undefined) throw new Error("unknown node");
        const bytes = storedBytes(node, "bitmap");
        expect(bytes).toBe(
          Math.ceil(Math.ceil(node.bytes / node.elementBytes) / 8) +
            Math.ceil((tenths / 10) * Math.ceil(node.bytes / node.elementBytes)) * node.elementBytes,
        );
        // C adds the stored bytes, the D a:v right after it frees the activation
        expect((timeline[i] as number) - (timeline[i - 1] as number)).toBe(bytes);
        expect(schedule[i + 1]).toEqual({ op: "D", tensor: { kind: "a", node: node.id } });
        expect((timeline[i + 1] as number) - (timeline[i] as number)).toBe(-node.bytes);
      });
      // the same schedule without its stored forms (C, the D a:v after it, X, the D s:v after it)
      const skipped = new Set<number>();
      schedule.forEach((instruction, i) => {
        if (instruction.op === "C" || instruction.op === "X") skipped.add(i).add(i + 1);
      });
      const plain = schedule.filter((_, i) => !skipped.has(i));
      const plainEvaluation = evaluate(instance, plain) as ValidEvaluation;
      expect(plainEvaluation.valid).toBe(true);
      expect(evaluation.makespanMs).toBe(plainEvaluation.makespanMs);
    },
  );

  test.prop([storedChainArb(7), fc.integer({ min: 1, max: 100 }), fc.constantFrom(3, 10, 40, EXACT_SLOTS)], {
    numRuns: 120,
    seed: 808,
  })("is never slower than without storage modes at the same slots", async (spec, percent, slots) => {
    const instance = buildStoredChain(spec);
    const options = { solver: "chain-dp", budget: `${percent}%`, slots } as const;
    const plain = await solve(instance, options);
    const stored = await solve(instance, { ...options, storage: "bitmap,fp16,bf16" });
    if (plain.makespanMs === null) return;
    expect(stored.makespanMs).not.toBeNull();
    expect(stored.makespanMs as number).toBeLessThanOrEqual(plain.makespanMs * (1 + 1e-12));
  });
});

describe("chain-dp without stored forms that pay", () => {
  test.prop([storedChainArb(7), fc.integer({ min: 1, max: 100 })], { numRuns: 40, seed: 17 })(
    "answers as without storage modes when no node offers an allowed form",
    async (spec, percent) => {
      const instance = buildStoredChain(spec);
      const bare = parseInstance({ ...instance, nodes: instance.nodes.map((n) => ({ ...n, storage: {} })) });
      const plain = await solve(bare, { solver: "chain-dp", budget: `${percent}%` });
      const stored = await solve(bare, { solver: "chain-dp", budget: `${percent}%`, storage: "bitmap,fp16" });
      expect(stored.schedule).toEqual(plain.schedule);
      expect(stored.certificate).toEqual(plain.certificate);
      expect(stored.makespanMs).toBe(plain.makespanMs);
    },
  );
});

describe("chain-dp over the stored class under a time limit", () => {
  it("answers as without a limit when it does not pass, and otherwise times out in a named phase", async () => {
    const instance = buildStoredChain({
      chain: {
        inputBytes: 8,
        stages: Array.from({ length: 8 }, (_, k) => ({
          fwd: 1 + (k % 3),
          bwd: 2,
          bytes: 40,
          tapeBytes: 8,
          fwdTemp: 0,
          bwdTemp: 4,
          needs: ["inputs", "output"] as const,
        })),
      },
      storage: Array.from({ length: 9 }, () => ({
        elementBytes: 4,
        density: 0.3,
        bitmapMs: [0.5, 0.5] as const,
        fp16Ms: [0.2, 0.2] as const,
      })),
    });
    for (const objective of ["time", "memory"] as const) {
      const options = { budget: "45%", objective, storage: "bitmap,fp16", slots: 200 };
      const free = await solve(instance, { solver: "chain-dp", ...options });
      const counting = new CountingDeadline();
      const counted = await solve(instance, { solver: within(counting), ...options });
      expect(counted.schedule).toEqual(free.schedule);
      expect(counting.count).toBeGreaterThan(2);
      for (const at of [0, Math.floor(counting.count / 2), counting.count - 1]) {
        const stopped = await solve(instance, { solver: within(new CountingDeadline(at)), ...options });
        expect(stopped.status, `${objective} stopped at check ${at}`).toBe("timeout");
        expect(stopped.reason).toMatch(/stored/);
      }
    }
  });
});

/**
 * Stages whose sizes sit just past a slot boundary at 10 bytes a slot (the budget is 10 bytes per slot,
 * fixedBytes 0), with tapes of 0 to 9 bytes: where `ceil((x + tape) / u)` is less than
 * `ceil(x / u) + ceil(tape / u)`, so that freeing a stored start's slots must leave its tape covered.
 */
const coarseStage = fc.record({
  fwd: fc.integer({ min: 1, max: 10 }),
  bwd: fc.integer({ min: 1, max: 10 }),
  bytes: fc.integer({ min: 1, max: 6 }).map((k) => 10 * k + 1),
  tapeBytes: fc.integer({ min: 0, max: 9 }),
  fwdTemp: fc.integer({ min: 0, max: 3 }).map((k) => 10 * k),
  bwdTemp: fc.integer({ min: 0, max: 3 }).map((k) => 10 * k),
  needs: fc.constant(["inputs", "output"] as const),
  gradBytes: fc.integer({ min: 0, max: 6 }).map((k) => 10 * k),
});

describe("chain-dp over the stored class with coarse slots", () => {
  test.prop([fc.array(coarseStage, { minLength: 2, maxLength: 7 }), fc.integer({ min: 3, max: 40 })], {
    numRuns: 2000,
    seed: 9,
  })("stays within the budget in bytes when a stored start keeps its tape", async (stages, slots) => {
    const instance = buildStoredChain({
      chain: { inputBytes: 0, stages, fixedBytes: 0 },
      storage: Array.from({ length: stages.length + 1 }, () => ({
        elementBytes: 1,
        density: 0,
        bitmapMs: [0, 0] as const,
        fp16Ms: [0, 0] as const,
      })),
    });
    // solve() checks that the evaluator's peak is within the budget (an InternalError otherwise)
    const result = await solve(instance, {
      solver: "chain-dp",
      budget: 10 * slots,
      slots,
      storage: "bitmap",
    });
    if (result.peakBytes !== null) expect(result.peakBytes).toBeLessThanOrEqual(10 * slots);
  });
});
