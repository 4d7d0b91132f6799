/**
 * The checkpoint builder (src/schedule/checkpoint-schedule.ts, proofs/checkpoint-schedule.md) after its
 * walks became loops: it emits exactly the schedules of the former recursive builder (kept below, only
 * here, as the reference) on random instances of every family, builds a 20,000-node chain whose
 * recomputation closure is 20,000 deep, and refuses with `ScheduleTooLarge` past `maxInstructions`.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { DEFAULT_COSTS, randomChain, randomLayeredDag } from "../../src/generate/families.js";
import { graphOf, type InstanceGraph } from "../../src/instance/graph.js";
import type { Instance } from "../../src/instance/types.js";
import {
  type CheckpointScheduleOptions,
  checkpointSchedule,
  insertFrees,
  ScheduleTooLarge,
  type Step,
} from "../../src/schedule/checkpoint-schedule.js";
import { formatSchedule } from "../../src/schedule/text.js";
import { type Instruction, ops, type Schedule } from "../../src/schedule/types.js";
import { labelledInstance, PROPERTY_SEED } from "../arbitraries.js";

/** The builder as it was before the loops (commit 289f4c3): recursive `mark`, `steps.some` check. */
function referenceSchedule(
  instance: Instance,
  keep: Iterable<number>,
  options: CheckpointScheduleOptions,
): Schedule {
  const g = graphOf(instance);
  const kept = new Uint8Array(g.size);
  for (const v of keep) kept[v] = 1;
  for (let v = 0; v < g.size; v++) if (g.recomputable[v] === 0) kept[v] = 1;
  return referenceFrees(g, referenceOrder(g, kept, options));
}

function referenceTail(g: InstanceGraph, kept: Uint8Array): Uint8Array {
  const tail = new Uint8Array(g.size);
  if (kept[g.loss] === 1) return tail;
  const stack = [g.loss];
  tail[g.loss] = 1;
  while (stack.length > 0) {
    const v = stack.pop() as number;
    for (const neighbours of [g.inputs[v] as number[], g.consumers[v] as number[]]) {
      for (const w of neighbours) {
        if (kept[w] === 0 && tail[w] === 0) {
          tail[w] = 1;
          stack.push(w);
        }
      }
    }
  }
  return tail;
}

function referenceOrder(g: InstanceGraph, kept: Uint8Array, options: CheckpointScheduleOptions): Step[] {
  const steps: Step[] = [];
  const available = new Uint8Array(g.size);
  const tapeAvailable = new Uint8Array(g.size);
  const backwardPending = Uint8Array.from(g.isSource, (source) => 1 - source);
  const hasTape = (v: number) => (g.tapeBytes[v] as number) > 0 && g.isSource[v] === 0;
  if (options.forwardPhase) {
    const tail = referenceTail(g, kept);
    const forwardReadersLeft = Int32Array.from(g.consumers, (list) => list.length);
    for (let v = 0; v < g.size; v++) {
      const tape =
        hasTape(v) && (tail[v] === 1 || (kept[v] === 1 && (options.tapeKept || g.recomputable[v] === 0)));
      steps.push({ backward: false, node: v, tape });
      available[v] = 1;
      if (tape) tapeAvailable[v] = 1;
      for (const u of g.inputs[v] as number[]) {
        forwardReadersLeft[u] = (forwardReadersLeft[u] as number) - 1;
        if (forwardReadersLeft[u] === 0 && kept[u] === 0 && tail[u] === 0) available[u] = 0;
      }
    }
  }
  const marked = new Uint8Array(g.size);
  const toCompute: number[] = [];
  const mark = (w: number) => {
    if (marked[w] === 1) return;
    if (g.recomputable[w] === 0 && steps.some((step) => !step.backward && step.node === w)) {
      throw new Error(`reference: ${g.ids[w]} must be recomputed but is not recomputable`);
    }
    marked[w] = 1;
    toCompute.push(w);
    for (const u of g.inputs[w] as number[]) if (available[u] === 0) mark(u);
  };
  for (let v = g.size - 1; v >= 0; v--) {
    if (g.isSource[v] === 1) continue;
    toCompute.length = 0;
    if (hasTape(v) && tapeAvailable[v] === 0) {
      available[v] = 0;
      mark(v);
    }
    if ((g.needsOutput[v] === 1 || (v === g.loss && !options.forwardPhase)) && available[v] === 0) mark(v);
    if (g.needsInputs[v] === 1) for (const u of g.inputs[v] as number[]) if (available[u] === 0) mark(u);
    toCompute.sort((a, b) => a - b);
    for (const w of toCompute) {
      const tape =
        hasTape(w) &&
        backwardPending[w] === 1 &&
        (options.policy === "segments" || w === v || g.recomputable[w] === 0);
      steps.push({ backward: false, node: w, tape });
      available[w] = 1;
      if (tape) tapeAvailable[w] = 1;
      marked[w] = 0;
    }
    steps.push({ backward: true, node: v, tape: false });
    tapeAvailable[v] = 0;
    backwardPending[v] = 0;
    if (options.policy === "per-backward") for (const w of toCompute) if (kept[w] === 0) available[w] = 0;
  }
  return steps;
}

function referenceFrees(g: InstanceGraph, steps: readonly Step[]): Schedule {
  const freeAfter: number[][] = steps.map(() => []);
  const lastUse = new Int32Array(g.size).fill(-1);
  const close = (v: number) => {
    const at = lastUse[v] as number;
    if (at >= 0) freeAfter[at]?.push(v);
    lastUse[v] = -1;
  };
  steps.forEach((step, position) => {
    const v = step.node;
    if (step.backward) {
      if (g.needsInputs[v] === 1) for (const u of g.inputs[v] as number[]) lastUse[u] = position;
      if (g.needsOutput[v] === 1) lastUse[v] = position;
      return;
    }
    for (const u of g.inputs[v] as number[]) lastUse[u] = position;
    close(v);
    lastUse[v] = position;
  });
  for (let v = 0; v < g.size; v++) close(v);
  const schedule: Instruction[] = [];
  steps.forEach((step, position) => {
    const id = g.ids[step.node] as string;
    schedule.push(step.backward ? ops.backward(id) : ops.forward(id, step.tape));
    for (const v of (freeAfter[position] as number[]).sort((a, b) => a - b))
      schedule.push(ops.freeActivation(g.ids[v] as string));
  });
  return schedule;
}

/** Every combination the builder is called with, and random kept sets (as booleans per node). */
const buildOptions = fc.record({
  policy: fc.constantFrom("segments" as const, "per-backward" as const),
  tapeKept: fc.boolean(),
  forwardPhase: fc.boolean(),
});
const keepFlags = fc.array(fc.boolean(), { minLength: 300, maxLength: 300 });
const keepOf = (instance: Instance, flags: readonly boolean[]) =>
  instance.nodes.flatMap((_, v) => (flags[v % flags.length] ? [v] : []));

/** Larger instances than `labelledInstance`, so that closures are deep and frees batch up. */
const largerInstance = fc.oneof(
  fc.tuple(fc.nat(), fc.integer({ min: 50, max: 300 })).map(([seed, length]) => randomChain(seed, length)),
  fc
    .tuple(fc.nat(), fc.integer({ min: 10, max: 40 }), fc.integer({ min: 2, max: 6 }))
    .map(([seed, layers, width]) => randomLayeredDag(seed, layers, width, { reach: 3, maxInputs: 4 })),
);

describe("checkpointSchedule", () => {
  it("emits exactly the former recursive builder's schedules on random instances and kept sets", () => {
    fc.assert(
      fc.property(
        fc.oneof(labelledInstance, largerInstance),
        keepFlags,
        buildOptions,
        (instance, flags, options) => {
          const keep = keepOf(instance, flags);
          let expected: string[] | "throws";
          try {
            expected = formatSchedule(referenceSchedule(instance, keep, options));
          } catch {
            expected = "throws";
          }
          if (expected === "throws") expect(() => checkpointSchedule(instance, keep, options)).toThrow();
          else expect(formatSchedule(checkpointSchedule(instance, keep, options))).toEqual(expected);
        },
      ),
      { seed: PROPERTY_SEED, numRuns: 400 },
    );
  });

  it("builds a 20,000-node chain whose first recomputation closure is 20,000 nodes deep", () => {
    // Every backward reads its inputs and output. Keeping only the loss frees every stage after its
    // forward, so B loss recomputes s1..s19999 from x, once each (segments keep them until last use).
    const chain = randomChain(1, 20_000, { ...DEFAULT_COSTS, partialNeedsChance: 0 });
    const options = { policy: "segments", tapeKept: false, forwardPhase: true } as const;
    expect(() => referenceSchedule(chain, [20_000], options)).toThrow(RangeError);
    const schedule = checkpointSchedule(chain, [20_000], options);
    const evaluation = evaluate(chain, schedule);
    expect(evaluation.valid).toBe(true);
    if (evaluation.valid) expect(evaluation.recomputations).toBe(19_999);
  });

  it("builds a schedule whose length is exactly maxInstructions, and refuses one more instruction", () => {
    fc.assert(
      fc.property(labelledInstance, keepFlags, buildOptions, (instance, flags, options) => {
        const keep = keepOf(instance, flags);
        const full = checkpointSchedule(instance, keep, options);
        expect(checkpointSchedule(instance, keep, { ...options, maxInstructions: full.length })).toEqual(
          full,
        );
        const limit = full.length - 1;
        let refusal: unknown;
        try {
          checkpointSchedule(instance, keep, { ...options, maxInstructions: limit });
        } catch (error) {
          refusal = error;
        }
        expect(refusal).toBeInstanceOf(ScheduleTooLarge);
        expect(refusal).toMatchObject({ limit, instructions: limit + 1 });
      }),
      { seed: PROPERTY_SEED, numRuns: 200 },
    );
  });

  it("stops recompute-all of a 20,000-node chain at the limit instead of building 200 million instructions", () => {
    const chain = randomChain(2, 20_000);
    const options = {
      policy: "per-backward",
      tapeKept: false,
      forwardPhase: false,
      maxInstructions: 100_000,
    } as const;
    expect(() => checkpointSchedule(chain, [], options)).toThrow(ScheduleTooLarge);
  });
});

describe("insertFrees", () => {
  it("refuses past its maxInstructions and otherwise returns the same schedule", () => {
    // store-all of a 3-stage chain: 4 forwards, 3 backwards and their frees.
    const chain = randomChain(3, 3);
    const g = graphOf(chain);
    const steps: Step[] = [0, 1, 2, 3].map((node) => ({ backward: false, node, tape: false }));
    for (const node of [3, 2, 1]) steps.push({ backward: true, node, tape: false });
    const full = insertFrees(g, steps);
    expect(insertFrees(g, steps, full.length)).toEqual(full);
    expect(() => insertFrees(g, steps, full.length - 1)).toThrow(ScheduleTooLarge);
    expect(full.length).toBeGreaterThan(steps.length);
  });
});
