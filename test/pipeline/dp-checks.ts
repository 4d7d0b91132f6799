/**
 * Checks shared by the chain and DAG pipeline tests: every solver's plan valid and within memory,
 * pipeline-dp equal to an exhaustive search over partitions, and never worse with more memory.
 */
import { expect } from "vitest";
import { bestPartition } from "../../solvers/pipeline/dp.js";
import { pipelineSolvers } from "../../solvers/pipeline/registry.js";
import { solvePipeline } from "../../solvers/pipeline/solve.js";
import { StageMenu } from "../../solvers/pipeline/stage-menu.js";
import type { PipelineProblem } from "../../src/pipeline/types.js";
import { pipelineUnits } from "../../src/pipeline/units.js";
import { NO_DEADLINE } from "../../src/time-limit.js";
import { objective, partitions } from "./partitions.js";

const MENU = { slots: 40, checkpointing: true, deadline: NO_DEADLINE };

/** Every synchronous solver's plan is valid, within every device's memory, ends stages at unit ends, and its bound holds. */
export function expectSolversValid(p: PipelineProblem, link?: { bandwidth: number; latency: number }): void {
  for (const solver of pipelineSolvers.filter((candidate) => candidate.asynchronous !== true)) {
    const result = solvePipeline(p.instance, {
      devices: p.devices,
      microbatches: p.microbatches,
      memory: p.memoryBytes,
      schedule: p.schedule,
      solver: solver.name,
      slots: 40,
      ...(link === undefined ? {} : { link }),
    });
    if (result.evaluation === null) {
      expect(result.status).toBe("infeasible");
      continue;
    }
    const ends = pipelineUnits(p.instance).endingAt;
    for (const device of result.evaluation.devices) {
      expect(device.peakBytes).toBeLessThanOrEqual(p.memoryBytes);
      expect(ends[device.last]).toBeGreaterThan(0);
    }
    expect(result.lowerBound.valueMs).toBeLessThanOrEqual(result.evaluation.stepMs * (1 + 1e-9));
  }
}

/** For every stage count, pipeline-dp's (period, latency) is the least over every partition with its menu. */
export function expectExhaustiveOptimum(p: PipelineProblem): void {
  const menu = new StageMenu(p, MENU);
  for (let stages = 1; stages <= p.devices; stages++) {
    let best: [number, number] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
    for (const ends of partitions(p, stages)) {
      const value = objective(p, menu, ends);
      if (value[0] < best[0] || (value[0] === best[0] && value[1] < best[1])) best = value;
    }
    const choice = bestPartition(p, menu, stages, NO_DEADLINE);
    if (best[0] === Number.POSITIVE_INFINITY) expect(choice).toBeUndefined();
    else {
      expect(choice?.periodMs).toBe(best[0]);
      expect(choice?.latencyMs).toBeCloseTo(best[1], 9);
      expect(objective(p, menu, choice?.ends ?? [])).toEqual([choice?.periodMs, choice?.latencyMs]);
    }
  }
}

/** pipeline-dp's (period, latency) under `roomy` (more memory than `tight`) is never worse, for every stage count. */
export function expectNoWorseWithMoreMemory(tight: PipelineProblem, roomy: PipelineProblem): void {
  const a = new StageMenu(tight, MENU);
  const b = new StageMenu(roomy, MENU);
  for (let stages = 1; stages <= tight.devices; stages++) {
    const x = bestPartition(tight, a, stages, NO_DEADLINE);
    if (x === undefined) continue;
    const y = bestPartition(roomy, b, stages, NO_DEADLINE);
    expect(y).toBeDefined();
    expect(y?.periodMs).toBeLessThanOrEqual(x.periodMs);
    if (y?.periodMs === x.periodMs) expect(y.latencyMs).toBeLessThanOrEqual(x.latencyMs + 1e-9);
  }
}
