import { describe, expect, it } from "vitest";
import { checkpointSchedule } from "../../src/schedule/checkpoint-schedule.js";
import { simulate } from "../../src/simulate/simulate.js";
import { instanceOf, tinyConvNet, tinyGpt, tinyMlp } from "./fixtures.js";

const storeAll = (instance: Parameters<typeof checkpointSchedule>[0]) =>
  checkpointSchedule(
    instance,
    instance.nodes.map((_, i) => i),
    { policy: "segments", tapeKept: true, forwardPhase: true },
  );

describe("simulate on the store-all schedule", () => {
  for (const [name, make] of [
    ["mlp", tinyMlp],
    ["conv net", tinyConvNet],
    ["gpt", tinyGpt],
  ] as const) {
    it(`matches the evaluator's timeline and plain backprop on the ${name}`, async () => {
      const graph = make();
      const instance = instanceOf(graph);
      const result = await simulate(instance, storeAll(instance), { graph });
      expect(result.firstDivergence).toBeNull();
      expect(result.memoryMatches).toBe(true);
      expect(result.registryMatchesLibrary).toBe(true);
      expect(result.maxGradDiff).toBe(0);
      expect(result.gradientsMatch).toBe(true);
      expect(result.measuredPeakBytes).toBe(result.predictedResidentPeakBytes);
      expect(Number.isFinite(result.loss)).toBe(true);
    });
  }
});
