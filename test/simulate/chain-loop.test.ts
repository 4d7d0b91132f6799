/**
 * The loop profile -> solve -> simulate closes on a chain: the zoo's `mlp-chain` (the MLP ending in the
 * label-free mean-square loss, so its op graph is a chain) profiled on this machine, solved by the chain
 * solvers (chain-dp, revolve, pofo) at 45% to 80% of the store-all peak, and every schedule simulated on
 * real kernels (CPU backend): parameter gradients bitwise equal to plain backprop's, memory equal to the
 * evaluator's timeline after every instruction, and the solver's claimed peak the evaluator's.
 *
 * - revolve accepts only chains whose stages share one forward and one backward time: it runs on the
 *   profiled instance with every stage's measured times replaced by their means (times do not enter
 *   what the simulator checks).
 * - pofo runs on the measured host link and on a slow one ({@link SLOW_LINK}). At 45% of the peak
 *   chain-dp has no schedule (at this config and the default 500 slots its least budget is 47.0% of the
 *   peak, pofo's 43.7%, found by bisection on either link; sizes come from the shapes, not from the
 *   clock), and pofo's class without transfers is chain-dp's at the same slots (proofs/pofo.md), so every
 *   pofo schedule that fits at 45% offloads a checkpoint and prefetches it back: it holds both `O` and
 *   `P` on either link, whatever the measured times. The test asserts both facts.
 */
import { describe, expect, it } from "vitest";
import { chainRejection } from "../../solvers/chain/chain-view.js";
import { solve } from "../../solvers/index.js";
import { withHardware } from "../../src/hardware/apply.js";
import { parseInstance } from "../../src/instance/parse.js";
import type { Hardware, Instance } from "../../src/instance/types.js";
import { profileModel } from "../../src/profile/profile.js";
import { parseSchedule } from "../../src/schedule/text.js";
import { simulate } from "../../src/simulate/simulate.js";
import type { InstanceDocument } from "../../src/zoo/document.js";

/**
 * 10 hidden layers of 16 units at batch 128: the activations (8 KB each) outweigh the parameters
 * (21 KB of weights and their gradients; store-all's peak is 124 KB), so budgets of 45% to 80% of the
 * peak leave room for recomputation.
 */
const CONFIG = { batch: 128, inputSize: 8, hidden: 16, layers: 10, outputs: 4 } as const;
const BUDGETS = ["45%", "50%", "60%", "70%", "80%"] as const;
/** The budget at which chain-dp has no schedule, so pofo's must offload (see above). */
const OFFLOAD_BUDGET = "45%";
/**
 * A slow link: 2 MB/s each way (2,000 bytes/ms), so one 8 KB activation takes 4 ms to cross, longer
 * than most of this model's measured ops.
 */
const SLOW_LINK: Hardware = { bandwidth: 2000, latency: 0.01 };

/** `document` with every stage's forward and backward time set to their means over the stages. */
function homogeneous(document: InstanceDocument): Instance {
  const stages = document.nodes.slice(1);
  const mean = (pick: (node: (typeof stages)[number]) => number) =>
    Number((stages.reduce((sum, node) => sum + pick(node), 0) / stages.length).toFixed(4));
  const fwd = mean((node) => node.fwd);
  const bwd = mean((node) => node.bwd);
  return parseInstance({
    ...document,
    nodes: document.nodes.map((node, i) => (i === 0 ? node : { ...node, fwd, bwd })),
  });
}

/** What one solve and its simulation showed. */
interface Run {
  readonly budget: string;
  readonly offloads: boolean;
}

/** Solves `instance` with `solver` at each budget and simulates every schedule, checking each; returns what ran. */
async function solveAndSimulate(instance: Instance, solver: string, label: string): Promise<Run[]> {
  const runs: Run[] = [];
  for (const budget of BUDGETS) {
    const result = await solve(instance, { solver, budget });
    if (result.schedule.length === 0) continue;
    const simulation = await simulate(instance, parseSchedule(result.schedule));
    const where = `${label} at ${budget}`;
    expect(simulation.backend, where).toBe("cpu");
    expect(simulation.gradientsMatch, where).toBe(true);
    expect(simulation.maxGradDiff, where).toBe(0);
    expect(simulation.memoryMatches, where).toBe(true);
    expect(simulation.firstDivergence, where).toBeNull();
    expect(simulation.predictedPeakBytes, where).toBe(result.peakBytes);
    expect(result.peakBytes ?? Number.POSITIVE_INFINITY, where).toBeLessThanOrEqual(result.budgetBytes ?? 0);
    const kinds = new Set(result.schedule.map((line) => line.split(" ")[0]));
    runs.push({ budget, offloads: kinds.has("O") && kinds.has("P") });
  }
  return runs;
}

describe("profile -> solve -> simulate on a chain", () => {
  it("closes on mlp-chain for chain-dp, revolve and pofo, and pofo's schedules offload and prefetch", async () => {
    const document = await profileModel("mlp-chain", {
      config: CONFIG,
      backend: "cpu",
      warmup: 0,
      repeats: 1,
    });
    const measured = parseInstance(document);
    expect(chainRejection(measured), "the profiled op-level instance is a chain").toBeUndefined();
    expect(measured.hardware, "the profiler measures the host link").toBeDefined();

    const chainDp = await solveAndSimulate(measured, "chain-dp", "chain-dp");
    expect(chainDp.map((run) => run.budget)).not.toContain(OFFLOAD_BUDGET);
    expect(chainDp.length).toBeGreaterThanOrEqual(3);
    expect(chainDp.some((run) => run.offloads)).toBe(false);

    const revolve = await solveAndSimulate(homogeneous(document), "revolve", "revolve");
    expect(revolve.length).toBeGreaterThanOrEqual(2);

    for (const [label, instance] of [
      ["pofo (measured link)", measured],
      ["pofo (slow link)", withHardware(measured, SLOW_LINK)],
    ] as const) {
      const pofo = await solveAndSimulate(instance, "pofo", label);
      expect(pofo.length, label).toBe(BUDGETS.length);
      expect(pofo.find((run) => run.budget === OFFLOAD_BUDGET)?.offloads, label).toBe(true);
    }
  });
});
