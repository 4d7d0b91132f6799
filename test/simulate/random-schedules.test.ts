/**
 * For random valid schedules (random kept sets through the checkpoint builder, both recomputation
 * policies, with and without a forward phase, plus random offloads: `O v; D a:v` after a random
 * instruction and `P v` before each later reader), plus random activations held across the turn as
 * bitmaps (`storeAcrossTurn`, at the densities measured on the simulator's data), the simulator's
 * parameter gradients equal plain backprop's bit for bit and its measured bytes equal the evaluator's
 * timeline after every instruction.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { parseInstance } from "../../src/instance/parse.js";
import type { Instance } from "../../src/instance/types.js";
import { checkpointSchedule } from "../../src/schedule/checkpoint-schedule.js";
import { storeAcrossTurn } from "../../src/schedule/stored-forms.js";
import { type Instruction, ops, type Schedule } from "../../src/schedule/types.js";
import { measureDensities } from "../../src/simulate/densities.js";
import { simulate } from "../../src/simulate/simulate.js";
import type { ZooGraph } from "../../src/zoo/types.js";
import { instanceOf, tinyConvNet, tinyGpt, tinyMlp } from "./fixtures.js";

const SEED = 20261122;
const HARDWARE = { bandwidth: 1e6, latency: 0.01 };

/**
 * Offloads `a:v` after position `at` (where it must be resident): inserts `O v; D a:v` there, then a
 * `P v` before each instruction the evaluator finds reading it while absent (dropping a later `D a:v`
 * of the absent tensor). Returns undefined when that does not give a valid schedule.
 */
function withOffload(instance: Instance, schedule: Schedule, v: string, at: number): Schedule | undefined {
  const list: Instruction[] = [
    ...schedule.slice(0, at + 1),
    ops.offload(v),
    ops.freeActivation(v),
    ...schedule.slice(at + 1),
  ];
  for (let guard = 0; guard < schedule.length; guard++) {
    const evaluation = evaluate(instance, list);
    if (evaluation.valid) return list;
    const { index, tensor } = evaluation.error;
    if (tensor !== `a:${v}` || index <= at + 2) return undefined;
    const culprit = list[index];
    if (culprit?.op === "D") list.splice(index, 1);
    else if (culprit?.op === "F" && culprit.node === v) return undefined;
    else list.splice(index, 0, ops.prefetch(v));
  }
  return undefined;
}

function scheduleArbitrary(instance: Instance) {
  const n = instance.nodes.length;
  return fc
    .record({
      kept: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      policy: fc.constantFrom("segments" as const, "per-backward" as const),
      forwardPhase: fc.boolean(),
      offloads: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 2 }),
      stored: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    })
    .map(({ kept, policy, forwardPhase, offloads, stored }) => {
      const keep = kept.flatMap((k, i) => (k ? [i] : []));
      let schedule = checkpointSchedule(instance, keep, { policy, tapeKept: false, forwardPhase });
      for (const [pick, position] of offloads) {
        // an activation some forward made and a point where it is resident: right after a forward of it
        const forwards = schedule.flatMap((op, i) =>
          op.op === "F" && op.node !== instance.nodes[n - 1]?.id ? [i] : [],
        );
        const at = forwards[pick % forwards.length] as number;
        const node = (schedule[at] as { node: string }).node;
        const later = schedule.findIndex(
          (op, i) => i > at && op.op === "D" && op.tensor.kind === "a" && op.tensor.node === node,
        );
        const until = later < 0 ? schedule.length - 1 : later - 1;
        const offloaded = withOffload(instance, schedule, node, at + (position % (until - at + 1)));
        if (offloaded !== undefined) schedule = offloaded;
      }
      const modes = new Map(
        instance.nodes.flatMap((node, i) => (stored[i] === true ? [[node.id, "bitmap" as const]] : [])),
      );
      return storeAcrossTurn(instance, schedule, modes);
    });
}

/** `instance` with every node offering a bitmap (free) at the density measured on the simulator's data. */
async function withBitmaps(instance: Instance, graph: ZooGraph): Promise<Instance> {
  const densities = new Map((await measureDensities(instance, { graph })).map((d) => [d.node, d.density]));
  return parseInstance({
    ...instance,
    nodes: instance.nodes.map((node) => ({
      ...node,
      density: densities.get(node.id) ?? 1,
      storage: { bitmap: { convertMs: 0, expandMs: 0 } },
    })),
  });
}

describe("simulate on random valid schedules", () => {
  const cases: [string, () => ZooGraph, number][] = [
    ["mlp", tinyMlp, 30],
    ["conv net", tinyConvNet, 25],
    ["gpt", tinyGpt, 20],
  ];
  for (const [name, make, runs] of cases) {
    it(`gives plain backprop's gradients bitwise and the evaluator's timeline on the ${name}`, async () => {
      const graph = make();
      const instance = await withBitmaps(instanceOf(graph, HARDWARE), graph);
      let offloaded = 0;
      let recomputed = 0;
      let converted = 0;
      await fc.assert(
        fc.asyncProperty(scheduleArbitrary(instance), async (schedule) => {
          if (schedule.some((op) => op.op === "P")) offloaded++;
          const evaluation = evaluate(instance, schedule);
          if (evaluation.valid && evaluation.recomputations > 0) recomputed++;
          if (evaluation.valid && evaluation.expansions > 0) converted++;
          const result = await simulate(instance, schedule, { graph });
          expect(result.firstDivergence).toBeNull();
          expect(result.maxGradDiff).toBe(0);
          expect(result.gradientsMatch).toBe(true);
          expect(result.measuredPeakBytes).toBe(result.predictedResidentPeakBytes);
        }),
        { seed: SEED, numRuns: runs },
      );
      expect(offloaded).toBeGreaterThan(0);
      expect(recomputed).toBeGreaterThan(0);
      expect(converted).toBeGreaterThan(0);
    });
  }
});
