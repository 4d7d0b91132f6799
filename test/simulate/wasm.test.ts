/** On the wasm backend too, a recomputing schedule gives plain backprop's gradients and the evaluator's timeline. */
import { describe, expect, it } from "vitest";
import { checkpointSchedule } from "../../src/schedule/checkpoint-schedule.js";
import { simulate } from "../../src/simulate/simulate.js";
import { instanceOf, tinyConvNet, tinyGpt, tinyMlpChain } from "./fixtures.js";

describe("simulate on wasm", () => {
  for (const [name, make] of [
    ["conv net", tinyConvNet],
    ["gpt", tinyGpt],
    ["mlp chain", tinyMlpChain],
  ] as const) {
    it(`matches on the ${name} with recomputation`, async () => {
      const graph = make();
      const instance = instanceOf(graph);
      const schedule = checkpointSchedule(instance, [0, 1, 5], {
        policy: "per-backward",
        tapeKept: false,
        forwardPhase: true,
      });
      const result = await simulate(instance, schedule, { graph, backend: "wasm" });
      expect(result.backend).toBe("wasm");
      expect(result.firstDivergence).toBeNull();
      expect(result.gradientsMatch).toBe(true);
      expect(result.maxGradDiff).toBeLessThanOrEqual(result.gradientTolerance);
    });
  }
});
