/**
 * The loop profile -> solve -> simulate closes: a zoo model profiled on this machine (with its measured
 * host link), solved by every solver that accepts it, and each schedule simulated on real kernels with
 * gradients equal to plain backprop's and memory equal to the evaluator's timeline. The offload solvers'
 * schedules offload and prefetch (at least two solvers' schedules hold `O` and `P` instructions).
 */
import { describe, expect, it } from "vitest";
import { solve, solvers } from "../../solvers/index.js";
import { classLeastPeak } from "../../solvers/offload/least-peak.js";
import { offloadOrder } from "../../solvers/offload/order.js";
import { parseInstance } from "../../src/instance/parse.js";
import type { Instance } from "../../src/instance/types.js";
import { profileModel } from "../../src/profile/profile.js";
import { storeAllEvaluation } from "../../src/schedule/builders.js";
import { parseSchedule } from "../../src/schedule/text.js";
import { simulate } from "../../src/simulate/simulate.js";

/** Budget asked of every solver: a fraction of the store-all peak, and none when that is infeasible. */
const BUDGETS = ["60%", "none"] as const;
/**
 * A budget for the offload solvers halfway between the least peak their class reaches and store-all's
 * peak: small profiled models hold mostly parameters, so a percentage of the peak is often below what
 * any offload reaches.
 */
function offloadBudget(instance: Instance): number {
  const least = classLeastPeak(offloadOrder(instance));
  return Math.ceil((least + storeAllEvaluation(instance).peakBytes) / 2);
}

/** Each solve's time limit (offload-milp and offload-exhaustive stop there with their best schedule). */
const SOLVE_LIMIT_SEC = 20;

describe("profile -> solve -> simulate", () => {
  for (const [zoo, config] of [
    ["mlp", { batch: 4, inputSize: 8, hidden: 16, layers: 4, classes: 5 }],
    ["gpt2-small", { batch: 2, seq: 4, layers: 2, heads: 2, dim: 8, vocab: 11 }],
  ] as const) {
    it(`closes on ${zoo} for every solver that accepts it`, async () => {
      const document = await profileModel(zoo, { config, backend: "cpu", warmup: 0, repeats: 1 });
      const instance = parseInstance(document);
      expect(instance.nodes.every((node) => node.fwd >= 0 && node.bwd >= 0)).toBe(true);
      expect(instance.hardware, "the profiler measures the host link").toBeDefined();
      let simulated = 0;
      const offloading = new Set<string>();
      for (const solver of solvers) {
        if (solver.rejects?.(instance) !== undefined) continue;
        const checkpoints =
          solver.name === "checkpoints" ? { checkpoints: [instance.nodes[2]?.id ?? ""] } : {};
        const budgets = solver.emits.time === "offload" ? [offloadBudget(instance), "none"] : BUDGETS;
        for (const budget of budgets) {
          const result = await solve(instance, {
            solver: solver.name,
            budget,
            timeLimitSec: SOLVE_LIMIT_SEC,
            ...checkpoints,
          });
          if (result.schedule.length === 0) continue;
          const simulation = await simulate(instance, parseSchedule(result.schedule));
          expect(simulation.gradientsMatch, `${solver.name} at ${budget}`).toBe(true);
          expect(simulation.firstDivergence, `${solver.name} at ${budget}`).toBeNull();
          expect(simulation.predictedPeakBytes).toBe(result.peakBytes);
          const kinds = new Set(result.schedule.map((line) => line.split(" ")[0]));
          if (kinds.has("O") && kinds.has("P")) offloading.add(solver.name);
          simulated++;
          break;
        }
      }
      expect(simulated).toBeGreaterThanOrEqual(4);
      expect([...offloading].length, [...offloading].join(", ")).toBeGreaterThanOrEqual(2);
    });
  }
});
