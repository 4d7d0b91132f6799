/**
 * The zoo's own ResNet-18, MobileNetV2 and a wide ResNet (WRN-10-2, WRN-28-2's block at a third of the depth), at 32x32 with batch 1 on the cpu backend, through the zoo's
 * instance maker: a recomputing schedule gives plain backprop's gradients bit for bit and the evaluator's
 * timeline.
 */
import { describe, expect, it } from "vitest";
import { checkpointSchedule } from "../../src/schedule/checkpoint-schedule.js";
import { simulate } from "../../src/simulate/simulate.js";
import { toInstance } from "../../src/zoo/level.js";
import { zooModel } from "../../src/zoo/registry.js";

describe("simulate on zoo models", () => {
  for (const [name, extra] of [
    ["resnet-18", {}],
    ["mobilenet-v2", {}],
    ["wide-resnet", { depth: 10 }],
  ] as const) {
    it(`matches on ${name} at 32x32, batch 1`, async () => {
      const config = { batch: 1, inputSize: 32, classes: 10, ...extra };
      const instance = toInstance(zooModel(name).build(config));
      const every = Math.ceil(Math.sqrt(instance.nodes.length));
      const keep = instance.nodes.flatMap((_, i) => (i % every === 0 ? [i] : []));
      const schedule = checkpointSchedule(instance, keep, {
        policy: "segments",
        tapeKept: false,
        forwardPhase: true,
      });
      const result = await simulate(instance, schedule);
      expect(result.firstDivergence).toBeNull();
      expect(result.maxGradDiff).toBe(0);
      expect(result.measuredPeakBytes).toBe(result.predictedResidentPeakBytes);
    });
  }
});
