/**
 * The loop profile -> solve -> simulate closes: a zoo model profiled on this machine, solved by every
 * solver that accepts it, and each schedule simulated on real kernels with gradients equal to plain
 * backprop's and memory equal to the evaluator's timeline.
 */
import { describe, expect, it } from "vitest";
import { solve, solvers } from "../../solvers/index.js";
import { parseInstance } from "../../src/instance/parse.js";
import { profileModel } from "../../src/profile/profile.js";
import { parseSchedule } from "../../src/schedule/text.js";
import { simulate } from "../../src/simulate/simulate.js";

/** Budget asked of every solver: a fraction of the store-all peak, and none when that is infeasible. */
const BUDGETS = ["60%", "none"] as const;

describe("profile -> solve -> simulate", () => {
  for (const [zoo, config] of [
    ["mlp", { batch: 4, inputSize: 8, hidden: 16, layers: 4, classes: 5 }],
    ["gpt2-small", { batch: 2, seq: 4, layers: 2, heads: 2, dim: 8, vocab: 11 }],
  ] as const) {
    it(`closes on ${zoo} for every solver that accepts it`, async () => {
      const document = await profileModel(zoo, { config, backend: "cpu", warmup: 0, repeats: 1 });
      const instance = parseInstance(document);
      expect(instance.nodes.every((node) => node.fwd >= 0 && node.bwd >= 0)).toBe(true);
      let simulated = 0;
      for (const solver of solvers) {
        if (solver.rejects?.(instance) !== undefined) continue;
        const checkpoints =
          solver.name === "checkpoints" ? { checkpoints: [instance.nodes[2]?.id ?? ""] } : {};
        for (const budget of BUDGETS) {
          const result = await solve(instance, { solver: solver.name, budget, ...checkpoints });
          if (result.schedule.length === 0) continue;
          const simulation = await simulate(instance, parseSchedule(result.schedule));
          expect(simulation.gradientsMatch, `${solver.name} at ${budget}`).toBe(true);
          expect(simulation.firstDivergence, `${solver.name} at ${budget}`).toBeNull();
          expect(simulation.predictedPeakBytes).toBe(result.peakBytes);
          simulated++;
          break;
        }
      }
      expect(simulated).toBeGreaterThanOrEqual(4);
    });
  }
});
